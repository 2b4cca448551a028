import { z } from "zod";
import { MESSAGE_TEXT_MAX } from "../domain/thread";
import { RichCard } from "./richContent";
import { Suggestions } from "./suggestions";

/** Ten years: the longest retention period a business can set (longer is "keep"). */
export const RETENTION_DAYS_MAX = 3650;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const Hours = z.object({
  timeZone: z.string().default("UTC"),
  /** Day 0 = Sunday; opening hours as "HH:MM", or null when closed all day. */
  days: z.array(z.object({ open: z.string(), close: z.string() }).nullable()).length(7),
});

/**
 * A canned reply an agent inserts by typing "/" and its shortcut in the reply box. It may carry chips and a
 * card in Google's JSON, with agentReply's limits (contract/suggestions.ts, contract/richContent.ts): inserting
 * it fills the composer's chips and card too.
 */
export const CannedReply = z.object({
  shortcut: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "shortcut: 1-32 lowercase letters, digits or -"),
  text: z.string().trim().min(1, "canned reply is empty").max(MESSAGE_TEXT_MAX),
  suggestions: Suggestions.optional(),
  richCard: RichCard.optional(),
});
export type CannedReply = z.infer<typeof CannedReply>;

export const CHANNEL_ORDER_CHANNELS = ["web", "bm", "push", "email"] as const;

/** settings/business as every reader sees it: defaults fill what an older document lacks. */
export const BusinessSettings = z.object({
  name: z.string().default("Our business"),
  greeting: z.string().default("Hi! How can we help?"),
  awayMessage: z.string().default("We're away right now and will reply as soon as we're back."),
  hours: Hours.optional(),
  allowedOrigins: z.array(z.string()).default([]),
  reachWindowDays: z.number().int().min(1).max(365).default(30),
  followUpMarginHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(24),
  followUpTemplate: z.string().default("Are you still there? Reply here and we'll pick up where we left off."),
  continuityDelayMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(2),
  cannedReplies: z.array(CannedReply).max(200).default([]),
  /** Business Messages: ask the visitor Google's satisfaction survey when a thread is resolved. */
  bmSurveyOnResolve: z.boolean().default(false),
  /** Order in which a reply looks for a way to the visitor (docs/reach.md); left-out channels are not used. */
  channelOrder: z.array(z.enum(CHANNEL_ORDER_CHANNELS)).max(4).optional(),
  /**
   * Threads whose last activity is older than this many days are erased by the hourly sweep
   * (docs/privacy.md). null: kept until erased by hand.
   */
  retentionDays: z
    .number()
    .int()
    .min(1, "retention: at least 1 day")
    .max(RETENTION_DAYS_MAX, `retention: at most ${RETENTION_DAYS_MAX} days (leave empty to keep)`)
    .nullable()
    .default(null),
  /**
   * The business's own website (the page with the widget). The chat page behind emailed links links
   * back to it with a one-time code, and the widget there opens the same conversation. Empty: the chat
   * page offers no way back (docs/reach.md). Readers only trust it through `siteUrlOf`.
   */
  siteUrl: z.string().optional(),
  /** The chat page's colour (the widget takes the loader's data-accent-color). */
  accentColor: z.string().optional(),
});
export type BusinessSettings = z.infer<typeof BusinessSettings>;

/** An absolute https URL without credentials: a site URL pages may link to. */
export function isSiteUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && !url.username && !url.password && value.length <= 500;
  } catch {
    return false;
  }
}

/** A local development site (http on a loopback host): savable, but only ever linked to under the emulator. */
function isLocalSiteUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" && ["127.0.0.1", "localhost"].includes(url.hostname) && !url.username;
  } catch {
    return false;
  }
}

/**
 * The site URL a page may link to: the saved https URL, or (under the emulator only, for the local demo
 * and the browser tests, which serve pages over http on localhost) an http URL on a loopback host.
 */
export function siteUrlOf(settings: { siteUrl?: string }, emulator: boolean): string | null {
  const value = settings.siteUrl;
  if (!value) return null;
  if (isSiteUrl(value)) return value;
  return emulator && isLocalSiteUrl(value) ? value : null;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** What an admin saves (updateSettings): stricter than the reader, so every reader can trust the document. */
export const SettingsInput = BusinessSettings.extend({
  name: z.string().trim().min(1, "business name is empty").max(100),
  greeting: z.string().trim().max(500),
  awayMessage: z.string().trim().max(500),
  allowedOrigins: z
    .array(z.string().regex(/^https?:\/\/[^/\s]+$/, "an allowed origin looks like https://shop.example"))
    .max(50),
  followUpTemplate: z.string().trim().min(1, "follow-up template is empty").max(1000),
  siteUrl: z
    .string()
    .trim()
    .refine(
      (v) => v === "" || isSiteUrl(v) || isLocalSiteUrl(v),
      "site URL must be an https address like https://shop.example/",
    )
    .transform((v) => v || undefined)
    .optional(),
  accentColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "colour must look like #9a3412")
    .optional(),
  hours: z
    .object({
      timeZone: z.string().refine(isTimeZone, "unknown time zone"),
      days: z.array(z.object({ open: z.string().regex(HHMM), close: z.string().regex(HHMM) }).nullable()).length(7),
    })
    .optional(),
}).superRefine((s, ctx) => {
  const seen = new Set<string>();
  for (const c of s.cannedReplies) {
    if (seen.has(c.shortcut))
      ctx.addIssue({ code: "custom", path: ["cannedReplies"], message: `canned reply /${c.shortcut} appears twice` });
    seen.add(c.shortcut);
  }
});
export type SettingsInput = z.input<typeof SettingsInput>;

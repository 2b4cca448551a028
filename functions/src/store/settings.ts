import { z } from "zod";
import { db, paths } from "./db";
import { ops } from "./ops";
import { MESSAGE_TEXT_MAX } from "../domain/thread";

const HoursSchema = z.object({
  timeZone: z.string().default("UTC"),
  /** Day 0 = Sunday; opening hours as "HH:MM", or null when closed all day. */
  days: z.array(z.object({ open: z.string(), close: z.string() }).nullable()).length(7),
});

/** A canned reply an agent inserts by typing "/" and its shortcut in the reply box. */
export const CannedReplySchema = z.object({
  shortcut: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "shortcut: 1-32 lowercase letters, digits or -"),
  text: z.string().trim().min(1, "canned reply is empty").max(MESSAGE_TEXT_MAX),
});

export const BusinessSettingsSchema = z.object({
  name: z.string().default("Our business"),
  greeting: z.string().default("Hi! How can we help?"),
  awayMessage: z.string().default("We're away right now and will reply as soon as we're back."),
  hours: HoursSchema.optional(),
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
  cannedReplies: z.array(CannedReplySchema).max(200).default([]),
  /** Business Messages: ask the visitor Google's satisfaction survey when a thread is resolved. */
  bmSurveyOnResolve: z.boolean().default(false),
  /** Order in which a reply looks for a way to the visitor (docs/reach.md); left-out channels are not used. */
  channelOrder: z
    .array(z.enum(["web", "bm", "push", "email"]))
    .max(4)
    .optional(),
});
export type BusinessSettings = z.infer<typeof BusinessSettingsSchema>;

const CACHE_MS = 60_000;
let cached: { value: BusinessSettings; at: number } | undefined;

/** Settings change rarely; an instance re-reads them at most once a minute (one read saved per message). */
export async function getBusinessSettings(now = Date.now()): Promise<BusinessSettings> {
  if (cached && now - cached.at < CACHE_MS) return cached.value;
  const snap = await db().doc(paths.businessSettings).get();
  ops.read();
  const value = BusinessSettingsSchema.parse(snap.data() ?? {});
  cached = { value, at: now };
  return value;
}

export function clearSettingsCache(): void {
  cached = undefined;
}

/** Replaces the business settings with an already validated value (admins, from the console). */
export async function saveBusinessSettings(value: BusinessSettings): Promise<void> {
  await db().doc(paths.businessSettings).set(value);
  ops.write();
  clearSettingsCache();
}

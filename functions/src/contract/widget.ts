// The widget API (/api/widget/…): what the chat app sends and gets back.
import { z } from "zod";
import { MESSAGE_TEXT_MAX } from "../domain/thread";
import { ClientId, Locale, ThreadId } from "./ids";

/** GET /config: what the widget shows before the visitor writes (public, CDN-cached for a minute). */
export const WidgetConfig = z.object({
  name: z.string(),
  greeting: z.string(),
  awayMessage: z.string(),
  open: z.boolean(),
  nextOpenAt: z.iso.datetime().nullable(),
  timeZone: z.string().nullable(),
  messageMax: z.number().int(),
  emailConsentVersion: z.string(),
  /** Set only when the API requires App Check: the reCAPTCHA Enterprise key to get tokens with. */
  appCheckSiteKey: z.string().nullable(),
  /** The business's own site (settings/business.siteUrl), where the chat page links back to. */
  siteUrl: z.string().nullable(),
  /** settings/business.accentColor: the chat page's colour (null: the default). */
  accentColor: z.string().nullable(),
});
export type WidgetConfig = z.infer<typeof WidgetConfig>;

/** POST /messages. */
export const SendMessage = z.object({
  text: z
    .string()
    .trim()
    .min(1, "message is empty")
    .max(MESSAGE_TEXT_MAX, `message is longer than ${MESSAGE_TEXT_MAX} characters`),
  clientMessageId: ClientId("clientMessageId"),
  displayName: z.string().trim().max(80).optional(),
  locale: Locale.optional(),
  /** The thread the widget shows: its own, or one it was attached to by a resume link. */
  threadId: ThreadId.optional(),
});
export type SendMessage = z.input<typeof SendMessage>;
export const SendMessageResult = z.object({
  threadId: ThreadId,
  messageId: z.string(),
  duplicate: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type SendMessageResult = z.infer<typeof SendMessageResult>;

/** POST /email: "Get the reply by email", with the consent shown next to the field. */
export const SaveEmail = z.object({
  threadId: ThreadId,
  email: z.email("that does not look like an email address").max(254),
  /** The visitor ticked the consent shown next to the field; without it nothing is stored. */
  consent: z.literal(true, "consent is required to email you"),
  locale: Locale.default("en"),
});
export type SaveEmail = z.input<typeof SaveEmail>;
/** `pending`: asked from a device that came in through a link, the change waits for the new address's confirmation. */
export const SaveEmailResult = z.object({ ok: z.literal(true), pending: z.boolean().optional() });
export type SaveEmailResult = z.infer<typeof SaveEmailResult>;

/** POST /seen: the visitor has seen the thread up to now. */
export const MarkSeen = z.object({ threadId: ThreadId });
export type MarkSeen = z.input<typeof MarkSeen>;
export const MarkSeenResult = z.object({ ok: z.literal(true), updated: z.boolean() });

/** POST /erase: "Delete conversation". Only a visitor attached to the thread may erase it. */
export const EraseConversation = z.object({ threadId: ThreadId });
export type EraseConversation = z.input<typeof EraseConversation>;
export const EraseConversationResult = z.object({ ok: z.literal(true), erased: z.literal(true) });
export type EraseConversationResult = z.infer<typeof EraseConversationResult>;

/** POST /handoff: a one-time code that opens this thread in the widget on the business's own site. */
export const CreateHandoff = z.object({ threadId: ThreadId });
export type CreateHandoff = z.input<typeof CreateHandoff>;
export const CreateHandoffResult = z.object({ code: z.string(), expiresAt: z.iso.datetime() });
export type CreateHandoffResult = z.infer<typeof CreateHandoffResult>;

/** A handoff code as it travels in the URL: 32 random bytes, base64url. */
export const HANDOFF_CODE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** POST /handoff/redeem: the widget on the business's site trades the code for this device's access. */
export const RedeemHandoff = z.object({
  code: z.string().regex(HANDOFF_CODE_PATTERN, "this code is incomplete: open the link from the chat page again"),
});
export type RedeemHandoff = z.input<typeof RedeemHandoff>;
export const RedeemHandoffResult = z.object({ threadId: ThreadId });
export type RedeemHandoffResult = z.infer<typeof RedeemHandoffResult>;

/** POST /devices/signout: every other device loses the thread (but the one that started it). */
export const SignOutDevices = z.object({ threadId: ThreadId });
export type SignOutDevices = z.input<typeof SignOutDevices>;
export const SignOutDevicesResult = z.object({ ok: z.literal(true), signedOut: z.number().int() });
export type SignOutDevicesResult = z.infer<typeof SignOutDevicesResult>;

export const Ok = z.object({ ok: z.literal(true) });

/** Every refusal of an HTTP API: a reason a person can read, and for some a machine code. */
export const ApiErrorBody = z.object({
  error: z.string(),
  code: z.string().optional(),
  /** 429: which limit, and when to try again. */
  rule: z.string().optional(),
  retryAfterSeconds: z.number().optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

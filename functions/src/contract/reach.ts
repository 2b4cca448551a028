// The reach API (/api/push/…, /api/resume, /api/email/…): push subscriptions, resume links, unsubscribe.
import { z } from "zod";
import { ThreadId } from "./ids";

/** A browser PushSubscription as `subscription.toJSON()` gives it. */
export const PushSubscription = z.object({
  endpoint: z.url("endpoint must be a URL").max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    /** The browser's P-256 public key, uncompressed point, base64url (65 bytes → 87 characters). */
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, "keys.p256dh is not a P-256 public key"),
    /** The 16-byte auth secret, base64url. */
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/, "keys.auth is not a 16-byte secret"),
  }),
});
export type PushSubscription = z.infer<typeof PushSubscription>;

/** GET /api/push/config. */
export const PushConfig = z.object({ enabled: z.boolean(), vapidPublicKey: z.string().nullable() });
export type PushConfig = z.infer<typeof PushConfig>;

/** POST /api/push/subscriptions. */
export const Subscribe = z.object({ threadId: ThreadId, subscription: PushSubscription });
export type Subscribe = z.input<typeof Subscribe>;
export const SubscribeResult = z.object({ ok: z.literal(true), subscriptionId: z.string() });

/** A signed link's token (resume, unsubscribe). */
export const LinkToken = z.string().min(1, "token is missing").max(512, "token is too long");

/** POST /api/resume: attaches this device to the link's thread. */
export const Resume = z.object({ token: LinkToken });
export type Resume = z.input<typeof Resume>;
export const ResumeResult = z.object({
  threadId: ThreadId,
  attached: z.boolean(),
  /** When this device's access ends (the reach window), null when none is open. */
  accessUntil: z.iso.datetime().nullable(),
});
export type ResumeResult = z.infer<typeof ResumeResult>;

/** POST /api/resume/renew: a fresh link to the address on file, asked from an expired or used link's page. */
export const RenewLink = z.object({ token: LinkToken });
export type RenewLink = z.input<typeof RenewLink>;
export const RenewLinkResult = z.object({ ok: z.literal(true) });
export type RenewLinkResult = z.infer<typeof RenewLinkResult>;

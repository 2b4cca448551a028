import { z } from "zod";
import { hashId } from "../../domain/ids";

/** A browser PushSubscription as `subscription.toJSON()` gives it. */
export const PushSubscriptionSchema = z.object({
  endpoint: z.url("endpoint must be a URL").max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    /** The browser's P-256 public key, uncompressed point, base64url (65 bytes → 87 characters). */
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, "keys.p256dh is not a P-256 public key"),
    /** The 16-byte auth secret, base64url. */
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/, "keys.auth is not a 16-byte secret"),
  }),
});
export type PushSubscriptionJson = z.infer<typeof PushSubscriptionSchema>;

/** One document per endpoint: subscribing twice from the same browser changes nothing. */
export function subscriptionId(endpoint: string): string {
  return hashId("push-endpoint", endpoint);
}

/**
 * Push services are https. The function POSTs to a URL the visitor gave, so anything else is
 * refused (no requests to internal hosts); the local push stand-in is allowed by name only.
 */
export function endpointAllowed(endpoint: string, httpOrigins: string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return !isLiteralPrivateHost(url.hostname);
  return url.protocol === "http:" && httpOrigins.includes(url.origin);
}

function isLiteralPrivateHost(host: string): boolean {
  return (
    host === "localhost" ||
    /^(127|10|0)\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    /^169\.254\./.test(host) ||
    host.startsWith("[")
  );
}

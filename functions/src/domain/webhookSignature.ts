import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signature of an outgoing event webhook (recipe in docs/events.md):
 *   Afterchat-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 * The timestamp is signed with the body, so a captured request cannot be replayed later than
 * the receiver's tolerance.
 */
export const SIGNATURE_HEADER = "afterchat-signature";
export const DELIVERY_HEADER = "afterchat-delivery";
export const EVENT_TYPE_HEADER = "afterchat-event";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signatureFor(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

export function signWebhook(secret: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${signatureFor(secret, t, body)}`;
}

export type Verification = { ok: true; timestamp: number } | { ok: false; reason: "malformed" | "stale" | "mismatch" };

/** Receivers' check: constant-time compare, and a timestamp within the tolerance. */
export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string,
  now: Date,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): Verification {
  const match = /^t=(\d{1,12}),v1=([a-f0-9]{64})$/.exec(header ?? "");
  if (!match) return { ok: false, reason: "malformed" };
  const t = Number(match[1]);
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return { ok: false, reason: "stale" };
  const expected = Buffer.from(signatureFor(secret, t, body), "hex");
  const given = Buffer.from(match[2], "hex");
  return timingSafeEqual(expected, given) ? { ok: true, timestamp: t } : { ok: false, reason: "mismatch" };
}

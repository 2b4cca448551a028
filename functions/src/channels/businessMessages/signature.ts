import { createHmac, timingSafeEqual } from "node:crypto";

/** X-Goog-Signature: standard base64 of HMAC-SHA512 over the raw request bytes, keyed with the client token. */
export function signBody(clientToken: string, rawBody: Buffer | string): string {
  return createHmac("sha512", clientToken).update(rawBody).digest("base64");
}

/**
 * Constant-time check of a webhook signature. The comparison runs on fixed-size digests of
 * both values, so neither the length nor the content of the header leaks through timing.
 */
export function verifySignature(clientToken: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!clientToken || !header) return false;
  const expected = signBody(clientToken, rawBody);
  return constantTimeEqual(expected, header.trim());
}

/** Equal-length digests make timingSafeEqual usable on inputs of any length. */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHmac("sha256", "afterchat-compare").update(a).digest();
  const db = createHmac("sha256", "afterchat-compare").update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

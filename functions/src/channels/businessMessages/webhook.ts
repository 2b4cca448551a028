import { asHandshake, parseJson, parseUserMessage, type BmEnvelope, type BmPayload, type BmUnhandled } from "./payload";
import { constantTimeEqual, verifySignature } from "./signature";

/** DESIGN.md: bodies over 256 KiB are refused before anything else is done with them. */
export const WEBHOOK_BODY_MAX_BYTES = 256 * 1024;

export interface WebhookRequest {
  method: string;
  /** The bytes exactly as received: the signature covers them, never re-serialized JSON. */
  rawBody: Buffer;
  /** Content-Length as announced, when present (checked before the body is trusted). */
  contentLength?: number;
  signature?: string;
  clientToken: string;
}

export type WebhookDecision =
  | { action: "reply"; status: number; reason: string }
  | { action: "handshake"; secret: string }
  | { action: "handle"; envelope: BmEnvelope; payload: BmPayload; truncated: string[] }
  | { action: "unhandled"; unhandled: BmUnhandled; truncated: string[] };

const reply = (status: number, reason: string): WebhookDecision => ({ action: "reply", status, reason });

/**
 * Everything the webhook decides before touching storage, in the order the protocol needs:
 * method, size, handshake (it is unsigned), signature over the raw bytes, then parsing. A signed
 * JSON body is never refused: what we cannot act on is answered 200 and kept for inspection.
 */
export function decideWebhook(req: WebhookRequest): WebhookDecision {
  if (req.method !== "POST") return reply(405, "use POST");
  if ((req.contentLength ?? 0) > WEBHOOK_BODY_MAX_BYTES || req.rawBody.length > WEBHOOK_BODY_MAX_BYTES) {
    return reply(413, "body larger than 256 KiB");
  }
  const json = parseJson(req.rawBody);
  const handshake = asHandshake(json);
  if (handshake) {
    if (!constantTimeEqual(handshake.clientToken, req.clientToken)) return reply(401, "unknown client token");
    return { action: "handshake", secret: handshake.secret };
  }
  if (!verifySignature(req.clientToken, req.rawBody, req.signature)) {
    return reply(401, req.signature ? "signature does not match" : "X-Goog-Signature missing");
  }
  // From here on the body is Google's: 200 whatever it holds, or Google slows and drops our deliveries.
  const parsed = parseUserMessage(json);
  if (!parsed.ok) return reply(400, parsed.reason);
  if (parsed.type === "unhandled")
    return { action: "unhandled", unhandled: parsed.unhandled, truncated: parsed.truncated };
  if (parsed.type !== "event") return reply(400, "unexpected handshake");
  return { action: "handle", envelope: parsed.envelope, payload: parsed.payload, truncated: parsed.truncated };
}

import { ID_PATTERN } from "../contract/patterns";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { DAY_MS } from "./time";

/**
 * Signed, expiring links scoped to one thread (resume a conversation; unsubscribe from its emails).
 *
 * Token: `<purpose>.<threadId>.<expiresAt, unix seconds, base 36>.<nonce>.<signature>`
 * - nonce = base64url(8 random bytes ‖ first 8 bytes of HMAC(key, "nonce" ‖ random)): it proves on its own
 *   that we minted the token, so a token whose nonce verifies but whose signature does not was made by
 *   us and then **altered**; one whose nonce does not verify was never ours (**forged**).
 * - signature = base64url(HMAC-SHA256(key, "afterchat-link.v1" ‖ purpose ‖ threadId ‖ expiresAt ‖ nonce)).
 * Every comparison is constant-time. Expiry is checked only once the signature holds, so "expired"
 * is never said of a forgery.
 */
export const LINK_PURPOSES = ["resume", "unsubscribe"] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

export const DEFAULT_RESUME_LINK_DAYS = 30;
/** Unsubscribe links must keep working long after the conversation (email law expects it). */
export const DEFAULT_UNSUBSCRIBE_LINK_DAYS = 365;

const CONTEXT = "afterchat-link.v1";
const EXPIRY = /^[0-9a-z]{1,12}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
const NONCE_BYTES = 16;
const SIGNATURE_BYTES = 32;

export interface LinkClaims {
  purpose: LinkPurpose;
  threadId: string;
  expiresAt: Date;
  /** Unique per link: its hash marks the link used once it has been exchanged (single use). */
  nonce: string;
}

export type LinkVerdict =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: "malformed" | "forged" | "altered" | "wrong_purpose" }
  /** Genuine but too old: its claims are ours, so a fresh link may be sent to the address on file. */
  | { ok: false; reason: "expired"; expiredAt: Date; claims: LinkClaims };

/** What a visitor reads for each refusal (the resume page shows it; never says more than needed). */
export const LINK_REFUSALS: Record<Exclude<LinkVerdict, { ok: true }>["reason"] | "used", string> = {
  malformed: "This link is incomplete. Copy the whole link from the email, or start a new chat.",
  forged: "This link was not issued by us, so it cannot open a conversation.",
  altered: "This link has been changed since we sent it, so it cannot open a conversation.",
  expired: "This link has expired. We can send a fresh link to the email address on file, or start a new chat.",
  wrong_purpose: "This link cannot be used here.",
  used: "This link has already been used on another device. Each link opens the conversation on one device only.",
};

function hmac(key: string, ...parts: string[]): Buffer {
  const mac = createHmac("sha256", key);
  for (const part of parts) mac.update(`${part.length}:${part}|`); // length-prefixed: no ambiguity between fields
  return mac.digest();
}

function mintNonce(key: string): string {
  const random = randomBytes(NONCE_BYTES / 2);
  const tag = hmac(key, "nonce", random.toString("hex")).subarray(0, NONCE_BYTES / 2);
  return Buffer.concat([random, tag]).toString("base64url");
}

function nonceIsOurs(key: string, nonce: string): boolean {
  const bytes = Buffer.from(nonce, "base64url");
  if (bytes.length !== NONCE_BYTES) return false;
  const random = bytes.subarray(0, NONCE_BYTES / 2);
  const expected = hmac(key, "nonce", random.toString("hex")).subarray(0, NONCE_BYTES / 2);
  return timingSafeEqual(bytes.subarray(NONCE_BYTES / 2), expected);
}

function signature(key: string, purpose: string, threadId: string, expiry: string, nonce: string): Buffer {
  return hmac(key, CONTEXT, purpose, threadId, expiry, nonce);
}

function requireKey(key: string): void {
  if (key.length < 16) throw new Error("the link signing secret must be at least 16 characters");
}

export function signLink(
  key: string,
  claims: { purpose: LinkPurpose; threadId: string },
  opts: { now: Date; ttlMs?: number },
): string {
  requireKey(key);
  if (!ID_PATTERN.test(claims.threadId)) throw new Error("thread id cannot be put in a link");
  const ttlMs =
    opts.ttlMs ?? (claims.purpose === "resume" ? DEFAULT_RESUME_LINK_DAYS : DEFAULT_UNSUBSCRIBE_LINK_DAYS) * DAY_MS;
  const expiry = Math.floor((opts.now.getTime() + ttlMs) / 1000).toString(36);
  const nonce = mintNonce(key);
  const sig = signature(key, claims.purpose, claims.threadId, expiry, nonce).toString("base64url");
  return [claims.purpose, claims.threadId, expiry, nonce, sig].join(".");
}

export function verifyLink(key: string, token: string, opts: { now: Date; purpose: LinkPurpose }): LinkVerdict {
  requireKey(key);
  const parts = typeof token === "string" && token.length <= 512 ? token.split(".") : [];
  if (parts.length !== 5) return { ok: false, reason: "malformed" };
  const [purpose, threadId, expiry, nonce, sig] = parts as [string, string, string, string, string];
  const shapeOk =
    (LINK_PURPOSES as readonly string[]).includes(purpose) &&
    ID_PATTERN.test(threadId) &&
    EXPIRY.test(expiry) &&
    B64URL.test(nonce) &&
    B64URL.test(sig);
  if (!shapeOk) return { ok: false, reason: "malformed" };
  if (!nonceIsOurs(key, nonce)) return { ok: false, reason: "forged" };
  const given = Buffer.from(sig, "base64url");
  const expected = signature(key, purpose, threadId, expiry, nonce);
  if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, expected)) return { ok: false, reason: "altered" };
  if (purpose !== opts.purpose) return { ok: false, reason: "wrong_purpose" };
  const expiresAt = new Date(parseInt(expiry, 36) * 1000);
  const claims: LinkClaims = { purpose: purpose as LinkPurpose, threadId, expiresAt, nonce };
  if (opts.now.getTime() >= expiresAt.getTime()) return { ok: false, reason: "expired", expiredAt: expiresAt, claims };
  return { ok: true, claims };
}

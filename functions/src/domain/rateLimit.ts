import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time";

/**
 * Fixed-window rate limits for the public widget API. The numbers are the documented contract
 * (docs/widget.md): generous for a person typing, tight for a script.
 */
export interface RateLimit {
  /** Stable name, part of the counter's key and of the error a caller sees. */
  name: string;
  /**
   * Who is counted: the signed-in visitor, the client address Firebase Hosting reported, or the
   * peer that connected to Google's front end (through Hosting, a Hosting edge; called directly,
   * the caller itself, whatever it wrote into X-Forwarded-For).
   */
  scope: "visitor" | "ip" | "peer";
  /** Which requests count against it. */
  action: "message" | "newThread" | "contact" | "erase" | "renewLink";
  limit: number;
  windowMs: number;
}

export const WIDGET_RATE_LIMITS: readonly RateLimit[] = [
  { name: "visitor-messages-per-minute", scope: "visitor", action: "message", limit: 10, windowMs: MINUTE_MS },
  { name: "visitor-messages-per-day", scope: "visitor", action: "message", limit: 300, windowMs: DAY_MS },
  { name: "ip-messages-per-minute", scope: "ip", action: "message", limit: 120, windowMs: MINUTE_MS },
  // Chatwoot allows 6 new conversations per IP per 12 h; offices and mobile carriers put many
  // visitors behind one address, so we allow more per hour and still stop a script quickly.
  { name: "ip-new-threads-per-hour", scope: "ip", action: "newThread", limit: 30, windowMs: HOUR_MS },
  // A caller that skips Hosting can write any client address it likes; the peer address it cannot
  // forge. Sized for one Hosting edge carrying many visitors of a small business at once.
  { name: "peer-messages-per-minute", scope: "peer", action: "message", limit: 600, windowMs: MINUTE_MS },
  { name: "peer-new-threads-per-hour", scope: "peer", action: "newThread", limit: 300, windowMs: HOUR_MS },
  { name: "visitor-contact-changes-per-hour", scope: "visitor", action: "contact", limit: 5, windowMs: HOUR_MS },
  // An erase costs a write per document: a person deletes a conversation once, a script many times.
  { name: "visitor-erasures-per-hour", scope: "visitor", action: "erase", limit: 5, windowMs: HOUR_MS },
  // "Send me a fresh link" mails the address on file: its subject is the THREAD (anyone holding an old
  // link may ask), so nobody can flood a visitor's inbox, whatever device or address they ask from.
  { name: "thread-link-renewals-per-hour", scope: "visitor", action: "renewLink", limit: 3, windowMs: HOUR_MS },
  { name: "ip-link-renewals-per-hour", scope: "ip", action: "renewLink", limit: 20, windowMs: HOUR_MS },
];

export interface Bucket {
  rule: RateLimit;
  /** Counter id: rule, subject and window start; the same within one window. */
  key: string;
  windowStart: number;
  resetsAt: number;
}

export function bucketFor(rule: RateLimit, subject: string, nowMs: number): Bucket {
  const windowStart = Math.floor(nowMs / rule.windowMs) * rule.windowMs;
  return { rule, key: `${rule.name}:${subject}:${windowStart}`, windowStart, resetsAt: windowStart + rule.windowMs };
}

export interface Subjects {
  visitor: string;
  ip: string;
  peer: string;
}

/** The counters a request of this kind touches, one per applicable rule. */
export function bucketsFor(
  actions: RateLimit["action"][],
  subjects: Subjects,
  nowMs: number,
  rules: readonly RateLimit[] = WIDGET_RATE_LIMITS,
): Bucket[] {
  return rules.filter((r) => actions.includes(r.action)).map((r) => bucketFor(r, subjects[r.scope], nowMs));
}

export type RateDecision = { allowed: true } | { allowed: false; rule: RateLimit; retryAfterSeconds: number };

/** Refuses when any counter is already at its limit; the caller then counts nothing. */
export function decide(buckets: { bucket: Bucket; count: number }[], nowMs: number): RateDecision {
  const hit = buckets.find(({ bucket, count }) => count >= bucket.rule.limit);
  if (!hit) return { allowed: true };
  return {
    allowed: false,
    rule: hit.bucket.rule,
    retryAfterSeconds: Math.max(1, Math.ceil((hit.bucket.resetsAt - nowMs) / 1000)),
  };
}

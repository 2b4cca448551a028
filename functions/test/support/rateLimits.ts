// Rate limits are fixed windows on the real clock. A test that sends N requests and expects the
// N+1th refused depends on not crossing a window's end; instead, a test fills the counters itself
// (this window and the next, so a boundary cannot reset them) and asserts how the next request is
// answered. Counting itself is tested against explicit times (rateLimits.test.ts).
import { bucketFor, WIDGET_RATE_LIMITS } from "../../src/domain/rateLimit";
import { rateLimitPath } from "../../src/store/rateLimits";
import { adminDb } from "./emulators";

/** Sets the named limit's counter for `subject` (a visitor uid or an IP) to its limit. */
export async function exhaustRateLimit(ruleName: string, subject: string, nowMs = Date.now()): Promise<void> {
  const rule = WIDGET_RATE_LIMITS.find((r) => r.name === ruleName);
  if (!rule) throw new Error(`no rate limit named ${ruleName}`);
  for (const at of [nowMs, nowMs + rule.windowMs]) {
    const bucket = bucketFor(rule, subject, at);
    await adminDb()
      .doc(rateLimitPath(bucket))
      .set({
        rule: rule.name,
        count: rule.limit,
        windowStart: new Date(bucket.windowStart),
        expireAt: new Date(bucket.resetsAt + 3_600_000),
      });
  }
}

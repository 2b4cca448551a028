import { strict as assert } from "node:assert";
import { bucketFor, bucketsFor, decide, WIDGET_RATE_LIMITS, type RateLimit } from "../../src/domain/rateLimit";
import { MINUTE_MS } from "../../src/domain/time";

const perMinute: RateLimit = { name: "t", scope: "visitor", action: "message", limit: 3, windowMs: MINUTE_MS };
const t0 = Date.parse("2026-11-26T10:00:00Z");

describe("widget rate limits", () => {
  it("keeps one counter per fixed window and subject", () => {
    const a = bucketFor(perMinute, "u1", t0 + 1_000);
    assert.equal(a.key, bucketFor(perMinute, "u1", t0 + 59_999).key);
    assert.notEqual(a.key, bucketFor(perMinute, "u1", t0 + 60_000).key);
    assert.notEqual(a.key, bucketFor(perMinute, "u2", t0 + 1_000).key);
    assert.equal(a.resetsAt, t0 + 60_000);
  });

  it("allows up to the limit, then refuses with the seconds left in the window", () => {
    const bucket = bucketFor(perMinute, "u1", t0);
    assert.deepEqual(decide([{ bucket, count: 2 }], t0 + 10_000), { allowed: true });
    const refused = decide([{ bucket, count: 3 }], t0 + 10_000);
    assert.equal(refused.allowed, false);
    assert.equal(!refused.allowed && refused.retryAfterSeconds, 50);
    assert.equal(!refused.allowed && refused.rule.name, "t");
  });

  it("a message counts against the visitor and the IP; a new thread only against the IP's thread limit", () => {
    const message = bucketsFor(["message"], { visitor: "u1", ip: "203.0.113.9" }, t0).map((b) => b.rule.name);
    assert.deepEqual(message, ["visitor-messages-per-minute", "visitor-messages-per-day", "ip-messages-per-minute"]);
    const fresh = bucketsFor(["newThread"], { visitor: "u1", ip: "203.0.113.9" }, t0);
    assert.deepEqual(
      fresh.map((b) => [b.rule.name, b.key.includes("203.0.113.9")]),
      [["ip-new-threads-per-hour", true]],
    );
  });

  it("documents numbers a person typing never reaches", () => {
    const visitorPerMinute = WIDGET_RATE_LIMITS.find((r) => r.name === "visitor-messages-per-minute")!;
    assert.ok(visitorPerMinute.limit >= 10);
    for (const r of WIDGET_RATE_LIMITS) assert.ok(r.limit > 0 && r.windowMs >= MINUTE_MS, r.name);
  });
});

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

  it("a message counts against the visitor, the IP and the peer; a new thread against the IP's and the peer's thread limits", () => {
    const subjects = { visitor: "u1", ip: "203.0.113.9", peer: "192.0.2.1" };
    const message = bucketsFor(["message"], subjects, t0).map((b) => b.rule.name);
    assert.deepEqual(message, [
      "visitor-messages-per-minute",
      "visitor-messages-per-day",
      "ip-messages-per-minute",
      "peer-messages-per-minute",
    ]);
    const fresh = bucketsFor(["newThread"], subjects, t0);
    assert.deepEqual(
      fresh.map((b) => [b.rule.name, b.key.split(":")[1]]),
      [
        ["ip-new-threads-per-hour", "203.0.113.9"],
        ["peer-new-threads-per-hour", "192.0.2.1"],
      ],
    );
  });

  it("a peer carries many visitors: its limits are well above one address's", () => {
    const limit = (name: string) => WIDGET_RATE_LIMITS.find((r) => r.name === name)!.limit;
    assert.ok(limit("peer-messages-per-minute") >= 4 * limit("ip-messages-per-minute"));
    assert.ok(limit("peer-new-threads-per-hour") >= 10 * limit("ip-new-threads-per-hour"));
  });

  it("documents numbers a person typing never reaches", () => {
    const visitorPerMinute = WIDGET_RATE_LIMITS.find((r) => r.name === "visitor-messages-per-minute")!;
    assert.ok(visitorPerMinute.limit >= 10);
    for (const r of WIDGET_RATE_LIMITS) assert.ok(r.limit > 0 && r.windowMs >= MINUTE_MS, r.name);
  });
});

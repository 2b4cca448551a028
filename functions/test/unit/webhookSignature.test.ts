import { strict as assert } from "node:assert";
import { createHmac } from "node:crypto";
import { signWebhook, verifyWebhook } from "../../src/domain/webhookSignature";

describe("event webhook signature", () => {
  const now = new Date("2026-11-26T12:00:00Z");
  const body = JSON.stringify({ id: "evt_1", type: "message.received" });

  it("is t=<seconds>,v1=<hex HMAC-SHA256(secret, t.body)>", () => {
    const header = signWebhook("s3cret", body, now);
    const t = now.getTime() / 1000;
    assert.equal(header, `t=${t},v1=${createHmac("sha256", "s3cret").update(`${t}.${body}`).digest("hex")}`);
  });

  it("verifies, and refuses a changed body, another key, a stale timestamp and garbage", () => {
    const header = signWebhook("s3cret", body, now);
    assert.deepEqual(verifyWebhook("s3cret", header, body, now), { ok: true, timestamp: now.getTime() / 1000 });
    assert.deepEqual(verifyWebhook("s3cret", header, `${body} `, now), { ok: false, reason: "mismatch" });
    assert.deepEqual(verifyWebhook("other", header, body, now), { ok: false, reason: "mismatch" });
    assert.deepEqual(verifyWebhook("s3cret", header, body, new Date(now.getTime() + 301_000)), {
      ok: false,
      reason: "stale",
    });
    assert.deepEqual(verifyWebhook("s3cret", "v1=abc", body, now), { ok: false, reason: "malformed" });
    assert.deepEqual(verifyWebhook("s3cret", undefined, body, now), { ok: false, reason: "malformed" });
  });
});

import { strict as assert } from "node:assert";
import { LINK_REFUSALS, signLink, verifyLink } from "../../src/domain/resumeLinks";
import { DAY_MS } from "../../src/domain/time";

const KEY = "unit-test-link-secret-0123456789";
const now = new Date("2026-11-20T10:00:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms);

/** Replaces one dot-separated field of a token. */
function withField(token: string, index: number, value: string): string {
  const parts = token.split(".");
  parts[index] = value;
  return parts.join(".");
}

describe("resume links (signed, expiring, scoped to one thread)", () => {
  it("a fresh link verifies for its thread and expires after 30 days by default, at the exact second", () => {
    const token = signLink(KEY, { purpose: "resume", threadId: "web_abc123" }, { now });
    const ok = verifyLink(KEY, token, { now: later(29 * DAY_MS), purpose: "resume" });
    assert.deepEqual(ok, {
      ok: true,
      claims: { purpose: "resume", threadId: "web_abc123", expiresAt: later(30 * DAY_MS), nonce: token.split(".")[3] },
    });
    assert.equal(verifyLink(KEY, token, { now: later(30 * DAY_MS - 1000), purpose: "resume" }).ok, true);
    const expired = verifyLink(KEY, token, { now: later(30 * DAY_MS), purpose: "resume" });
    assert.deepEqual(expired, {
      ok: false,
      reason: "expired",
      expiredAt: later(30 * DAY_MS),
      // Genuine: its thread is known, so a fresh link can go to the address on file.
      claims: { purpose: "resume", threadId: "web_abc123", expiresAt: later(30 * DAY_MS), nonce: token.split(".")[3] },
    });
  });

  it("two links for the same thread differ (random nonce) and both verify", () => {
    const a = signLink(KEY, { purpose: "resume", threadId: "t1" }, { now });
    const b = signLink(KEY, { purpose: "resume", threadId: "t1" }, { now });
    assert.notEqual(a, b);
    assert.equal(verifyLink(KEY, a, { now, purpose: "resume" }).ok, true);
    assert.equal(verifyLink(KEY, b, { now, purpose: "resume" }).ok, true);
  });

  it("says 'altered' when a genuine link's thread, expiry or signature was changed", () => {
    const token = signLink(KEY, { purpose: "resume", threadId: "web_victim" }, { now, ttlMs: DAY_MS });
    const otherThread = withField(token, 1, "web_attacker");
    const longerLife = withField(token, 2, (Number.parseInt(token.split(".")[2]!, 36) + 9_999_999).toString(36));
    const sig = token.split(".")[4]!;
    const flippedSig = withField(token, 4, `${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`);
    for (const t of [otherThread, longerLife, flippedSig]) {
      assert.deepEqual(verifyLink(KEY, t, { now, purpose: "resume" }), { ok: false, reason: "altered" });
    }
  });

  it("says 'forged' for a link signed with another key or with an invented nonce, even when expired", () => {
    const foreign = signLink("another-secret-of-someone-else", { purpose: "resume", threadId: "t1" }, { now });
    assert.deepEqual(verifyLink(KEY, foreign, { now, purpose: "resume" }), { ok: false, reason: "forged" });
    const invented = withField(
      signLink(KEY, { purpose: "resume", threadId: "t1" }, { now }),
      3,
      Buffer.alloc(16, 7).toString("base64url"),
    );
    assert.deepEqual(verifyLink(KEY, invented, { now, purpose: "resume" }), { ok: false, reason: "forged" });
    assert.equal(
      verifyLink(KEY, foreign, { now: later(400 * DAY_MS), purpose: "resume" }).ok === false && "forged",
      "forged",
    );
  });

  it("says 'malformed' for anything that is not a link, without throwing", () => {
    for (const t of [
      "",
      "abc",
      "a.b.c.d.e",
      "resume.t1.zz.!!.??",
      "resume.t/1.abc.AAAA.AAAA",
      "x".repeat(600),
      undefined as unknown as string,
    ]) {
      assert.deepEqual(verifyLink(KEY, t, { now, purpose: "resume" }), { ok: false, reason: "malformed" });
    }
  });

  it("an unsubscribe link cannot open a conversation, and the other way round", () => {
    const unsubscribe = signLink(KEY, { purpose: "unsubscribe", threadId: "t1" }, { now });
    assert.deepEqual(verifyLink(KEY, unsubscribe, { now, purpose: "resume" }), { ok: false, reason: "wrong_purpose" });
    const resume = signLink(KEY, { purpose: "resume", threadId: "t1" }, { now });
    assert.equal(verifyLink(KEY, resume, { now, purpose: "unsubscribe" }).ok, false);
    assert.equal(
      verifyLink(KEY, unsubscribe, { now: later(300 * DAY_MS), purpose: "unsubscribe" }).ok,
      true,
      "unsubscribe links live a year",
    );
  });

  it("refuses a short key and a thread id that cannot travel in a URL; every refusal has a readable text", () => {
    assert.throws(() => signLink("short", { purpose: "resume", threadId: "t1" }, { now }), /at least 16/);
    assert.throws(() => signLink(KEY, { purpose: "resume", threadId: "a/b" }, { now }), /cannot be put in a link/);
    for (const text of Object.values(LINK_REFUSALS)) assert.ok(text.length > 10);
  });
});

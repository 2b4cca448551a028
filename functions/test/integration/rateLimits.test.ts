// The widget's rate limits counted by the store's transaction on the Firestore emulator, at explicit
// times: the windows' edges are tested exactly, whatever the wall clock says.
import { strict as assert } from "node:assert";
import { RateLimited, enforceRateLimits } from "../../src/channels/web/guards";
import { bucketFor, WIDGET_RATE_LIMITS } from "../../src/domain/rateLimit";
import { MINUTE_MS, HOUR_MS } from "../../src/domain/time";
import { rateLimitPath } from "../../src/store/rateLimits";
import { adminApp, adminDb, uniqueId } from "../support/emulators";

/** A time at the start of a fresh hour, so minute and hour windows both begin there. */
const HOUR_START = Math.floor(Date.now() / HOUR_MS) * HOUR_MS + 7 * HOUR_MS;

async function outcome(run: () => Promise<void>): Promise<string> {
  try {
    await run();
    return "allowed";
  } catch (err) {
    if (err instanceof RateLimited) return `${err.rule.name} (retry in ${err.retryAfterSeconds} s)`;
    throw err;
  }
}

describe("widget rate limits, counted in Firestore at explicit times", () => {
  before(() => adminApp());

  it("10 messages a minute per visitor: the 11th is refused until the next minute, which counts afresh", async () => {
    const subjects = { visitor: uniqueId("v"), ip: "198.51.100.7" };
    const send = (at: number) => outcome(() => enforceRateLimits(["message"], subjects, at));
    for (let i = 0; i < 10; i++) assert.equal(await send(HOUR_START + i * 1000), "allowed", `message ${i + 1}`);
    assert.equal(await send(HOUR_START + 59_000), "visitor-messages-per-minute (retry in 1 s)");
    assert.equal(await send(HOUR_START + 15_000), "visitor-messages-per-minute (retry in 45 s)");
    assert.equal(await send(HOUR_START + MINUTE_MS), "allowed", "a new window");
  });

  it("30 new conversations an hour per address, then refused until the next hour", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const start = (visitor: string, at: number) =>
      outcome(() => enforceRateLimits(["message"], { visitor, ip }, at, { threadId: `web_${visitor}` }));
    for (let i = 0; i < 30; i++) assert.equal(await start(uniqueId("v"), HOUR_START + i * 1000), "allowed");
    assert.match(
      await start(uniqueId("v"), HOUR_START + 2 * MINUTE_MS),
      /^ip-new-threads-per-hour \(retry in 3480 s\)$/,
    );
    assert.equal(await start(uniqueId("v"), HOUR_START + HOUR_MS), "allowed", "the next hour");
  });

  it("a refused request counts nothing", async () => {
    const subjects = { visitor: uniqueId("v"), ip: "198.51.100.8" };
    const send = (at: number) => outcome(() => enforceRateLimits(["message"], subjects, at));
    const at = HOUR_START + 3 * HOUR_MS;
    for (let i = 0; i < 10; i++) await send(at);
    for (let i = 0; i < 5; i++) assert.notEqual(await send(at + 1000), "allowed");
    const rule = WIDGET_RATE_LIMITS.find((r) => r.name === "visitor-messages-per-minute")!;
    const counter = await adminDb()
      .doc(rateLimitPath(bucketFor(rule, subjects.visitor, at)))
      .get();
    assert.equal(counter.get("count"), 10);
  });
});

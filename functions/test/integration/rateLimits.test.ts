// The widget's rate limits counted by the store's transaction on the Firestore emulator, at explicit
// times: the windows' edges are tested exactly, whatever the wall clock says.
import { strict as assert } from "node:assert";
import type { Request } from "firebase-functions/https";
import { RateLimited, clientIp, enforceRateLimits, peerIp, requireHosting } from "../../src/channels/web/guards";
import { bucketFor, WIDGET_RATE_LIMITS } from "../../src/domain/rateLimit";
import { MINUTE_MS, HOUR_MS } from "../../src/domain/time";
import { rateLimitPath } from "../../src/store/rateLimits";
import { adminApp, adminDb, uniqueId } from "../support/emulators";
import { exhaustRateLimit } from "../support/rateLimits";

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
    const subjects = { visitor: uniqueId("v"), ip: "198.51.100.7", peer: "192.0.2.7" };
    const send = (at: number) => outcome(() => enforceRateLimits(["message"], subjects, at));
    for (let i = 0; i < 10; i++) assert.equal(await send(HOUR_START + i * 1000), "allowed", `message ${i + 1}`);
    assert.equal(await send(HOUR_START + 59_000), "visitor-messages-per-minute (retry in 1 s)");
    assert.equal(await send(HOUR_START + 15_000), "visitor-messages-per-minute (retry in 45 s)");
    assert.equal(await send(HOUR_START + MINUTE_MS), "allowed", "a new window");
  });

  it("30 new conversations an hour per address, then refused until the next hour", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const peer = uniqueId("peer");
    const start = (visitor: string, at: number) =>
      outcome(() => enforceRateLimits(["message"], { visitor, ip, peer }, at, { threadId: `web_${visitor}` }));
    for (let i = 0; i < 30; i++) assert.equal(await start(uniqueId("v"), HOUR_START + i * 1000), "allowed");
    assert.match(
      await start(uniqueId("v"), HOUR_START + 2 * MINUTE_MS),
      /^ip-new-threads-per-hour \(retry in 3480 s\)$/,
    );
    assert.equal(await start(uniqueId("v"), HOUR_START + HOUR_MS), "allowed", "the next hour");
  });

  it("a refused request counts nothing", async () => {
    const subjects = { visitor: uniqueId("v"), ip: "198.51.100.8", peer: "192.0.2.8" };
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

  it("a caller that forges a new client address per conversation is still counted under its peer address", async () => {
    const peer = uniqueId("peer");
    await exhaustRateLimit("peer-new-threads-per-hour", peer, HOUR_START + 4 * HOUR_MS);
    const at = HOUR_START + 4 * HOUR_MS + 1000;
    for (const forged of ["203.0.113.201", "203.0.113.202"]) {
      const visitor = uniqueId("v");
      assert.match(
        await outcome(() =>
          enforceRateLimits(["message"], { visitor, ip: forged, peer }, at, { threadId: `web_${visitor}` }),
        ),
        /^peer-new-threads-per-hour /,
        `forged ${forged}`,
      );
    }
  });
});

describe("the addresses a widget request is counted under", () => {
  const request = (headers: Record<string, string>) =>
    ({ get: (name: string) => headers[name.toLowerCase()], ip: "10.0.0.1" }) as unknown as Request;

  it("client: the entry Hosting appended; peer: the one Google's front end appended", () => {
    const throughHosting = request({ "x-forwarded-for": "1.1.1.1, 198.51.100.20, 192.0.2.50" });
    assert.equal(clientIp(throughHosting), "198.51.100.20", "entries the client wrote on the left are ignored");
    assert.equal(peerIp(throughHosting), "192.0.2.50");
    const direct = request({ "x-forwarded-for": "203.0.113.9" });
    assert.equal(clientIp(direct), "203.0.113.9");
    assert.equal(peerIp(direct), "203.0.113.9");
    assert.equal(peerIp(request({})), "10.0.0.1", "no header: the socket's address");
  });

  it("only requests through the site's Hosting domains are served", () => {
    const via = (host?: string) => () =>
      requireHosting(request(host ? { "x-forwarded-host": host } : {}), "https://chat.example.com", "shop-prod");
    for (const host of ["chat.example.com", "shop-prod.web.app", "SHOP-PROD.firebaseapp.com"])
      assert.doesNotThrow(via(host), host);
    for (const host of [
      undefined,
      "evil.example",
      "shop-prod.web.app.evil.example",
      "us-central1-shop-prod.cloudfunctions.net",
    ])
      assert.throws(via(host), (err: Error & { status?: number }) => err.status === 403, String(host));
  });
});

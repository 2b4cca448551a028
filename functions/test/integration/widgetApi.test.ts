import { strict as assert } from "node:assert";
import { webThreadIdFor } from "../../src/domain/ids";
import {
  adminDb,
  anonymousVisitor,
  FUNCTIONS,
  HOSTING,
  uniqueId,
  widgetSend,
  type SignedIn,
} from "../support/emulators";
import { exhaustRateLimit } from "../support/rateLimits";

const API = `${HOSTING}/api/widget`;

async function call(
  path: string,
  init: { method?: string; visitor?: SignedIn; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${API}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.visitor ? { authorization: `Bearer ${init.visitor.idToken}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    /* empty or not JSON */
  }
  return { status: res.status, headers: res.headers, body };
}

/** A documentation-range address, unique per test, so per-IP counters start empty. */
function testIp(): string {
  return `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
}

describe("widget API", function () {
  it("serves the public config: business name, greeting, availability, limits", async () => {
    const res = await call("/config");
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.name, "string"); // other suites rewrite settings/business
    assert.equal(typeof res.body.open, "boolean");
    assert.equal(res.body.messageMax, 4096);
    if (!res.body.open) assert.ok(res.body.nextOpenAt, "closed: says when it opens");
  });

  it("rejects bad input with clear errors and stores nothing", async () => {
    const visitor = await anonymousVisitor();
    const forged = await call("/messages", {
      body: { text: "hi", clientMessageId: uniqueId("c") },
      headers: { authorization: "Bearer forged" },
    });
    assert.equal(forged.status, 401);
    assert.equal((await call("/messages", { body: { text: "hi", clientMessageId: uniqueId("c") } })).status, 401);
    const malformed = await call("/messages", { visitor, body: { text: "hi", clientMessageId: "bad id!" } });
    assert.equal(malformed.status, 400);
    assert.match(String(malformed.body.error), /clientMessageId/);
    const tooLong = await call("/messages", {
      visitor,
      body: { text: "x".repeat(4097), clientMessageId: uniqueId("c") },
    });
    assert.equal(tooLong.status, 400);
    assert.match(String(tooLong.body.error), /longer than 4096/);
    const huge = await call("/messages", {
      visitor,
      body: { text: "x".repeat(40_000), clientMessageId: uniqueId("c") },
    });
    assert.equal(huge.status, 413);
    assert.equal((await call("/messages", { visitor, method: "GET" })).status, 405);
    assert.equal((await call("/nope", { visitor })).status, 404);
    const email = await call("/email", { visitor, body: { threadId: "web_x", email: "not-an-email", consent: true } });
    assert.equal(email.status, 400);
    const noConsent = await call("/email", {
      visitor,
      body: { threadId: "web_x", email: "a@example.com", consent: false },
    });
    assert.equal(noConsent.status, 400);
    assert.match(String(noConsent.body.error), /consent/);
  });

  it("allows CORS only for the business's origins; the chat app's own origin needs none", async () => {
    const visitor = await anonymousVisitor();
    const preflight = await call("/messages", {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5000", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "http://localhost:5000");
    assert.match(String(preflight.headers.get("access-control-allow-headers")), /authorization/);
    const allowed = await call("/messages", {
      visitor,
      body: { text: "from the shop", clientMessageId: uniqueId("c") },
      headers: { origin: "http://localhost:5000" },
    });
    assert.equal(allowed.status, 201);
    assert.equal(allowed.headers.get("access-control-allow-origin"), "http://localhost:5000");
    const same = await call("/messages", {
      visitor,
      body: { text: "from the iframe", clientMessageId: uniqueId("c") },
      headers: { origin: HOSTING },
    });
    assert.equal(same.status, 201);
    const evil = await call("/messages", {
      visitor,
      body: { text: "from elsewhere", clientMessageId: uniqueId("c") },
      headers: { origin: "https://evil.example" },
    });
    assert.equal(evil.status, 403);
    assert.equal(evil.headers.get("access-control-allow-origin"), null);
    const evilPreflight = await call("/messages", { method: "OPTIONS", headers: { origin: "https://evil.example" } });
    assert.equal(evilPreflight.status, 403);
    const messages = await adminDb().collection(`threads/${allowed.body.threadId}/messages`).get();
    assert.deepEqual(messages.docs.map((d) => d.get("text")).sort(), ["from the iframe", "from the shop"]);
  });

  it("lets a visitor send 10 messages in a row; at the limit, a 429 with the rule, Retry-After and nothing stored", async () => {
    const visitor = await anonymousVisitor();
    for (let i = 0; i < 10; i++) assert.equal((await widgetSend(visitor, `m${i}`)).status, 201, `message ${i}`);
    await exhaustRateLimit("visitor-messages-per-minute", visitor.uid);
    const limited = await call("/messages", {
      visitor,
      body: { text: "one too many", clientMessageId: uniqueId("c") },
    });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, "rate_limited");
    assert.equal(limited.body.rule, "visitor-messages-per-minute");
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    const thread = await adminDb()
      .doc(`threads/${webThreadIdFor(visitor.uid)}`)
      .get();
    assert.equal(thread.get("messageCount"), 10);
  });

  it("limits new conversations per IP; existing threads keep working", async () => {
    const ip = testIp();
    const headers = { "x-forwarded-for": ip };
    const [first, late] = await Promise.all([anonymousVisitor(), anonymousVisitor()]);
    const hello = (visitor: SignedIn, text = "hello") =>
      call("/messages", { visitor, body: { text, clientMessageId: uniqueId("c") }, headers });
    assert.equal((await hello(first)).status, 201);
    await exhaustRateLimit("ip-new-threads-per-hour", ip);
    const refused = await hello(late);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.rule, "ip-new-threads-per-hour");
    assert.equal((await hello(first, "still here")).status, 201, "a visitor with a thread is not a new conversation");
  });

  it("refuses calls that go around Hosting to the function's own URL, and stores nothing", async () => {
    const visitor = await anonymousVisitor();
    const direct = await fetch(`${FUNCTIONS}/widgetApi/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${visitor.idToken}` },
      body: JSON.stringify({ text: "around Hosting", clientMessageId: uniqueId("c") }),
    });
    assert.equal(direct.status, 403);
    assert.match(String(((await direct.json()) as { error: string }).error), /through the site's own address/);
    assert.equal(
      (
        await adminDb()
          .doc(`threads/${webThreadIdFor(visitor.uid)}`)
          .get()
      ).exists,
      false,
    );
  });

  it("counts a caller that forges its client address under the peer address it cannot forge", async () => {
    const peer = testIp().replace("198.51.100.", "192.0.2.");
    await exhaustRateLimit("peer-new-threads-per-hour", peer);
    const visitor = await anonymousVisitor();
    const refused = await call("/messages", {
      visitor,
      body: { text: "a fresh address every time", clientMessageId: uniqueId("c") },
      headers: { "x-forwarded-for": `${testIp()}, ${peer}` },
    });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.rule, "peer-new-threads-per-hour");
  });

  it("saves an email with consent on the visitor's own thread only", async () => {
    const owner = await anonymousVisitor();
    const other = await anonymousVisitor();
    const sent = await widgetSend(owner, "please email me");
    const threadId = sent.body.threadId!;
    const stranger = await call("/email", {
      visitor: other,
      body: { threadId, email: "x@example.com", consent: true },
    });
    assert.equal(stranger.status, 404);
    const saved = await call("/email", {
      visitor: owner,
      body: { threadId, email: "linh@example.com", consent: true, locale: "vi" },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const thread = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.equal(thread.visitor.email, "linh@example.com");
    assert.equal(thread.reach.email, true);
    assert.equal(thread.consent.email.version, "email-reply-v1");
    assert.ok(thread.windows.email, "the email window is open");
  });

  it("marks the thread seen only when something new is there", async () => {
    const visitor = await anonymousVisitor();
    const { body } = await widgetSend(visitor, "hi");
    const first = await call("/seen", { visitor, body: { threadId: body.threadId } });
    assert.equal(first.body.updated, true);
    const second = await call("/seen", { visitor, body: { threadId: body.threadId } });
    assert.equal(second.body.updated, false);
    const seen = (await adminDb().doc(`threads/${body.threadId}`).get()).get("visitorLastSeenAt");
    assert.ok(seen, "visitorLastSeenAt stored");
  });
});

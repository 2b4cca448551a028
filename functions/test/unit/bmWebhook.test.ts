import { strict as assert } from "node:assert";
import { parseUserMessage } from "../../src/channels/businessMessages/payload";
import { constantTimeEqual, signBody, verifySignature } from "../../src/channels/businessMessages/signature";
import {
  decideWebhook,
  WEBHOOK_BODY_MAX_BYTES,
  type WebhookRequest,
} from "../../src/channels/businessMessages/webhook";
import { BM_TOKEN, fixture, fixtureNames, sign } from "../support/bm";

const TOKEN = BM_TOKEN;

function signed(body: unknown, key = TOKEN): WebhookRequest {
  const rawBody = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  return { method: "POST", rawBody, signature: sign(rawBody, key), clientToken: TOKEN };
}

describe("Business Messages signature (X-Goog-Signature)", () => {
  const body = Buffer.from(JSON.stringify(fixture("text-message")));
  const good = signBody(TOKEN, body);

  it("matches an independently computed vector (openssl dgst -sha512 -hmac, base64)", () => {
    assert.equal(
      signBody("local-client-token", "hello"),
      "fyIFQAWCQZx91fN0EylOgsWVakWHIeUqO9fzKIuCOcCas3SB24fsyQEL5nQNNQHw9BGOROFaf2lmipcEZOtROQ==",
    );
    assert.equal(
      signBody("key", '{"conversationId":"c"}'),
      "pe/TR4p7pW7uR3WvHQxwe3oPG3TXdH+wzIa0eBav9cga8CHtLCoGuAWs0QhDV3UrYD7+obnBw83HvdqM6fkAIw==",
    );
  });

  it("accepts the right key", () => assert.equal(verifySignature(TOKEN, body, good), true));
  it("refuses a signature made with another key", () =>
    assert.equal(verifySignature(TOKEN, body, signBody("other-token", body)), false));
  it("refuses a truncated signature", () => assert.equal(verifySignature(TOKEN, body, good.slice(0, -4)), false));
  it("refuses an empty or missing signature", () => {
    assert.equal(verifySignature(TOKEN, body, ""), false);
    assert.equal(verifySignature(TOKEN, body, undefined), false);
  });
  it("refuses when one byte of the signature changed", () => {
    const bytes = Buffer.from(good, "base64");
    bytes[10] = bytes[10]! ^ 0x01;
    assert.equal(verifySignature(TOKEN, body, bytes.toString("base64")), false);
  });
  it("refuses when one byte of the body changed (the HMAC covers the raw bytes)", () => {
    const tampered = Buffer.from(body);
    tampered[20] = tampered[20]! ^ 0x01;
    assert.equal(verifySignature(TOKEN, tampered, good), false);
  });
  it("refuses re-serialized JSON with the same meaning", () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    assert.equal(verifySignature(TOKEN, reformatted, good), false);
  });
  it("refuses hex and url-safe encodings of the right digest", () => {
    const digest = Buffer.from(good, "base64");
    assert.equal(verifySignature(TOKEN, body, digest.toString("hex")), false);
    assert.equal(verifySignature(TOKEN, body, digest.toString("base64url")), false);
  });
  it("never verifies with an empty client token", () =>
    assert.equal(verifySignature("", body, signBody("", body)), false));
  it("compares strings of any length", () => {
    assert.equal(constantTimeEqual("abc", "abc"), true);
    assert.equal(constantTimeEqual("abc", "abcd"), false);
    assert.equal(constantTimeEqual("", ""), true);
  });
});

describe("Business Messages webhook decisions", () => {
  it("405 for anything but POST", () => {
    const d = decideWebhook({ method: "GET", rawBody: Buffer.alloc(0), clientToken: TOKEN });
    assert.deepEqual(d, { action: "reply", status: 405, reason: "use POST" });
  });

  it("413 above 256 KiB, by header or by bytes, before the signature is looked at", () => {
    const big = Buffer.alloc(WEBHOOK_BODY_MAX_BYTES + 1, 0x20);
    assert.deepEqual(decideWebhook({ method: "POST", rawBody: big, signature: sign(big), clientToken: TOKEN }), {
      action: "reply",
      status: 413,
      reason: "body larger than 256 KiB",
    });
    const byHeader = decideWebhook({
      method: "POST",
      rawBody: Buffer.from("{}"),
      contentLength: WEBHOOK_BODY_MAX_BYTES + 1,
      clientToken: TOKEN,
    });
    assert.equal((byHeader as { status: number }).status, 413);
    const exactly = decideWebhook(
      signed(`{"conversationId":"c","message":{"text":"${"x".repeat(WEBHOOK_BODY_MAX_BYTES - 80)}"},"requestId":"r"}`),
    );
    assert.equal(exactly.action, "handle");
  });

  it("answers the handshake with the secret, unsigned, only for our client token", () => {
    const body = Buffer.from(JSON.stringify(fixture("handshake")));
    assert.deepEqual(decideWebhook({ method: "POST", rawBody: body, clientToken: TOKEN }), {
      action: "handshake",
      secret: "1234567890",
    });
    const wrong = Buffer.from(JSON.stringify({ clientToken: "not-ours", secret: "s" }));
    assert.deepEqual(decideWebhook({ method: "POST", rawBody: wrong, clientToken: TOKEN }), {
      action: "reply",
      status: 401,
      reason: "unknown client token",
    });
  });

  it("401 before parsing: unsigned, wrongly signed, even when the body is not JSON", () => {
    const body = Buffer.from(JSON.stringify(fixture("text-message")));
    assert.equal(
      (decideWebhook({ method: "POST", rawBody: body, clientToken: TOKEN }) as { status: number }).status,
      401,
    );
    assert.equal((decideWebhook(signed(fixture("text-message"), "wrong-key")) as { status: number }).status, 401);
    assert.equal(
      (decideWebhook({ method: "POST", rawBody: Buffer.from("not json"), clientToken: TOKEN }) as { status: number })
        .status,
      401,
    );
  });

  it("400 only for a body that is not JSON; every other signed body is answered (unhandled, with a reason)", () => {
    const notJson = decideWebhook(signed("not json")) as { status: number; reason: string };
    assert.equal(notJson.status, 400);
    assert.match(notJson.reason, /not JSON/);
    const others = [
      signed({ message: { text: "hi" }, requestId: "r" }),
      signed(fixture("unknown-payload")),
      signed({ conversationId: "c", message: { text: "hi" } }),
      signed({ conversationId: "c", requestId: "r2", userStatus: { createTime: "2026-11-20T09:40:00Z" } }),
      signed([1, 2]),
    ].map((r) => decideWebhook(r));
    assert.deepEqual(
      others.map((d) => d.action),
      ["unhandled", "unhandled", "unhandled", "unhandled", "unhandled"],
    );
    const reasons = others.map((d) => (d as Extract<typeof d, { action: "unhandled" }>).unhandled);
    assert.match(reasons[0]!.reason, /conversationId/);
    assert.match(reasons[1]!.reason, /no known payload/);
    assert.deepEqual(reasons[1]!.kinds, ["feedbackResponse"]);
    assert.equal(reasons[1]!.requestId, "req-unknown-0001");
    assert.match(reasons[2]!.reason, /requestId/);
    assert.match(reasons[3]!.reason, /userStatus without/);
  });

  it("fields over their limits are truncated and named, not refused", () => {
    const body = fixture("text-message");
    (body.context as { userInfo: { displayName: string } }).userInfo.displayName = "N".repeat(300);
    (body as { agent: string }).agent = "a".repeat(600);
    const d = decideWebhook(signed(body));
    assert.equal(d.action, "handle");
    const h = d as Extract<typeof d, { action: "handle" }>;
    assert.equal(h.envelope.context.userInfo?.displayName, "N".repeat(256));
    assert.equal(h.envelope.agent, "a".repeat(512));
    assert.deepEqual([...h.truncated].sort(), ["agent (over 512)", "context.userInfo.displayName (over 256)"]);
    assert.equal(h.payload.kind, "message");
  });
});

describe("Business Messages payload kinds", () => {
  const expected: Record<string, string> = {
    "text-message": "message",
    "image-message": "message",
    "suggestion-response": "suggestionResponse",
    "receipts-delivered": "receipts",
    "receipts-read": "receipts",
    "user-status-typing": "userStatus",
    "user-status-live-agent": "userStatus",
    "survey-response": "surveyResponse",
    "authentication-response": "authenticationResponse",
    "dialogflow-response": "dialogflowResponse",
    "message-with-unknown-keys": "message",
  };

  it("every fixture is covered here", () => {
    assert.deepEqual(
      fixtureNames()
        .filter((n) => !["handshake", "unknown-payload"].includes(n))
        .sort(),
      Object.keys(expected).sort(),
    );
  });

  for (const [name, kind] of Object.entries(expected)) {
    it(`${name} → ${kind}`, () => {
      const d = decideWebhook(signed(fixture(name, { conversationId: "conv-1" })));
      assert.equal(d.action, "handle", JSON.stringify(d));
      if (d.action !== "handle") return;
      assert.equal(d.payload.kind, kind);
      assert.equal(d.envelope.conversationId, "conv-1");
    });
  }

  function parse(name: string) {
    const p = parseUserMessage(fixture(name, { conversationId: "conv-1", ourMessageId: "our-1" }));
    assert.ok(p.ok && p.type === "event", JSON.stringify(p));
    return p;
  }

  it("a text message keeps its text, ids, send time and context", () => {
    const p = parse("text-message");
    assert.deepEqual(p.payload, {
      kind: "message",
      text: "Do you have gluten-free cakes on Saturday?",
      messageId: "4f8a2c4e-1111-4a7b-9c3d-000000000001",
      createTime: new Date("2026-11-20T09:30:00.120Z"),
    });
    assert.equal(p.envelope.requestId, "req-text-0001");
    assert.equal(p.envelope.sendTime?.toISOString(), "2026-11-20T09:30:00.123Z");
    assert.equal(p.envelope.context.userInfo?.displayName, "Minh Anh");
    assert.equal(p.envelope.context.placeId, "ChIJN1t_tDeuEmsRUsoyG83frY4");
  });

  it("an image is the signed storage URL in text", () => {
    const p = parse("image-message");
    assert.ok(p.payload.kind === "message");
    assert.match(p.payload.imageUrl ?? "", /^https:\/\/storage\.googleapis\.com\/copper_test\//);
    assert.equal(p.envelope.context.widget?.url, "https://bakery.example/menu");
  });

  it("a suggestion response keeps the chip text and opaque postback data", () => {
    const p = parse("suggestion-response");
    assert.deepEqual(p.payload, {
      kind: "suggestionResponse",
      text: "Order a cake",
      postbackData: "order-cake",
      inReplyTo: "0b6b5f4e-2222-4a7b-9c3d-000000000001",
      type: "REPLY",
      createTime: new Date("2026-11-20T09:32:00Z"),
    });
  });

  it("receipts name our message id, batched", () => {
    const p = parse("receipts-read");
    assert.deepEqual(p.payload, {
      kind: "receipts",
      receipts: [
        { messageId: "our-1", receiptType: "READ" },
        { messageId: "our-1", receiptType: "READ" },
      ],
    });
  });

  it("isTyping and requestedLiveAgent accept booleans and strings", () => {
    for (const [value, typing] of [
      ["true", true],
      [true, true],
      ["false", false],
      [false, false],
    ] as const) {
      const p = parseUserMessage({ conversationId: "c", userStatus: { isTyping: value } });
      assert.ok(p.ok && p.type === "event");
      assert.deepEqual(p.payload, { kind: "userStatus", isTyping: typing, requestedLiveAgent: undefined });
    }
    const live = parse("user-status-live-agent");
    assert.equal(live.payload.kind === "userStatus" && live.payload.requestedLiveAgent, true);
    const bad = parseUserMessage({ conversationId: "c", userStatus: { isTyping: "maybe" } });
    assert.ok(bad.ok && bad.type === "unhandled");
  });

  it("survey and authentication responses (redirect_uri as the test framework spells it)", () => {
    const s = parse("survey-response");
    assert.ok(s.payload.kind === "surveyResponse");
    assert.equal(s.payload.response.rating, "VERY_SATISFIED");
    assert.equal(s.payload.response.feedback, "Lovely cake, thanks!");
    const a = parse("authentication-response");
    assert.deepEqual(a.payload, {
      kind: "authenticationResponse",
      code: "4/0AX4XfWh-auth-code",
      redirectUri: "https://business.google.com/callback",
      error: undefined,
      errorDescription: undefined,
    });
  });

  it("unknown keys are ignored, not rejected", () => {
    const p = parse("message-with-unknown-keys");
    assert.equal(p.payload.kind, "message");
    assert.equal(JSON.stringify(p).includes("someFutureField"), false);
  });

  it("malformed known payloads are unhandled (not refused), with the field named", () => {
    const p = parseUserMessage({ conversationId: "c", requestId: "r", message: { text: "" } });
    assert.ok(p.ok && p.type === "unhandled");
    assert.match(p.unhandled.reason, /message\.text/);
    const r = parseUserMessage({ conversationId: "c", receipts: { receipts: [] } });
    assert.ok(r.ok && r.type === "unhandled");
    assert.match(r.unhandled.reason, /receipts/);
  });
});

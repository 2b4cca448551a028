import { strict as assert } from "node:assert";
import { bmThreadIdFor, hashId, messageIdFor } from "../../src/domain/ids";
import { bmMessageUuid } from "../../src/channels/businessMessages/outbound";
import { fixture, postWebhook, sign, sim, uniqueConversation, webhookLog } from "../support/bm";
import { adminDb, uniqueId } from "../support/emulators";
import { waitUntil } from "../support/wait";

const DAY = 86_400_000;
const thread = (conversationId: string) => adminDb().doc(`threads/${bmThreadIdFor(conversationId)}`);
const messages = (conversationId: string) => adminDb().collection(`threads/${bmThreadIdFor(conversationId)}/messages`);

/** A fixture for a fresh conversation, with a fresh requestId. */
function fresh(name: string, conversationId = uniqueConversation(), ourMessageId?: string) {
  return { conversationId, body: fixture(name, { conversationId, ourMessageId, requestId: uniqueId("req-") }) };
}

describe("Business Messages webhook on the emulators", function () {
  it("answers the handshake with the secret as plain text, and refuses another client token", async () => {
    const ok = await postWebhook(fixture("handshake"), { signature: null });
    assert.equal(ok.status, 200);
    assert.equal(ok.text, "1234567890");
    assert.match(ok.contentType, /text\/plain/);
    const bad = await postWebhook({ clientToken: "someone-else", secret: "s3cret-value" }, { signature: null });
    assert.equal(bad.status, 401);
    assert.equal(bad.text.includes("s3cret-value"), false);
  });

  it("a text message creates a bm thread with the visitor's name, context and a rolling 30-day window", async () => {
    const { conversationId, body } = fresh("text-message");
    const res = await postWebhook(body);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json?.outcome, "stored");
    const t = (await thread(conversationId).get()).data()!;
    assert.equal(t.origin, "bm");
    assert.equal(t.visitor.displayName, "Minh Anh");
    assert.equal(t.visitor.locale, "vi-VN");
    assert.equal(t.bm.conversationId, conversationId);
    assert.equal(t.bm.agent, "brands/1234/agents/5678");
    assert.equal(t.bm.entryPoint, "PLACESHEET");
    assert.equal(t.bm.placeId, "ChIJN1t_tDeuEmsRUsoyG83frY4");
    assert.equal(t.bm.lastUserMessageId, "4f8a2c4e-1111-4a7b-9c3d-000000000001");
    assert.equal(t.reach.bm, true);
    // The user's createTime (09:30:00.120, before Google's sendTime .123 and before our arrival) anchors the window.
    assert.equal(t.lastVisitorMessageAt.toDate().toISOString(), "2026-11-20T09:30:00.120Z");
    assert.equal(t.windows.bm.toDate().getTime(), Date.parse("2026-11-20T09:30:00.120Z") + 30 * DAY);
    const m = (
      await messages(conversationId)
        .doc(messageIdFor("bm", body.requestId as string))
        .get()
    ).data()!;
    assert.equal(m.from, "visitor");
    assert.equal(m.text, "Do you have gluten-free cakes on Saturday?");
    assert.equal(m.externalId, body.requestId);
  });

  it("an image is stored as an image reference; a suggestion response as a message with its postback; both roll the window", async () => {
    const conversationId = uniqueConversation();
    const image = fresh("image-message", conversationId).body;
    assert.equal((await postWebhook(image)).status, 200);
    const suggestion = fresh("suggestion-response", conversationId).body;
    assert.equal((await postWebhook(suggestion)).status, 200);
    const img = (
      await messages(conversationId)
        .doc(messageIdFor("bm", image.requestId as string))
        .get()
    ).data()!;
    assert.match(img.image.url, /^https:\/\/storage\.googleapis\.com\//);
    assert.equal(img.text, "(image)");
    const chip = (
      await messages(conversationId)
        .doc(messageIdFor("bm", suggestion.requestId as string))
        .get()
    ).data()!;
    assert.equal(chip.text, "Order a cake");
    assert.equal(chip.postbackData, "order-cake");
    assert.equal(chip.suggestionType, "REPLY");
    const t = (await thread(conversationId).get()).data()!;
    assert.equal(t.messageCount, 2);
    assert.equal(t.bm.widgetUrl, "https://bakery.example/menu");
    assert.equal(t.bm.entryPoint, "WEB_WIDGET");
    assert.equal(t.lastVisitorMessageAt.toDate().toISOString(), "2026-11-20T09:32:00.000Z");
  });

  it("the window is anchored on createTime, capped by arrival: a createTime in the future counts as now", async () => {
    const { conversationId, body } = fresh("text-message");
    (body.message as { createTime: string }).createTime = new Date(Date.now() + 5 * DAY).toISOString();
    (body as { sendTime: string }).sendTime = "2026-11-20T09:30:00Z";
    const before = Date.now();
    assert.equal((await postWebhook(body)).status, 200);
    const anchor = (await thread(conversationId).get()).get("lastVisitorMessageAt").toDate().getTime();
    assert.ok(anchor >= before - 5_000 && anchor <= Date.now() + 5_000, new Date(anchor).toISOString());
  });

  it("receipts advance our message's delivery once per (message, type), never backwards", async () => {
    const { conversationId, body } = fresh("text-message");
    await postWebhook(body);
    const threadId = bmThreadIdFor(conversationId);
    const uuid = bmMessageUuid(threadId, "agent_receipts");
    const ours = messages(conversationId).doc("agent_receipts");
    await ours.set({
      from: "agent",
      text: "Yes we do",
      createdAt: new Date(),
      delivery: { channel: "bm", state: "sent", attempts: 1 },
      bm: { messageIds: [uuid] },
    });

    const delivered = await postWebhook(fixture("receipts-delivered", { conversationId, ourMessageId: uuid }));
    assert.equal(delivered.json?.outcome, "updated", delivered.text);
    assert.equal((await ours.get()).get("delivery.state"), "delivered");
    const again = await postWebhook(fixture("receipts-delivered", { conversationId, ourMessageId: uuid }));
    assert.equal(again.json?.outcome, "duplicate");

    const read = await postWebhook(fixture("receipts-read", { conversationId, ourMessageId: uuid }));
    assert.equal(read.status, 200);
    const after = (await ours.get()).data()!;
    assert.equal(after.delivery.state, "read");
    assert.ok(after.bm.receipts[uuid].DELIVERED && after.bm.receipts[uuid].READ);
    const late = await postWebhook(fixture("receipts-delivered", { conversationId, ourMessageId: uuid }));
    assert.equal(late.json?.outcome, "duplicate");
    assert.equal((await ours.get()).get("delivery.state"), "read");
    const unknown = await postWebhook(
      fixture("receipts-delivered", { conversationId, ourMessageId: "11111111-2222-5333-8444-555555555555" }),
    );
    assert.equal(unknown.status, 200);
    assert.equal(unknown.json?.outcome, "ignored");
  });

  it("typing is a signal beside the thread and never touches the thread document", async () => {
    const { conversationId, body } = fresh("text-message");
    await postWebhook(body);
    // The message's own trigger plans a follow-up on the thread; only then is the thread at rest.
    const before = await waitUntil("follow-up planned", async () => {
      const snap = await thread(conversationId).get();
      return snap.get("followUp.state") === "planned" ? snap : undefined;
    });
    const typing = await postWebhook(fresh("user-status-typing", conversationId).body);
    assert.equal(typing.status, 200);
    const signal = (
      await adminDb()
        .doc(`threads/${bmThreadIdFor(conversationId)}/signals/typing`)
        .get()
    ).data()!;
    assert.equal(signal.visitorTyping, true);
    const stopped = { ...fresh("user-status-typing", conversationId).body, userStatus: { isTyping: false } };
    await postWebhook(stopped);
    assert.equal(
      (
        await adminDb()
          .doc(`threads/${bmThreadIdFor(conversationId)}/signals/typing`)
          .get()
      ).get("visitorTyping"),
      false,
    );
    const after = await thread(conversationId).get();
    assert.equal(after.updateTime?.toMillis(), before.updateTime?.toMillis());
  });

  it("a live-agent request flags the thread for a human (once)", async () => {
    const { conversationId, body } = fresh("user-status-live-agent");
    const res = await postWebhook(body);
    assert.equal(res.json?.outcome, "updated", res.text);
    const t = (await thread(conversationId).get()).data()!;
    assert.ok(t.bm.liveAgentRequestedAt);
    assert.equal(t.status, "open");
    assert.equal(t.visitor.displayName, "Minh Anh");
    assert.equal((await postWebhook(fresh("user-status-live-agent", conversationId).body)).json?.outcome, "duplicate");
  });

  it("survey and authentication responses are stored once; dialogflow responses are ignored", async () => {
    const conversationId = uniqueConversation();
    const survey = fresh("survey-response", conversationId).body;
    assert.equal((await postWebhook(survey)).json?.outcome, "stored");
    assert.equal((await postWebhook(survey)).json?.outcome, "duplicate");
    const stored = (
      await adminDb()
        .doc(`threads/${bmThreadIdFor(conversationId)}/bmInbound/${messageIdFor("bm", survey.requestId as string)}`)
        .get()
    ).data()!;
    assert.equal(stored.rating, "VERY_SATISFIED");
    assert.equal(stored.feedback, "Lovely cake, thanks!");
    const auth = fresh("authentication-response", conversationId).body;
    assert.equal((await postWebhook(auth)).json?.outcome, "stored");
    const a = (
      await adminDb()
        .doc(`threads/${bmThreadIdFor(conversationId)}/bmInbound/${messageIdFor("bm", auth.requestId as string)}`)
        .get()
    ).data()!;
    assert.equal(a.code, "4/0AX4XfWh-auth-code");
    assert.equal(a.redirectUri, "https://business.google.com/callback");
    const df = await postWebhook(fresh("dialogflow-response", conversationId).body);
    assert.equal(df.status, 200);
    assert.equal(df.json?.outcome, "ignored");
    assert.equal((await thread(conversationId).get()).exists, false);
  });

  it("extra unknown keys are ignored", async () => {
    const { conversationId, body } = fresh("message-with-unknown-keys");
    assert.equal((await postWebhook(body)).status, 200);
    const m = (await messages(conversationId).get()).docs.map((d) => d.data());
    assert.deepEqual(
      m.map((x) => x.text),
      ["Extra keys are fine"],
    );
  });

  it("401 for unsigned, wrongly signed, truncated or tampered requests: nothing stored, nothing echoed", async () => {
    const { conversationId, body } = fresh("text-message");
    const raw = Buffer.from(JSON.stringify(body));
    const good = sign(raw);
    const flipped = Buffer.from(good, "base64");
    flipped[0] = flipped[0]! ^ 0x80;
    for (const signature of [null, "", sign(raw, "wrong-token"), good.slice(0, 40), flipped.toString("base64")]) {
      const res = await postWebhook(undefined, { raw, signature });
      assert.equal(res.status, 401, `signature ${JSON.stringify(signature)}`);
      assert.equal(res.text.includes("gluten"), false);
    }
    assert.equal((await thread(conversationId).get()).exists, false);
    assert.equal((await messages(conversationId).get()).size, 0);
  });

  it("400 only for signed bodies that are not JSON; 405 for GET; 413 over 256 KiB", async () => {
    // Sent as JSON, a body that is not JSON is refused by the functions framework's parser (400,
    // before our code); with another content type our handler checks the signature, then says why.
    const notJson = await postWebhook(undefined, { raw: "this is not json", contentType: "text/plain" });
    assert.equal(notJson.status, 400);
    assert.match(String(notJson.json?.error), /not JSON/);
    const unsignedNotJson = await postWebhook(undefined, {
      raw: "this is not json",
      contentType: "text/plain",
      signature: null,
    });
    assert.equal(unsignedNotJson.status, 401);
    assert.equal((await postWebhook(undefined, { raw: "{not json" })).status, 400);
    const get = await postWebhook(undefined, { method: "GET", signature: null });
    assert.equal(get.status, 405);
    const big = fresh("text-message");
    (big.body.message as { text: string }).text = "x".repeat(300 * 1024);
    const tooBig = await postWebhook(big.body);
    assert.equal(tooBig.status, 413);
    assert.equal((await thread(big.conversationId).get()).exists, false);
  });

  it("every signed JSON body is answered 200: unknown kinds, userStatus without a flag, malformed payloads are kept once in bmUnhandled", async () => {
    const unhandled = (requestId: string) => adminDb().doc(`bmUnhandled/${hashId("bm-unhandled", requestId)}`);
    const feedback = fresh("unknown-payload");
    const noFlag: Record<string, unknown> = {
      ...fresh("user-status-typing", feedback.conversationId).body,
      userStatus: { createTime: "2026-11-20T09:40:00Z" },
    };
    const emptyText: Record<string, unknown> = {
      ...fresh("text-message", feedback.conversationId).body,
      message: { text: "" },
    };
    const noConversation = { requestId: uniqueId("req-"), message: { text: "hi" } };
    for (const body of [feedback.body, noFlag, emptyText, noConversation]) {
      const res = await postWebhook(body);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json?.outcome, "unhandled", res.text);
    }
    const kept = (await unhandled(feedback.body.requestId as string).get()).data()!;
    assert.deepEqual(kept.kinds, ["feedbackResponse"]);
    assert.match(kept.reason, /no known payload/);
    assert.equal(kept.conversationId, feedback.conversationId);
    assert.equal(JSON.parse(kept.body).feedbackResponse.rating, 5);
    assert.ok(kept.expireAt.toMillis() > Date.now() + 6 * DAY);
    assert.match((await unhandled(noFlag.requestId as string).get()).get("reason"), /userStatus without/);
    assert.match((await unhandled(emptyText.requestId as string).get()).get("reason"), /message\.text/);
    assert.match((await unhandled(noConversation.requestId).get()).get("reason"), /conversationId/);
    // Google redelivers: kept once.
    const again = await postWebhook(feedback.body);
    assert.equal(again.status, 200);
    assert.equal(again.json?.outcome, "duplicate");
    assert.equal((await thread(feedback.conversationId).get()).exists, false);
  });

  it("bmUnhandled is capped: only the newest 100 bodies are kept", async () => {
    const conversationId = uniqueConversation();
    const ids: string[] = [];
    for (let i = 0; i < 103; i++) {
      const body = fresh("unknown-payload", conversationId).body;
      ids.push(body.requestId as string);
      assert.equal((await postWebhook(body)).status, 200);
    }
    const kept = await adminDb().collection("bmUnhandled").get();
    assert.equal(kept.size, 100);
    const newest = await adminDb()
      .doc(`bmUnhandled/${hashId("bm-unhandled", ids[ids.length - 1]!)}`)
      .get();
    assert.ok(newest.exists);
    assert.equal(
      (
        await adminDb()
          .doc(`bmUnhandled/${hashId("bm-unhandled", ids[0]!)}`)
          .get()
      ).exists,
      false,
    );
  });

  it("fields over their limits are truncated (and logged), not refused", async () => {
    const { conversationId, body } = fresh("text-message");
    (body.context as { userInfo: { displayName: string } }).userInfo.displayName = "Minh ".repeat(80);
    (body as { agent: string }).agent = `brands/1234/agents/${"5".repeat(600)}`;
    const res = await postWebhook(body);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json?.outcome, "stored");
    const t = (await thread(conversationId).get()).data()!;
    assert.equal(t.visitor.displayName.length, 256);
    assert.equal(t.bm.agent.length, 512);
  });

  it("a retried request changes nothing (sequential duplicates)", async () => {
    const { conversationId, body } = fresh("text-message");
    const first = await postWebhook(body);
    const second = await postWebhook(body);
    assert.equal(first.json?.outcome, "stored");
    assert.equal(second.status, 200);
    assert.equal(second.json?.outcome, "duplicate");
    const t = (await thread(conversationId).get()).data()!;
    assert.equal(t.messageCount, 1);
    assert.equal(t.unreadForAgents, 1);
    assert.equal((await messages(conversationId).get()).size, 1);
  });

  it("the simulator redelivers unacknowledged webhooks (same requestId, backoff, reordered): each message stored once", async () => {
    const conversationId = uniqueConversation();
    await sim("/sim/conversations", { conversationId, displayName: "Redelivered" });
    await sim(`/sim/conversations/${conversationId}/lose-acks`, { count: 3 });
    const batch = await sim<{ deliveredInOrder: string[] }>(`/sim/conversations/${conversationId}/send-batch`, {
      reorder: true,
      actions: [
        { kind: "text", text: "first" },
        { kind: "text", text: "second" },
        { kind: "text", text: "third" },
      ],
    });
    const log = await waitUntil("each request delivered twice", async () => {
      const all = await webhookLog(conversationId);
      if (all.filter((d) => d.attempt === 2 && d.status === 200).length === 3) return all;
      throw new Error(
        `deliveries so far: ${JSON.stringify(all.map((d) => [d.requestId?.slice(0, 8), d.attempt, d.status]))}`,
      );
    });
    const ids = batch.deliveredInOrder;
    assert.equal(new Set(ids).size, 3);
    for (const id of ids) {
      const tries = log.filter((d) => d.requestId === id);
      assert.deepEqual(
        tries.map((d) => [d.attempt, d.status, d.outcome]),
        [
          [1, 200, "stored"],
          [2, 200, "duplicate"],
        ],
      );
    }
    const stored = await messages(conversationId).orderBy("createdAt").get();
    assert.equal(stored.size, 3);
    assert.deepEqual(
      stored.docs.map((d) => d.get("text")),
      ["third", "second", "first"],
    );
    assert.equal((await thread(conversationId).get()).get("messageCount"), 3);
  });

  it("concurrent deliveries of the same request store one message", async () => {
    const { conversationId, body } = fresh("text-message");
    const results = await Promise.all(Array.from({ length: 6 }, () => postWebhook(body)));
    assert.deepEqual(
      results.map((r) => r.status),
      Array(6).fill(200),
    );
    assert.deepEqual(results.filter((r) => r.json?.outcome === "stored").length, 1);
    const t = (await thread(conversationId).get()).data()!;
    assert.equal(t.messageCount, 1);
    assert.equal((await messages(conversationId).get()).size, 1);
  });
});

import { strict as assert } from "node:assert";
import { bmThreadIdFor } from "../../src/domain/ids";
import { generateKeyPairSync, randomUUID, sign as cryptoSign, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { SIMULATOR, sim, simRequests, uniqueConversation } from "../support/bm";
import { adminDb, callable, consoleUser, uniqueId } from "../support/emulators";
import { runTask } from "../support/wrapped";
import { waitUntil } from "../support/wait";
import { bmDeliver } from "../../src/endpoints/bmDeliver";

/** A conversation as the phone starts it: created in the simulator, first message through the signed webhook. */
async function startConversation(
  displayName = "Quynh on the phone",
): Promise<{ conversationId: string; threadId: string }> {
  const conversationId = uniqueConversation();
  await sim("/sim/conversations", { conversationId, displayName });
  const sent = await sim<{ status: number }>(`/sim/conversations/${conversationId}/send`, {
    kind: "text",
    text: "Hello, are you open today?",
  });
  assert.equal(sent.status, 200, JSON.stringify(sent));
  return { conversationId, threadId: bmThreadIdFor(conversationId) };
}

async function agentReplies(threadId: string, text: string) {
  const agent = await consoleUser("agent");
  const reply = await callable<{ messageId: string; channel: string }>(
    "agentReply",
    { threadId, text, clientMessageId: uniqueId("r") },
    agent.idToken,
  );
  assert.equal(reply.status, 200, JSON.stringify(reply.error));
  assert.equal(reply.result?.channel, "bm");
  return reply.result!.messageId;
}

const message = (threadId: string, messageId: string) => adminDb().doc(`threads/${threadId}/messages/${messageId}`);

async function deliveryState(threadId: string, messageId: string, wanted: string[]) {
  return waitUntil(`delivery state ${wanted.join("|")}`, async () => {
    const d = (await message(threadId, messageId).get()).get("delivery");
    return wanted.includes(d?.state) ? d : undefined;
  });
}

/** A message written straight to Firestore, as an automated follow-up would be. */
async function storeBotMessage(threadId: string, text: string): Promise<string> {
  const id = uniqueId("bot_");
  await message(threadId, id).create({
    from: "bot",
    text,
    createdAt: new Date(),
    delivery: { channel: "bm", state: "pending", attempts: 0 },
  });
  return id;
}

describe("Business Messages delivery through the task queue, against the simulator", function () {
  it("the phone's message becomes a bm thread; an agent reply reaches the phone as HUMAN with the agent's name, then delivered", async () => {
    const { conversationId, threadId } = await startConversation("Quynh on the phone");
    const thread = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.equal(thread.origin, "bm");
    assert.equal(thread.visitor.displayName, "Quynh on the phone");

    const messageId = await agentReplies(threadId, "Yes, until 7 pm!");
    const delivery = await deliveryState(threadId, messageId, ["delivered", "read"]);
    assert.equal(delivery.attempts, 1);
    const calls = await simRequests(conversationId, "messages.create");
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.status, 200);
    assert.equal(calls[0]!.hasAuthorization, true);
    // Signed in through google-auth-library with the simulator's service-account key: a minted token.
    assert.equal(calls[0]!.authenticated, true);
    assert.equal(calls[0]!.body.text, "Yes, until 7 pm!");
    assert.equal(calls[0]!.body.representative?.representativeType, "HUMAN");
    assert.match(calls[0]!.body.representative?.displayName ?? "", /^Test agent/);
    const stored = (await message(threadId, messageId).get()).data()!;
    assert.deepEqual(stored.bm.messageIds, [calls[0]!.body.messageId]);
    const phone = await sim<{ messages: { from: string; text: string }[] }>(`/sim/conversations/${conversationId}`);
    assert.ok(phone.messages.some((m) => m.from === "business" && m.text === "Yes, until 7 pm!"));

    // The phone reads it: READ receipt through the signed webhook.
    await sim(`/sim/conversations/${conversationId}/send`, { kind: "receipt", receiptType: "READ" });
    await deliveryState(threadId, messageId, ["read"]);
  });

  it("the simulator is as strict as Google about sign-in: any other bearer is 401, an assertion signed by another key gets no token", async () => {
    const conversationId = uniqueConversation();
    await sim("/sim/conversations", { conversationId });
    const res = await fetch(`${SIMULATOR}/v1/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer local-simulator" },
      body: JSON.stringify({ messageId: randomUUID(), representative: { representativeType: "BOT" }, text: "hi" }),
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { status: string } }).error.status, "UNAUTHENTICATED");
    const key = JSON.parse(readFileSync(`${__dirname}/../../../.cache/bm-simulator/service-account.json`, "utf8"));
    const forge = (privateKey: KeyObject | string) => {
      const now = Math.floor(Date.now() / 1000);
      const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const unsigned = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({
        iss: key.client_email,
        aud: "https://oauth2.googleapis.com/token",
        scope: "https://www.googleapis.com/auth/businessmessages",
        iat: now,
        exp: now + 3600,
      })}`;
      return `${unsigned}.${cryptoSign("RSA-SHA256", Buffer.from(unsigned), privateKey).toString("base64url")}`;
    };
    const token = (assertion: string) =>
      fetch(key.token_uri, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
      });
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const refused = await token(forge(stranger));
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: string }).error, "invalid_grant");
    const granted = await token(forge(key.private_key));
    assert.equal(granted.status, 200);
  });

  it("an agent reply with suggestions reaches the phone in Google's JSON with a fallback; over-limit chips are refused", async () => {
    const { conversationId, threadId } = await startConversation();
    const agent = await consoleUser("agent");
    const suggestions = [
      { reply: { text: "Tomorrow 9 am", postbackData: "slot-9" } },
      { action: { text: "Call the shop", postbackData: "call", dialAction: { phoneNumber: "+14155550100" } } },
      { action: { text: "See the menu", postbackData: "menu", openUrlAction: { url: "https://bakery.example/menu" } } },
      { liveAgentRequest: {} },
    ];
    const ok = await callable<{ messageId: string }>(
      "agentReply",
      { threadId, text: "When would you like it?", clientMessageId: uniqueId("r"), suggestions },
      agent.idToken,
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.error));
    await deliveryState(threadId, ok.result!.messageId, ["sent", "delivered", "read"]);
    const [call] = await simRequests(conversationId, "messages.create");
    const body = call!.body as { suggestions?: unknown[]; fallback?: string };
    assert.equal(call!.status, 200, JSON.stringify(call));
    // A HUMAN may not offer the live-agent chip (Google refuses it): dropped, the rest sent as given.
    assert.deepEqual(body.suggestions, suggestions.slice(0, 3));
    assert.equal(
      body.fallback,
      "When would you like it?\n\nTomorrow 9 am\nCall the shop: +14155550100\nSee the menu: https://bakery.example/menu",
    );
    for (const bad of [
      [{ reply: { text: "x".repeat(26), postbackData: "p" } }],
      Array.from({ length: 14 }, (_, i) => ({ reply: { text: `chip ${i}`, postbackData: `p${i}` } })),
      [{ reply: { text: "Big", postbackData: "x".repeat(2049) } }],
    ]) {
      const refused = await callable(
        "agentReply",
        { threadId, text: "Too many", clientMessageId: uniqueId("r"), suggestions: bad },
        agent.idToken,
      );
      assert.equal(refused.status, 400, JSON.stringify(refused));
    }
  });

  it("a reply with a card goes as two messages (text, then card) that the strict simulator accepts, each with a fallback and the agent's avatar", async () => {
    const { conversationId, threadId } = await startConversation();
    const agent = await consoleUser("agent");
    // The agent's avatar (agents/{uid}.avatarUrl) goes as representative.avatarImage on every part.
    const avatar = "https://bakery.example/avatar.png";
    await adminDb().doc(`agents/${agent.uid}`).set({ avatarUrl: avatar });
    const richCard = {
      standaloneCard: {
        cardContent: {
          title: "Chocolate cake",
          description: "Serves 8, ready tomorrow",
          media: { height: "MEDIUM", contentInfo: { fileUrl: "https://bakery.example/cake.jpg", altText: "A cake" } },
          suggestions: [{ reply: { text: "Order it", postbackData: "order-cake" } }],
        },
      },
    };
    const ok = await callable<{ messageId: string }>(
      "agentReply",
      { threadId, text: "Here is the one I meant:", clientMessageId: uniqueId("r"), richCard },
      agent.idToken,
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.error));
    await deliveryState(threadId, ok.result!.messageId, ["sent", "delivered", "read"]);
    const stored = (await message(threadId, ok.result!.messageId).get()).data()!;
    assert.deepEqual(stored.richCard, richCard);
    const calls = await simRequests(conversationId, "messages.create");
    assert.deepEqual(
      calls.map((c) => [c.status, Object.keys(c.body).filter((k) => ["text", "image", "richCard"].includes(k))]),
      [
        [200, ["text"]],
        [200, ["richCard"]],
      ],
    );
    assert.notEqual(calls[0]!.body.messageId, calls[1]!.body.messageId);
    assert.deepEqual(
      calls.map((c) => c.body.representative?.avatarImage),
      [avatar, avatar],
    );
    assert.deepEqual(calls[1]!.body.richCard, richCard);
    assert.equal(calls[1]!.body.fallback, "Chocolate cake\nServes 8, ready tomorrow\nOrder it");
    // Google's limits are checked before anything is stored: an http image, a 5th chip, a 1-card carousel.
    const card = richCard.standaloneCard.cardContent;
    for (const bad of [
      {
        standaloneCard: {
          cardContent: { ...card, media: { contentInfo: { fileUrl: "http://bakery.example/a.jpg" } } },
        },
      },
      { standaloneCard: { cardContent: { ...card, suggestions: Array(5).fill(card.suggestions[0]) } } },
      { carouselCard: { cardWidth: "MEDIUM", cardContents: [card] } },
    ]) {
      const refused = await callable(
        "agentReply",
        { threadId, text: "Bad card", clientMessageId: uniqueId("r"), richCard: bad },
        agent.idToken,
      );
      assert.equal(refused.status, 400, JSON.stringify(refused));
    }
  });

  it("automated messages go as BOT; any pending bm message is delivered, not only agent replies", async () => {
    const { conversationId, threadId } = await startConversation();
    const id = await storeBotMessage(threadId, "Still thinking about that cake?");
    await deliveryState(threadId, id, ["sent", "delivered", "read"]);
    const [call] = await simRequests(conversationId, "messages.create");
    assert.deepEqual(call!.body.representative, { representativeType: "BOT" });
  });

  it("429 then 500 are retried with backoff, with the same messageId every time", async () => {
    const { conversationId, threadId } = await startConversation();
    await sim("/sim/failures", { conversationId, method: "messages.create", status: 429, count: 1 });
    await sim("/sim/failures", { conversationId, method: "messages.create", status: 500, count: 1 });
    const messageId = await agentReplies(threadId, "Retry me");
    const delivery = await deliveryState(threadId, messageId, ["sent", "delivered", "read"]);
    assert.equal(delivery.attempts, 3);
    const calls = await simRequests(conversationId, "messages.create");
    assert.deepEqual(
      calls.map((c) => c.status),
      [429, 500, 200],
    );
    assert.equal(new Set(calls.map((c) => c.body.messageId)).size, 1);
  });

  it("a slow API (delay) still delivers once", async () => {
    const { conversationId, threadId } = await startConversation();
    await sim("/sim/failures", { conversationId, method: "messages.create", delayMs: 1500, count: 1 });
    const messageId = await agentReplies(threadId, "Slowly");
    await deliveryState(threadId, messageId, ["sent", "delivered", "read"]);
    assert.equal((await simRequests(conversationId, "messages.create")).length, 1);
  });

  it("403 for the conversation is permanent: failed with a readable reason, and the thread stops offering bm", async () => {
    const { conversationId, threadId } = await startConversation();
    await sim("/sim/failures", { conversationId, status: 403 });
    const messageId = await agentReplies(threadId, "Are you there?");
    const delivery = await deliveryState(threadId, messageId, ["failed"]);
    assert.match(delivery.error, /403/);
    assert.match(delivery.error, /blocked|no longer exists/);
    assert.equal((await simRequests(conversationId, "messages.create")).length, 1);
    const thread = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.equal(thread.reach.bm, false);
  });

  it("503 is permanent: failed after one call, not retried", async () => {
    const { conversationId, threadId } = await startConversation();
    await sim("/sim/failures", { conversationId, method: "messages.create", status: 503, count: 1 });
    const messageId = await agentReplies(threadId, "Anyone there?");
    const delivery = await deliveryState(threadId, messageId, ["failed"]);
    assert.match(delivery.error, /503/);
    assert.equal(delivery.attempts, 1);
    assert.equal((await simRequests(conversationId, "messages.create")).length, 1);
  });

  it("bot follow-ups, then an agent: REPRESENTATIVE_JOINED before the first HUMAN message; LEFT before the next BOT one", async () => {
    const { conversationId, threadId } = await startConversation();
    const events = async () =>
      (await simRequests(conversationId, "events.create"))
        .filter((e) => e.status === 200)
        .map((e) => (e.body as { eventType?: string }).eventType);
    const bot = await storeBotMessage(threadId, "Still thinking about that cake?");
    await deliveryState(threadId, bot, ["sent", "delivered", "read"]);
    const human = await agentReplies(threadId, "Hi, Test agent here");
    await deliveryState(threadId, human, ["sent", "delivered", "read"]);
    const human2 = await agentReplies(threadId, "Anything else?");
    await deliveryState(threadId, human2, ["sent", "delivered", "read"]);
    const bot2 = await storeBotMessage(threadId, "Back to the bot");
    await deliveryState(threadId, bot2, ["sent", "delivered", "read"]);
    const phone = await sim<{
      messages: { from: string; text: string; seq: number }[];
      events: { eventType: string; seq: number; representative: { representativeType: string } }[];
    }>(`/sim/conversations/${conversationId}`);
    // The phone's timeline: business messages and events in the order the simulator accepted them.
    const timeline = [
      ...phone.messages.filter((m) => m.from === "business").map((m) => ({ seq: m.seq, what: m.text })),
      ...phone.events.map((e) => ({ seq: e.seq, what: `${e.eventType}/${e.representative.representativeType}` })),
    ]
      .sort((a, b) => a.seq - b.seq)
      .map((x) => x.what);
    assert.deepEqual(timeline, [
      "Still thinking about that cake?",
      "REPRESENTATIVE_JOINED/HUMAN",
      "Hi, Test agent here",
      "Anything else?",
      "REPRESENTATIVE_LEFT/BOT",
      "Back to the bot",
    ]);
    assert.deepEqual(await events(), ["REPRESENTATIVE_JOINED", "REPRESENTATIVE_LEFT"]);
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).get("bm.speaker"), "BOT");
  });

  it("an agent who answers and takes the thread joins once: the first to switch the speaker sends JOINED, the other nothing", async () => {
    const { conversationId, threadId } = await startConversation();
    const sentEvents = async (type: string) =>
      (await simRequests(conversationId, "events.create")).filter(
        (e) => (e.body as { eventType?: string }).eventType === type,
      );
    const bot = await storeBotMessage(threadId, "Still thinking about that cake?");
    await deliveryState(threadId, bot, ["sent", "delivered", "read"]);
    // The reply switches the speaker first: its delivery sends JOINED before the message.
    const human = await agentReplies(threadId, "Hi, Test agent here");
    await deliveryState(threadId, human, ["sent", "delivered", "read"]);
    assert.equal((await sentEvents("REPRESENTATIVE_JOINED")).length, 1);
    // The assignment's JOINED task, run now as Cloud Tasks would: the speaker is HUMAN already.
    const event = (eventType: "REPRESENTATIVE_JOINED" | "REPRESENTATIVE_LEFT", eventId: string) => ({
      kind: "event" as const,
      threadId,
      conversationId,
      eventId,
      eventType,
      representative:
        eventType === "REPRESENTATIVE_JOINED"
          ? { representativeType: "HUMAN" as const, displayName: "Test agent" }
          : { representativeType: "BOT" as const },
    });
    await runTask(bmDeliver, event("REPRESENTATIVE_JOINED", randomUUID()));
    assert.equal((await sentEvents("REPRESENTATIVE_JOINED")).length, 1, "the phone sees the agent join once");

    // A hand-back switches it: LEFT goes out; its retry (same id) sends again and Google keeps one.
    const leftId = randomUUID();
    await runTask(bmDeliver, event("REPRESENTATIVE_LEFT", leftId));
    await runTask(bmDeliver, event("REPRESENTATIVE_LEFT", leftId), 2);
    const left = await sentEvents("REPRESENTATIVE_LEFT");
    assert.deepEqual(
      left.map((e) => [e.query.eventId, e.status]),
      [
        [leftId, 200],
        [leftId, 409],
      ],
    );
    const thread = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.deepEqual([thread.bm.speaker, thread.bm.speakerBy], ["BOT", leftId]);
  });

  it("400 FAILED_PRECONDITION is permanent too", async () => {
    const { conversationId, threadId } = await startConversation();
    await sim("/sim/failures", { conversationId, status: 400, googleStatus: "FAILED_PRECONDITION" });
    const id = await storeBotMessage(threadId, "A card the device cannot show");
    const delivery = await deliveryState(threadId, id, ["failed"]);
    assert.match(delivery.error, /FAILED_PRECONDITION/);
    assert.equal((await simRequests(conversationId, "messages.create")).length, 1);
  });

  it("never sends outside the 30-day window: failed with the window's reason, nothing sent", async () => {
    const { conversationId, threadId } = await startConversation();
    await adminDb()
      .doc(`threads/${threadId}`)
      .update({ lastVisitorMessageAt: new Date(Date.now() - 31 * 86_400_000) });
    const id = await storeBotMessage(threadId, "Too late");
    const delivery = await deliveryState(threadId, id, ["failed"]);
    assert.match(delivery.error, /window closed/);
    assert.equal((await simRequests(conversationId, "messages.create")).length, 0);
  });

  it("a text over 3,072 characters is split into parts, each with its own stable messageId", async () => {
    const { conversationId, threadId } = await startConversation();
    const para = "Our cakes are baked fresh every morning. ".repeat(40).trim();
    const messageId = await agentReplies(threadId, `${para}\n\n${para}`);
    await deliveryState(threadId, messageId, ["sent", "delivered", "read"]);
    const calls = await simRequests(conversationId, "messages.create");
    assert.equal(calls.length, 2);
    assert.ok(calls.every((c) => c.status === 200 && (c.body.text?.length ?? 0) <= 3072));
    assert.deepEqual(
      calls.map((c) => c.body.text),
      [para, para],
    );
    const stored = (await message(threadId, messageId).get()).data()!;
    assert.deepEqual(
      stored.bm.messageIds,
      calls.map((c) => c.body.messageId),
    );
  });
});

import { strict as assert } from "node:assert";
import { bmThreadIdFor } from "../../src/domain/ids";
import { sim, simRequests, uniqueConversation } from "../support/bm";
import { adminDb, callable, consoleUser, uniqueId } from "../support/emulators";
import { waitUntil } from "../support/wait";

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

async function deliveryState(threadId: string, messageId: string, wanted: string[], timeoutMs = 20_000) {
  return waitUntil(
    `delivery state ${wanted.join("|")}`,
    async () => {
      const d = (await message(threadId, messageId).get()).get("delivery");
      return wanted.includes(d?.state) ? d : undefined;
    },
    { timeoutMs: timeoutMs },
  );
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
    const delivery = await deliveryState(threadId, messageId, ["sent", "delivered", "read"], 40_000);
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

import { strict as assert } from "node:assert";
import { bmThreadIdFor } from "../../src/domain/ids";
import { sim, simRequests, uniqueConversation } from "../support/bm";
import { adminDb, consoleUser } from "../support/emulators";
import { waitUntil } from "../support/wait";

describe("Business Messages events from agents' actions, against the simulator", function () {
  it("live agent: the phone asks, an agent takes the thread (JOINED as HUMAN), opens it (READ receipt), releases it (LEFT)", async () => {
    const conversationId = uniqueConversation();
    const threadId = bmThreadIdFor(conversationId);
    await sim("/sim/conversations", { conversationId, displayName: "Bao" });
    assert.equal(
      (
        await sim<{ status: number }>(`/sim/conversations/${conversationId}/send`, {
          kind: "text",
          text: "I need a person please",
        })
      ).status,
      200,
    );
    assert.equal(
      (await sim<{ status: number }>(`/sim/conversations/${conversationId}/send`, { kind: "liveAgent" })).status,
      200,
    );
    const thread = adminDb().doc(`threads/${threadId}`);
    assert.ok((await thread.get()).get("bm.liveAgentRequestedAt"));
    const agent = await consoleUser("agent");

    await thread.update({ assignedTo: agent.uid, unreadForAgents: 0 });
    const joined = await waitUntil("REPRESENTATIVE_JOINED", async () => {
      const events = await simRequests(conversationId, "events.create");
      return events.find(
        (e) => (e.body as { eventType?: string }).eventType === "REPRESENTATIVE_JOINED" && e.status === 200,
      );
    });
    assert.deepEqual((joined.body as { representative?: unknown }).representative, {
      representativeType: "HUMAN",
      displayName: "Test agent",
    });
    const receipt = await waitUntil("READ receipt", async () =>
      (await simRequests(conversationId, "messages.updateReceipt")).find((r) => r.status === 200),
    );
    assert.deepEqual(receipt.body, { receiptType: "READ" });
    const phone = await sim<{ messages: { from: string; text: string; readByBusiness?: string }[] }>(
      `/sim/conversations/${conversationId}`,
    );
    assert.ok(phone.messages.find((m) => m.text === "I need a person please")?.readByBusiness);

    await thread.update({ assignedTo: null });
    await waitUntil("REPRESENTATIVE_LEFT", async () => {
      const events = await simRequests(conversationId, "events.create");
      return events.find(
        (e) => (e.body as { eventType?: string }).eventType === "REPRESENTATIVE_LEFT" && e.status === 200,
      );
    });
  });
});

describe("Business Messages typing events from the console's typing signal", function () {
  it("the agent starts typing (TYPING_STARTED as HUMAN with their name), refreshes (nothing), sends (TYPING_STOPPED)", async () => {
    const conversationId = uniqueConversation();
    const threadId = bmThreadIdFor(conversationId);
    await sim("/sim/conversations", { conversationId, displayName: "Lan" });
    assert.equal(
      (
        await sim<{ status: number }>(`/sim/conversations/${conversationId}/send`, {
          kind: "text",
          text: "Are you open on Sunday?",
        })
      ).status,
      200,
    );
    const typing = adminDb().doc(`threads/${threadId}/typing/agent`);
    const typingEvents = async () =>
      (await simRequests(conversationId, "events.create")).filter(
        (e) => e.status === 200 && /^TYPING_/.test(String((e.body as { eventType?: string }).eventType)),
      );

    await typing.set({ until: new Date(Date.now() + 8_000), name: "Minh" }); // what the console writes
    const started = await waitUntil("TYPING_STARTED", async () => (await typingEvents())[0]);
    assert.deepEqual(started.body, {
      eventType: "TYPING_STARTED",
      representative: { representativeType: "HUMAN", displayName: "Minh" },
    });
    await typing.set({ until: new Date(Date.now() + 12_000), name: "Minh" }); // still typing: a refresh
    await typing.set({ until: new Date(0), name: "Minh" }); // sent
    const events = await waitUntil("TYPING_STOPPED", async () => {
      const all = await typingEvents();
      return all.some((e) => (e.body as { eventType: string }).eventType === "TYPING_STOPPED") ? all : undefined;
    });
    assert.deepEqual(
      events.map((e) => (e.body as { eventType: string }).eventType),
      ["TYPING_STARTED", "TYPING_STOPPED"],
    );
  });
});

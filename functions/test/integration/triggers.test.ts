// The Firestore triggers run here, wrapped by firebase-functions-test with built events, so the test
// decides when they run and what they see: Firestore delivers trigger events at least once and
// late, and a repeated or stale event must change nothing.
import { strict as assert } from "node:assert";
import { onMessageWritten } from "../../src/endpoints/onMessageWritten";
import { onThreadWritten } from "../../src/endpoints/onThreadWritten";
import { adminDb, anonymousVisitor, PROJECT_ID, uniqueId, widgetSend } from "../support/emulators";
import { waitUntil } from "../support/wait";
import { runDocumentWrite } from "../support/wrapped";

const PUBSUB = `http://${process.env.PUBSUB_EMULATOR_HOST ?? "127.0.0.1:8085"}/v1/projects/${PROJECT_ID}`;

async function pubsub(path: string, body: unknown, method = "POST") {
  const res = await fetch(`${PUBSUB}/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text) as { receivedMessages?: Array<{ message: { attributes: Record<string, string> } }> };
}

/** Every event published for `threadId` from now on, read from a subscription of its own. */
async function eventsSubscription(threadId: string) {
  const name = uniqueId("triggers-test-");
  await pubsub(
    `subscriptions/${name}`,
    { topic: `projects/${PROJECT_ID}/topics/afterchat-events`, filter: `attributes.threadId = "${threadId}"` },
    "PUT",
  );
  return async () => {
    const pulled = await pubsub(`subscriptions/${name}:pull`, { maxMessages: 100, returnImmediately: true });
    return (pulled.receivedMessages ?? []).map((r) => r.message.attributes);
  };
}

async function webThread() {
  const sent = await widgetSend(await anonymousVisitor(), `Triggers ${uniqueId("t")}`);
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const threadId = sent.body.threadId!;
  const messageId = sent.body.messageId!;
  // The emulator's own run of the thread trigger plans the follow-up: the thread is then at rest.
  await waitUntil("the follow-up planned by the emulator's trigger", async () => {
    const t = await adminDb().doc(`threads/${threadId}`).get();
    return t.get("followUp.state") === "planned";
  });
  return { threadId, messageId };
}

describe("Firestore triggers, run with built events (firebase-functions-test, online)", () => {
  it("a message-created event delivered twice publishes the same event, with the same id, both times", async () => {
    const { threadId, messageId } = await webThread();
    const path = `threads/${threadId}/messages/${messageId}`;
    const message = (await adminDb().doc(path).get()).data()!;
    const pull = await eventsSubscription(threadId);
    const at = new Date().toISOString();
    for (let i = 0; i < 2; i++) {
      await runDocumentWrite(onMessageWritten, path, undefined, message, { threadId, messageId }, { time: at });
    }
    // A pull hands out what it has not handed out before, so the probe gathers. Only message.received is
    // this trigger's: the emulator's own thread trigger may still publish followup.planned for the thread
    // (and, late under load, its own message.received, which must carry the same id too).
    const seen: Array<Record<string, string>> = [];
    const events = await waitUntil("both deliveries' message.received events on Pub/Sub", async () => {
      seen.push(...(await pull()));
      const received = seen.filter((e) => e.type === "message.received");
      return received.length >= 2 ? received : undefined;
    });
    assert.deepEqual(
      [...new Set(events.map((e) => e.eventId))],
      [events[0]!.eventId],
      "a redelivered trigger repeats the event id",
    );
  });

  it("a late thread event for a message already planned for changes nothing", async () => {
    const { threadId } = await webThread();
    const ref = adminDb().doc(`threads/${threadId}`);
    const planned = await ref.get();
    const after = planned.data()!;
    const before = { ...after, lastVisitorMessageAt: new Date(after.lastVisitorMessageAt.toMillis() - 60_000) };
    await runDocumentWrite(onThreadWritten, `threads/${threadId}`, before, after, { threadId });
    const again = await ref.get();
    assert.equal(again.get("followUp.taskId"), planned.get("followUp.taskId"));
    assert.equal(again.updateTime?.toMillis(), planned.updateTime?.toMillis(), "nothing was written");
  });
});

// A visitor reads its own thread document (firestore.rules), so nothing an agent writes into a
// follow-up may be on it before it is sent. Reads go through the Firestore emulator's REST API with
// the visitor's and the agent's real ID tokens, so the project's rules decide, as for the widget.
import { strict as assert } from "node:assert";
import type { FollowUpThread } from "../../src/domain/followUps";
import { DAY_MS } from "../../src/domain/time";
import { threadEventsWithAgents } from "../../src/events/threadEvents";
import { fromFirestore } from "../../src/store/db";
import { ops } from "../../src/store/ops";
import {
  adminDb,
  devClock,
  anonymousVisitor,
  callable,
  consoleUser,
  FUNCTIONS,
  PROJECT_ID,
  uniqueId,
  widgetSend,
  type SignedIn,
} from "../support/emulators";
import { waitUntil } from "../support/wait";

const PUBSUB = `http://${process.env.PUBSUB_EMULATOR_HOST ?? "127.0.0.1:8085"}/v1/projects/${PROJECT_ID}`;
const SUBSCRIPTION = uniqueId("followup-privacy-");
const FIRESTORE = `http://${process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080"}/v1/projects/${PROJECT_ID}/databases/(default)/documents`;
/** What the thread's slot may hold: planning and sweeping need these; none is written by an agent. */
const SLOT_FIELDS = [
  "kind",
  "state",
  "taskId",
  "dueAt",
  "anchor",
  "plannedAt",
  "generation",
  "ifNoReply",
  "sentAt",
  "sentAfterVisitorAt",
  "messageId",
  "channel",
  "reason",
];

type Data = FirebaseFirestore.DocumentData;

async function post(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${FUNCTIONS}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** A client read of one document, as the widget or the console makes it: the raw answer, through the rules. */
async function clientGet(path: string, who: SignedIn): Promise<{ status: number; raw: string; fields: Data }> {
  const res = await fetch(`${FIRESTORE}/${path}`, { headers: { authorization: `Bearer ${who.idToken}` } });
  const raw = await res.text();
  return { status: res.status, raw, fields: res.ok ? ((JSON.parse(raw) as { fields?: Data }).fields ?? {}) : {} };
}

async function clientList(path: string, who: SignedIn): Promise<number> {
  return (await fetch(`${FIRESTORE}/${path}`, { headers: { authorization: `Bearer ${who.idToken}` } })).status;
}

const thread = async (id: string) => (await adminDb().doc(`threads/${id}`).get()).data()!;

/** Pulls (and acknowledges) the events published so far on our subscription to afterchat-events. */
async function pullEvents(): Promise<Data[]> {
  const res = await fetch(`${PUBSUB}/subscriptions/${SUBSCRIPTION}:pull`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ maxMessages: 1000 }),
  });
  const body = (await res.json()) as { receivedMessages?: Array<{ ackId: string; message: { data: string } }> };
  const received = body.receivedMessages ?? [];
  if (received.length) {
    const ackIds = received.map((r) => r.ackId);
    await fetch(`${PUBSUB}/subscriptions/${SUBSCRIPTION}:acknowledge`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ackIds }),
    });
  }
  return received.map((r) => JSON.parse(Buffer.from(r.message.data, "base64").toString("utf8")) as Data);
}

describe("follow-up privacy: the visitor never reads what an agent scheduled", function () {
  before(async () => {
    const res = await fetch(`${PUBSUB}/subscriptions/${SUBSCRIPTION}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ topic: `projects/${PROJECT_ID}/topics/afterchat-events` }),
    });
    assert.equal(res.status, 200, await res.text());
  });

  after(async () => {
    await devClock({ reset: true });
    await fetch(`${PUBSUB}/subscriptions/${SUBSCRIPTION}`, { method: "DELETE" });
  });

  it("the visitor's own thread holds no follow-up text or author; agents read them; the follow-up is still sent with the agent's text", async () => {
    const agent = await consoleUser("agent");
    const visitor = await anonymousVisitor();
    const stranger = await anonymousVisitor();
    const sent = await widgetSend(visitor, "Can you make a vegan cake?");
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const threadId = sent.body.threadId!;
    await waitUntil("the automatic follow-up", async () => (await thread(threadId)).followUp?.state === "planned");

    const secret = `Secret offer ${uniqueId("x")}: 20% off if you order today`;
    const sendAt = new Date(Date.now() + 2 * DAY_MS);
    const scheduled = await callable<{ taskId: string; dueAt: string }>(
      "scheduleFollowUp",
      { threadId, sendAt: sendAt.toISOString(), text: secret },
      agent.idToken,
    );
    assert.equal(scheduled.status, 200, JSON.stringify(scheduled.error));
    const taskId = scheduled.result!.taskId;

    // The visitor reads its thread (allowed) and sees that an agent's follow-up is planned — but not what or who.
    const own = await clientGet(`threads/${threadId}`, visitor);
    assert.equal(own.status, 200, own.raw);
    const slot = own.fields.followUp.mapValue.fields as Data;
    assert.equal(slot.kind.stringValue, "agent");
    assert.equal(slot.taskId.stringValue, taskId);
    assert.deepEqual(
      Object.keys(slot).filter((k) => !SLOT_FIELDS.includes(k)),
      [],
      "only planning fields on the thread",
    );
    for (const leak of [secret, "Secret offer", agent.uid, "Test agent", agent.email])
      assert.ok(!own.raw.includes(leak), `the visitor's thread read contains ${leak}`);

    // The details: agents read them (the console may), the thread's own visitor and other visitors may not.
    const planId = `agent_${(await thread(threadId)).followUp.plannedAt.toMillis()}`;
    const detailsPath = `threads/${threadId}/followUps/${planId}`;
    const asAgent = await clientGet(detailsPath, agent);
    assert.equal(asAgent.status, 200, asAgent.raw);
    assert.equal(asAgent.fields.text.stringValue, secret);
    assert.equal(asAgent.fields.agentUid.stringValue, agent.uid);
    const authorName = asAgent.fields.authorName.stringValue as string;
    assert.ok(["Test agent", agent.email].includes(authorName), authorName);
    assert.equal((await clientGet(detailsPath, visitor)).status, 403);
    assert.equal((await clientGet(detailsPath, stranger)).status, 403);
    assert.equal(await clientList(`threads/${threadId}/followUps`, visitor), 403);

    // Integrations still learn who scheduled it: the thread trigger reads the plan's details for the event.
    const events: Data[] = [];
    const planned = await waitUntil("followup.planned for the agent's plan", async () => {
      events.push(...(await pullEvents()));
      return events.find((e) => e.threadId === threadId && e.type === "followup.planned" && e.data.kind === "agent");
    });
    assert.equal(planned.data.agentUid, agent.uid);
    assert.equal(planned.data.taskId, taskId);

    // Due: the task handler sends the agent's text under the agent's name.
    await devClock({ threadId, offsetMs: sendAt.getTime() - Date.now() + 1000 });
    const fired = await post("sendFollowUp", { data: { threadId, taskId } });
    assert.ok(fired.status < 300, fired.text);
    const messages = (
      await adminDb().collection(`threads/${threadId}/messages`).where("from", "==", "agent").get()
    ).docs.map((d) => d.data());
    assert.deepEqual(
      messages.map((m) => [m.text, m.agentUid, m.authorName]),
      [[secret, agent.uid, authorName]],
    );
    const after = await thread(threadId);
    assert.equal(after.followUp.state, "sent");
    // Sent, the message is the visitor's to read; the thread document still carries only the slot.
    const ownAfter = await clientGet(`threads/${threadId}`, visitor);
    assert.equal(ownAfter.status, 200, ownAfter.raw);
    assert.ok(!JSON.stringify(ownAfter.fields.followUp).includes(secret));
    assert.equal(
      ownAfter.fields.lastMessage.mapValue.fields.text.stringValue,
      secret,
      "the sent follow-up reaches the visitor",
    );
  });

  it("who cancelled a follow-up is recorded for agents only", async () => {
    const agent = await consoleUser("agent");
    const visitor = await anonymousVisitor();
    const sent = await widgetSend(visitor, "Do you deliver on Sundays?");
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const threadId = sent.body.threadId!;
    await waitUntil("the automatic follow-up", async () => (await thread(threadId)).followUp?.state === "planned");
    const cancel = await callable<{ cancelled: boolean }>("cancelFollowUp", { threadId }, agent.idToken);
    assert.equal(cancel.result?.cancelled, true, JSON.stringify(cancel.error));

    const slot = (await thread(threadId)).followUp;
    assert.equal(slot.state, "cancelled");
    assert.equal(slot.reason, "cancelled_by_agent");
    const own = await clientGet(`threads/${threadId}`, visitor);
    assert.equal(own.status, 200, own.raw);
    assert.ok(!own.raw.includes(agent.uid), "the visitor's thread read names the agent who cancelled");
    const details = await clientGet(`threads/${threadId}/followUps/auto_${slot.plannedAt.toMillis()}`, agent);
    assert.equal(details.status, 200, details.raw);
    assert.equal(details.fields.cancelledBy.stringValue, agent.uid);
  });

  it("followup.* events still name the scheduling agent, read from each plan's details (1 read per agent plan, none otherwise)", async () => {
    const [ada, bob] = [await consoleUser("agent"), await consoleUser("agent")];
    const visitor = await anonymousVisitor();
    const threadId = (await widgetSend(visitor, "Is the shop open on Monday?")).body.threadId!;
    await waitUntil("the automatic follow-up", async () => (await thread(threadId)).followUp?.state === "planned");
    const load = async () => fromFirestore<FollowUpThread>({ ...(await thread(threadId)), id: threadId });
    const schedule = async (agent: SignedIn, text: string) => {
      const r = await callable("scheduleFollowUp", { threadId, afterDays: 1, text }, agent.idToken);
      assert.equal(r.status, 200, JSON.stringify(r.error));
      return load();
    };
    const auto = await load();
    const byAda = await schedule(ada, "Ada's follow-up");
    const byBob = await schedule(bob, "Bob's follow-up");

    ops.reset();
    const quiet = await threadEventsWithAgents(threadId, byBob, { ...byBob, unreadForAgents: 0 }, new Date());
    assert.deepEqual(quiet, []);
    assert.deepEqual(ops.snapshot(), { reads: 0, writes: 0 }, "a thread write without a follow-up event reads nothing");

    ops.reset();
    const first = await threadEventsWithAgents(threadId, auto, byAda, new Date());
    assert.deepEqual(
      first.map((e) => [e.type, e.data.agentUid]),
      [["followup.planned", ada.uid]],
    );
    assert.deepEqual(ops.snapshot(), { reads: 1, writes: 0 });

    const second = await threadEventsWithAgents(threadId, byAda, byBob, new Date());
    assert.deepEqual(
      second.map((e) => [e.type, e.data.agentUid]),
      [
        ["followup.cancelled", ada.uid],
        ["followup.planned", bob.uid],
      ],
      "the replaced plan keeps its own agent",
    );
  });
});

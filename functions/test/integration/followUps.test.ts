// Follow-ups on the real emulators: planning through the thread trigger, the task handler (called
// the way the Tasks emulator calls it), the sweep, the agent callables, recovered leads and the
// domain events on the Pub/Sub emulator. Time moves with the emulator-only dev clock.
import { strict as assert } from "node:assert";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../src/domain/time";
import { EVENT_TYPES } from "../../src/domain/events";
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
const SUBSCRIPTION = uniqueId("followups-test-");

type Data = FirebaseFirestore.DocumentData;

async function post(path: string, body: unknown): Promise<{ status: number; body: Data }> {
  const res = await fetch(`${FUNCTIONS}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Data) : {} };
}

/** Delivers a follow-up task to the task-queue function exactly as the Tasks emulator does. */
async function fireTask(threadId: string, taskId: string): Promise<void> {
  const res = await post("sendFollowUp", { data: { threadId, taskId } });
  assert.ok(res.status < 300, `sendFollowUp answered ${res.status} ${JSON.stringify(res.body)}`);
}

/** Moves one thread's follow-up clock so that "now" is `at`. */
const setThreadClock = (threadId: string, at: Date) => devClock({ threadId, offsetMs: at.getTime() - Date.now() });

const thread = async (id: string) => (await adminDb().doc(`threads/${id}`).get()).data()!;
const messages = async (id: string) =>
  (await adminDb().collection(`threads/${id}/messages`).get()).docs.map((d) => d.data());
const botMessages = async (id: string) => (await messages(id)).filter((m) => m.from === "bot");
const ms = (v: { toMillis(): number }) => v.toMillis();

async function plannedFollowUp(threadId: string, anchor?: number): Promise<Data> {
  return waitUntil(`a planned follow-up on ${threadId}`, async () => {
    const t = await thread(threadId);
    const f = t.followUp;
    return f?.state === "planned" && (anchor === undefined || ms(f.anchor) === anchor) ? t : undefined;
  });
}

async function newVisitorThread(
  text = "Do you have gluten-free cakes?",
): Promise<{ visitor: SignedIn; threadId: string; thread: Data }> {
  const visitor = await anonymousVisitor();
  const sent = await widgetSend(visitor, text);
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const threadId = sent.body.threadId!;
  return { visitor, threadId, thread: await plannedFollowUp(threadId) };
}

async function settings(): Promise<Data> {
  return (await adminDb().doc("settings/business").get()).data()!;
}

describe("follow-ups: planning, sending, sweeping, recovered leads", function () {
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
  });

  it("plans the follow-up at window closes − margin, re-plans with a new task id on the next message, and the stale task does nothing", async () => {
    const s = await settings();
    const { visitor, threadId, thread: t1 } = await newVisitorThread();
    const first = t1.followUp;
    assert.equal(first.kind, "auto");
    assert.match(first.taskId, /^fu_[a-f0-9]{32}$/);
    const windowMs = s.reachWindowDays * DAY_MS;
    assert.equal(ms(first.dueAt), ms(t1.lastVisitorMessageAt) + windowMs - s.followUpMarginHours * HOUR_MS);

    assert.equal((await widgetSend(visitor, "Also: do you deliver?")).status, 201);
    const t2 = await waitUntil("the re-plan", async () => {
      const t = await thread(threadId);
      return t.followUp.taskId !== first.taskId && t.followUp.state === "planned" ? t : undefined;
    });
    assert.equal(ms(t2.followUp.anchor), ms(t2.lastVisitorMessageAt));
    assert.ok(ms(t2.followUp.dueAt) > ms(first.dueAt));

    // The old task fires late (Cloud Tasks delivers at least once; a delete can race): nothing is sent.
    await setThreadClock(threadId, t2.followUp.dueAt.toDate());
    await fireTask(threadId, first.taskId);
    assert.equal((await botMessages(threadId)).length, 0);
    assert.equal((await thread(threadId)).followUp.taskId, t2.followUp.taskId);
    assert.equal((await thread(threadId)).followUp.state, "planned");
  });

  it("a due follow-up delivered twice sends one message; the visitor's reply counts the lead as recovered", async () => {
    const s = await settings();
    const { visitor, threadId, thread: t } = await newVisitorThread();
    await setThreadClock(threadId, new Date(ms(t.followUp.dueAt) + 1000));
    await Promise.all([fireTask(threadId, t.followUp.taskId), fireTask(threadId, t.followUp.taskId)]);
    await fireTask(threadId, t.followUp.taskId);
    const bots = await botMessages(threadId);
    assert.equal(bots.length, 1);
    assert.equal(bots[0].text, s.followUpTemplate);
    assert.deepEqual(bots[0].delivery, { channel: "web", state: "sent", attempts: 1 });
    const sent = await thread(threadId);
    assert.equal(sent.followUp.state, "sent");
    assert.equal(sent.followUp.channel, "web");
    assert.equal(sent.status, "open", "a bot follow-up does not answer the visitor's question");
    assert.equal(sent.unreadForAgents, 1);

    // Back to real time, so the next follow-up (planned when the visitor replies) is not due at once.
    await devClock({ threadId, offsetMs: 0 });
    const statsBefore = (await adminDb().doc("stats/leads").get()).data()?.recoveredLeads ?? 0;
    assert.equal((await widgetSend(visitor, "Yes! Still interested.")).status, 201);
    const back = await waitUntil("the recovered lead", async () => {
      const x = await thread(threadId);
      return x.recovered?.count === 1 && x.followUp.state === "planned" ? x : undefined;
    });
    assert.equal(back.recovered.via, "followup");
    assert.equal(back.recovered.lastKey, t.followUp.taskId);
    const statsAfter = (await adminDb().doc("stats/leads").get()).data()!;
    assert.equal(statsAfter.recoveredLeads, statsBefore + 1);
  });

  it("end to end through the Tasks emulator: a follow-up due when the sweep re-plans it is dispatched and sent", async () => {
    const { threadId } = await newVisitorThread("Hello?");
    // 29.5 days later the last chance (30 days − 24 h) is 12 h overdue: the sweep re-plans it, due now,
    // and the Tasks emulator dispatches it to sendFollowUp.
    await devClock({ threadId, offsetMs: 29.5 * DAY_MS });
    const swept = await post("devFollowUps/sweep", {});
    assert.ok((swept.body.changed as string[]).includes(threadId), JSON.stringify(swept.body));
    const bots = await waitUntil("the follow-up sent through Cloud Tasks", async () => {
      const b = await botMessages(threadId);
      return b.length ? b : undefined;
    });
    assert.equal(bots.length, 1);
    assert.equal((await thread(threadId)).followUp.state, "sent");
  });

  it("on a Business Messages thread the follow-up is stored pending for the channel adapter to deliver", async () => {
    const threadId = uniqueId("bm_fu");
    const wroteAt = new Date();
    // A thread as the Business Messages webhook stores it (only what the follow-up reads).
    await adminDb()
      .doc(`threads/${threadId}`)
      .set({
        origin: "bm",
        status: "open",
        visitor: { displayName: "BM user", locale: "en" },
        visitorUids: [],
        bm: { conversationId: uniqueId("conv"), agent: "brands/1/agents/2" },
        reach: { bm: true, push: false, email: false },
        lastVisitorMessageAt: wroteAt,
        windows: { bm: new Date(wroteAt.getTime() + 30 * DAY_MS) },
        lastActivityAt: wroteAt,
        unreadForAgents: 1,
        messageCount: 1,
        assignedTo: null,
        createdAt: wroteAt,
      });
    const t = await plannedFollowUp(threadId);
    const margin = (await settings()).followUpMarginHours * HOUR_MS;
    assert.equal(ms(t.followUp.dueAt), wroteAt.getTime() + 30 * DAY_MS - margin, "Business Messages: 30 days − margin");
    await setThreadClock(threadId, t.followUp.dueAt.toDate());
    await fireTask(threadId, t.followUp.taskId);
    const bots = await botMessages(threadId);
    assert.equal(bots.length, 1);
    // Stored pending; the Business Messages adapter's trigger (when present) may already be delivering it.
    assert.equal(bots[0].delivery.channel, "bm");
    assert.ok(["pending", "sent", "delivered", "failed"].includes(bots[0].delivery.state));
    assert.equal((await thread(threadId)).followUp.channel, "bm");
  });

  it("never sends outside a window: a task firing after the window closed marks the follow-up skipped", async () => {
    const { threadId, thread: t } = await newVisitorThread();
    const s = await settings();
    await setThreadClock(threadId, new Date(ms(t.lastVisitorMessageAt) + s.reachWindowDays * DAY_MS + MINUTE_MS));
    await fireTask(threadId, t.followUp.taskId);
    assert.equal((await botMessages(threadId)).length, 0);
    const after = await thread(threadId);
    assert.equal(after.followUp.state, "skipped");
    assert.equal(after.followUp.reason, "window_closed");
  });

  it("resolving the thread cancels the planned follow-up; its task then does nothing", async () => {
    const { threadId, thread: t } = await newVisitorThread();
    await adminDb().doc(`threads/${threadId}`).update({ status: "resolved" });
    const cancelled = await waitUntil("the cancel", async () => {
      const x = await thread(threadId);
      return x.followUp.state === "cancelled" ? x : undefined;
    });
    assert.equal(cancelled.followUp.reason, "resolved");
    await setThreadClock(threadId, t.followUp.dueAt.toDate());
    await fireTask(threadId, t.followUp.taskId);
    assert.equal((await botMessages(threadId)).length, 0);
  });

  it("the sweep re-plans an overdue follow-up; running it again changes nothing", async () => {
    const { threadId, thread: t } = await newVisitorThread();
    // A lost task: the follow-up was due two hours ago and never fired.
    const overdue = new Date(Date.now() - 2 * HOUR_MS);
    await adminDb().doc(`threads/${threadId}`).update({ "followUp.dueAt": overdue });
    const first = await post("devFollowUps/sweep", {});
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.ok(first.body.changed.includes(threadId), JSON.stringify(first.body));
    const replanned = await thread(threadId);
    assert.notEqual(replanned.followUp.taskId, t.followUp.taskId);
    assert.equal(replanned.followUp.generation, 1);
    // Due now, so the Tasks emulator dispatches it at once and it is sent.
    const settled = await waitUntil("the re-planned follow-up to be sent", async () => {
      const snap = await adminDb().doc(`threads/${threadId}`).get();
      return snap.data()!.followUp.state === "sent" ? snap : undefined;
    });
    assert.equal((await botMessages(threadId)).length, 1);
    const second = await post("devFollowUps/sweep", {});
    assert.ok(!second.body.changed.includes(threadId));
    const again = await adminDb().doc(`threads/${threadId}`).get();
    assert.equal(again.updateTime?.toMillis(), settled.updateTime?.toMillis(), "the second sweep wrote nothing");
  });

  it("agents schedule follow-ups inside the window (refused after it, with the reason) and cancel them", async () => {
    const agent = await consoleUser("agent");
    const { threadId, thread: t } = await newVisitorThread();
    const closesAt = ms(t.lastVisitorMessageAt) + (await settings()).reachWindowDays * DAY_MS;

    const late = await callable(
      "scheduleFollowUp",
      { threadId, sendAt: new Date(closesAt + HOUR_MS).toISOString(), text: "Too late" },
      agent.idToken,
    );
    assert.equal(late.error?.status, "FAILED_PRECONDITION");
    assert.match(late.error?.message ?? "", /after the messaging window closes .* Choose a time before then/);
    assert.equal((await thread(threadId)).followUp.kind, "auto", "a refused schedule changes nothing");

    const sendAt = new Date(Date.now() + 2 * DAY_MS);
    const first = await callable<{ taskId: string; dueAt: string }>(
      "scheduleFollowUp",
      { threadId, sendAt: sendAt.toISOString(), text: "Your cake is ready!" },
      agent.idToken,
    );
    assert.equal(first.status, 200, JSON.stringify(first.error));
    assert.equal(first.result!.dueAt, sendAt.toISOString());
    const scheduled = (await thread(threadId)).followUp;
    assert.equal(scheduled.kind, "agent");
    assert.equal(scheduled.text, undefined, "the text is not on the thread its visitor reads");
    // The text and author live in the plan's agents-only document (followUpPrivacy.test.ts checks the rules).
    const details = (
      await adminDb()
        .doc(`threads/${threadId}/followUps/agent_${ms(scheduled.plannedAt)}`)
        .get()
    ).data()!;
    assert.equal(details.text, "Your cake is ready!");
    assert.equal(details.agentUid, agent.uid);

    const cancel = await callable<{ cancelled: boolean }>("cancelFollowUp", { threadId }, agent.idToken);
    assert.equal(cancel.result?.cancelled, true);
    assert.equal((await thread(threadId)).followUp.state, "cancelled");
    await setThreadClock(threadId, sendAt);
    await fireTask(threadId, first.result!.taskId);
    assert.equal((await messages(threadId)).length, 1, "a cancelled follow-up sends nothing");

    const second = await callable<{ taskId: string }>(
      "scheduleFollowUp",
      { threadId, afterDays: 3, text: "Still want that cake?" },
      agent.idToken,
    );
    assert.equal(second.status, 200, JSON.stringify(second.error));
    await setThreadClock(threadId, (await thread(threadId)).followUp.dueAt.toDate());
    await fireTask(threadId, second.result!.taskId);
    const sent = (await messages(threadId)).filter((m) => m.from === "agent");
    assert.deepEqual(
      sent.map((m) => [m.text, m.agentUid]),
      [["Still want that cake?", agent.uid]],
    );
  });

  it("refuses follow-up calls from non-agents and bad input, with readable reasons", async () => {
    const nobody = await consoleUser(null);
    const agent = await consoleUser("agent");
    const denied = await callable("scheduleFollowUp", { threadId: "x", afterDays: 1, text: "hi" }, nobody.idToken);
    assert.equal(denied.error?.status, "PERMISSION_DENIED");
    const both = await callable(
      "scheduleFollowUp",
      { threadId: "x", afterDays: 1, sendAt: new Date().toISOString(), text: "hi" },
      agent.idToken,
    );
    assert.equal(both.error?.status, "INVALID_ARGUMENT");
    assert.match(both.error?.message ?? "", /exactly one of sendAt or afterDays/);
    const missing = await callable("scheduleFollowUp", { threadId: "nope", afterDays: 1, text: "hi" }, agent.idToken);
    assert.equal(missing.error?.status, "NOT_FOUND");
    const cancelDenied = await callable("cancelFollowUp", { threadId: "x" }, nobody.idToken);
    assert.equal(cancelDenied.error?.status, "PERMISSION_DENIED");
  });

  it("the dev-only 'run due follow-ups now' action sends a thread's planned follow-up", async () => {
    const { threadId } = await newVisitorThread();
    const { status, body } = await post("devFollowUps/run-due", { threadId });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.results[0].outcome.sent, true);
    assert.equal((await botMessages(threadId)).length, 1);
  });

  it("publishes the domain events to Pub/Sub with the documented schema", async () => {
    // A delivery failure, as a channel adapter records it.
    const { threadId } = await newVisitorThread();
    // (Created "sent", so no channel adapter picks it up; then the provider reports the failure.)
    const failingId = uniqueId("m");
    const failing = adminDb().doc(`threads/${threadId}/messages/${failingId}`);
    await failing.set({
      from: "agent",
      text: "x",
      createdAt: new Date(),
      delivery: { channel: "bm", state: "sent", attempts: 1 },
    });
    await failing.update({ delivery: { channel: "bm", state: "failed", attempts: 1, error: "NOT_FOUND" } });

    // Every type but the erase's, which erase.test.ts checks.
    const wanted: readonly string[] = EVENT_TYPES.filter((t) => t !== "thread.erased");
    const seen = new Map<string, Data>();
    let ourFailure: Data | undefined;
    await waitUntil("every event type", async () => {
      const res = await fetch(`${PUBSUB}/subscriptions/${SUBSCRIPTION}:pull`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ maxMessages: 1000 }),
      });
      const body = (await res.json()) as {
        receivedMessages?: Array<{ ackId: string; message: { data: string; attributes: Record<string, string> } }>;
      };
      for (const r of body.receivedMessages ?? []) {
        const event = JSON.parse(Buffer.from(r.message.data, "base64").toString("utf8")) as Data;
        assert.deepEqual(Object.keys(event).sort(), ["data", "id", "occurredAt", "threadId", "type", "version"]);
        assert.ok((EVENT_TYPES as readonly string[]).includes(event.type), event.type);
        assert.equal(event.version, 1);
        assert.match(event.id, /^evt_[a-f0-9]{32}$/);
        assert.match(event.threadId, /^[A-Za-z0-9_-]+$/);
        assert.equal(new Date(event.occurredAt).toISOString(), event.occurredAt);
        assert.equal(typeof event.data, "object");
        assert.deepEqual(r.message.attributes, {
          type: event.type,
          version: "1",
          eventId: event.id,
          threadId: event.threadId,
        });
        seen.set(event.type, event);
        if (event.type === "delivery.failed" && event.data.messageId === failingId) ourFailure = event;
      }
      const ackIds = (body.receivedMessages ?? []).map((r) => r.ackId);
      if (ackIds.length)
        await fetch(`${PUBSUB}/subscriptions/${SUBSCRIPTION}:acknowledge`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ackIds }),
        });
      return wanted.every((t) => seen.has(t)) && ourFailure !== undefined;
    }).catch((err) => {
      throw new Error(`${err.message}; seen: ${[...seen.keys()].join(", ")}`);
    });
    assert.equal(ourFailure!.data.error, "NOT_FOUND");
    assert.equal(ourFailure!.threadId, threadId);
    assert.equal(seen.get("lead.recovered")!.data.via, "followup");
    assert.equal(seen.get("followup.planned")!.data.kind !== undefined, true);
  });
});

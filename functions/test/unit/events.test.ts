import { strict as assert } from "node:assert";
import { channelPolicies } from "../../src/domain/channels";
import {
  aboutAgentFollowUp,
  EVENT_TYPES,
  messageEvents,
  threadErasedEvent,
  threadEvents,
  type AfterchatEvent,
} from "../../src/domain/events";
import {
  followUpPlanId,
  markSent,
  markSkipped,
  planAgentFollowUp,
  reviewFollowUp,
  type FollowUp,
  type FollowUpThread,
} from "../../src/domain/followUps";
import { applyVisitorMessage, newThread } from "../../src/domain/thread";
import { addMs, DAY_MS, HOUR_MS } from "../../src/domain/time";

const T0 = new Date("2026-11-01T10:00:00.000Z");
const NOW = new Date("2026-11-02T00:00:00.000Z");
const settings = { followUpMarginHours: 24, policies: channelPolicies() };

function thread(): FollowUpThread {
  const t = newThread({
    id: "t1",
    origin: "web",
    visitor: { displayName: "V", locale: "en" },
    visitorUids: ["u"],
    now: T0,
  });
  return applyVisitorMessage(t, { text: "hi", anchor: T0, receivedAt: T0 });
}

function withPlan(at = T0): FollowUpThread {
  const t = thread();
  const r = reviewFollowUp(t, settings, at);
  assert.equal(r.action, "plan");
  return { ...t, followUp: (r as { followUp: FollowUp }).followUp };
}

/** The documented envelope (docs/events.md). */
function assertEnvelope(e: AfterchatEvent): void {
  assert.ok(EVENT_TYPES.includes(e.type));
  assert.equal(e.version, 1);
  assert.equal(e.threadId, "t1");
  assert.match(e.id, /^evt_[a-f0-9]{32}$/);
  assert.match(e.occurredAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.equal(typeof e.data, "object");
}

const types = (events: AfterchatEvent[]) => events.map((e) => e.type);

describe("domain events", () => {
  it("message.received for a new visitor message, nothing on its rewrite", () => {
    const m = { from: "visitor" as const, text: "hi", createdAt: T0 };
    const events = messageEvents("t1", "m1", undefined, m, NOW);
    assert.deepEqual(types(events), ["message.received"]);
    events.forEach(assertEnvelope);
    assert.equal(events[0].occurredAt, T0.toISOString());
    assert.deepEqual(events[0].data, { messageId: "m1", from: "visitor", text: "hi", createdAt: T0.toISOString() });
    assert.deepEqual(messageEvents("t1", "m1", m, m, NOW), []);
  });

  it("message.sent when an agent message is stored sent (widget) or its delivery leaves pending; delivery.failed once", () => {
    const web = {
      from: "agent" as const,
      text: "yes",
      createdAt: T0,
      delivery: { channel: "web" as const, state: "sent" as const, attempts: 1 },
    };
    assert.deepEqual(types(messageEvents("t1", "m2", undefined, web, NOW)), ["message.sent"]);
    const pending = { ...web, delivery: { channel: "bm" as const, state: "pending" as const, attempts: 0 } };
    assert.deepEqual(types(messageEvents("t1", "m3", undefined, pending, NOW)), []);
    const sent = { ...pending, delivery: { ...pending.delivery, state: "sent" as const, attempts: 1 } };
    const e = messageEvents("t1", "m3", pending, sent, NOW);
    assert.deepEqual(types(e), ["message.sent"]);
    assert.equal(e[0].data.channel, "bm");
    const failed = {
      ...pending,
      delivery: { ...pending.delivery, state: "failed" as const, attempts: 3, error: "NOT_FOUND" },
    };
    const f = messageEvents("t1", "m3", pending, failed, NOW);
    assert.deepEqual(types(f), ["delivery.failed"]);
    assert.equal(f[0].data.error, "NOT_FOUND");
    assert.deepEqual(messageEvents("t1", "m3", failed, failed, NOW), []);
  });

  it("ids are deterministic (a redelivered trigger publishes the same ids) and differ per event", () => {
    const m = { from: "visitor" as const, text: "hi", createdAt: T0 };
    assert.equal(
      messageEvents("t1", "m1", undefined, m, NOW)[0].id,
      messageEvents("t1", "m1", undefined, m, NOW)[0].id,
    );
    assert.notEqual(
      messageEvents("t1", "m1", undefined, m, NOW)[0].id,
      messageEvents("t1", "m9", undefined, m, NOW)[0].id,
    );
  });

  it("followup.planned, re-planned (saying what it replaces) when the visitor writes again", () => {
    const before = thread();
    const planned = withPlan();
    const e = threadEvents("t1", before, planned, NOW);
    assert.deepEqual(types(e), ["followup.planned"]);
    e.forEach(assertEnvelope);
    assert.equal(e[0].data.dueAt, addMs(T0, 29 * DAY_MS).toISOString());
    const later = addMs(T0, HOUR_MS);
    const wrote = applyVisitorMessage(planned, { text: "x", anchor: later, receivedAt: later }) as FollowUpThread;
    const replanned = {
      ...wrote,
      followUp: (reviewFollowUp(wrote, settings, later) as { followUp: FollowUp }).followUp,
    };
    const e2 = threadEvents("t1", planned, replanned, NOW);
    assert.deepEqual(types(e2), ["followup.planned"]);
    assert.equal(e2[0].data.replacesTaskId, planned.followUp!.taskId);
    // An agent's follow-up replaced by the automatic one was cancelled.
    const agentPlanned = { ...planned, followUp: { ...planned.followUp!, kind: "agent" as const, ifNoReply: true } };
    const e3 = threadEvents("t1", agentPlanned, replanned, NOW);
    assert.deepEqual(types(e3), ["followup.cancelled", "followup.planned"]);
    assert.equal(e3[0].data.reason, "superseded");
    assert.deepEqual(threadEvents("t1", replanned, { ...replanned, unreadForAgents: 0 }, NOW), []);
  });

  it("names the agent of an agent's plan only through the lookup (the uid is not on the thread)", () => {
    const planned = withPlan();
    const schedule = (agentUid: string, at: Date) => {
      const plan = planAgentFollowUp(
        planned,
        { text: "x", agentUid, authorName: "A", ifNoReply: false, afterDays: 1 },
        at,
      );
      assert.ok(plan.ok);
      return { ...planned, followUp: plan.followUp };
    };
    const byAda = schedule("ada", NOW);
    const byBob = schedule("bob", addMs(NOW, 1000));
    const agents = new Map([
      [followUpPlanId(byAda.followUp), "ada"],
      [followUpPlanId(byBob.followUp), "bob"],
    ]);
    const lookup = (f: FollowUp) => agents.get(followUpPlanId(f));

    const plain = threadEvents("t1", planned, byAda, NOW);
    assert.deepEqual(types(plain), ["followup.planned"]);
    assert.equal(plain[0].data.agentUid, undefined, "no lookup, no agentUid");
    assert.equal(aboutAgentFollowUp(plain), true);
    assert.equal(
      aboutAgentFollowUp(threadEvents("t1", undefined, planned, NOW)),
      false,
      "an automatic plan needs no lookup",
    );
    assert.equal(threadEvents("t1", planned, byAda, NOW, lookup)[0].data.agentUid, "ada");
    // Bob's plan replaces Ada's: each event names its own plan's agent.
    const replaced = threadEvents("t1", byAda, byBob, NOW, lookup);
    assert.deepEqual(types(replaced), ["followup.cancelled", "followup.planned"]);
    assert.deepEqual(
      replaced.map((e) => e.data.agentUid),
      ["ada", "bob"],
    );
    assert.equal(
      threadEvents("t1", undefined, planned, NOW, () => "never")[0].data.agentUid,
      undefined,
      "automatic plans have no agent",
    );
  });

  it("followup.sent, followup.cancelled (skipped, with the reason), thread.resolved, lead.recovered", () => {
    const planned = withPlan();
    const sent = {
      ...planned,
      followUp: markSent(planned.followUp!, { at: NOW, messageId: "m", channel: "web", visitorAt: T0 }),
    };
    assert.deepEqual(types(threadEvents("t1", planned, sent, NOW)), ["followup.sent"]);
    const skipped = { ...planned, followUp: markSkipped(planned.followUp!, "window_closed") };
    const c = threadEvents("t1", planned, skipped, NOW);
    assert.deepEqual(types(c), ["followup.cancelled"]);
    assert.equal(c[0].data.reason, "window_closed");
    assert.deepEqual(types(threadEvents("t1", sent, { ...sent, status: "resolved" }, NOW)), ["thread.resolved"]);
    const recovered = {
      ...sent,
      recovered: { firstAt: NOW, lastAt: NOW, count: 1, via: "followup" as const, lastKey: "fu_x" },
    };
    assert.deepEqual(types(threadEvents("t1", sent, recovered, NOW)), ["lead.recovered"]);
    assert.deepEqual(threadEvents("t1", recovered, recovered, NOW), []);
  });

  it("thread.erased carries no personal data, and two erases of one thread id are two events", () => {
    const at = NOW;
    const e = threadErasedEvent("t1", { by: "visitor", origin: "web", documents: 12, at });
    assertEnvelope(e);
    assert.equal(e.type, "thread.erased");
    assert.deepEqual(e.data, { by: "visitor", origin: "web", documents: 12 });
    const again = threadErasedEvent("t1", { by: "visitor", origin: "web", documents: 12, at });
    assert.equal(again.id, e.id, "deterministic");
    const later = threadErasedEvent("t1", { by: "admin", origin: "web", documents: 3, at: addMs(at, DAY_MS) });
    assert.notEqual(later.id, e.id, "a web thread id comes back when its visitor writes again");
  });
});

import { strict as assert } from "node:assert";
import { channelPolicies } from "../../src/domain/channels";
import {
  autoDueAt,
  cancelByAgent,
  checkDue,
  detectRecovery,
  followUpNeedsReview,
  followUpPlanId,
  followUpTaskId,
  markSent,
  OVERDUE_GRACE_MS,
  planAgentFollowUp,
  reviewFollowUp,
  type FollowUp,
  type FollowUpReview,
  type FollowUpThread,
} from "../../src/domain/followUps";
import { applyVisitorMessage, newThread } from "../../src/domain/thread";
import { addMs, DAY_MS, HOUR_MS, MINUTE_MS } from "../../src/domain/time";

const T0 = new Date("2026-11-01T10:00:00.000Z");
const settings = { followUpMarginHours: 24, policies: channelPolicies({ reachWindowDays: 30 }) };

function webThread(lastVisitorAt = T0, id = "web_t1"): FollowUpThread {
  const t = newThread({
    id,
    origin: "web",
    visitor: { displayName: "V", locale: "en" },
    visitorUids: ["uid1"],
    now: lastVisitorAt,
  });
  return applyVisitorMessage(t, { text: "hi", anchor: lastVisitorAt, receivedAt: lastVisitorAt });
}

function planned(review: FollowUpReview): FollowUp {
  assert.equal(review.action, "plan", JSON.stringify(review));
  return (review as Extract<FollowUpReview, { action: "plan" }>).followUp;
}

/** The thread after the store applied a review. */
function apply(thread: FollowUpThread, review: FollowUpReview): FollowUpThread {
  return review.action === "keep" ? thread : { ...thread, followUp: review.followUp };
}

describe("follow-up planning", () => {
  it("plans the automatic follow-up at window closes − margin, with a hashed task id", () => {
    const f = planned(reviewFollowUp(webThread(), settings, addMs(T0, 5000)));
    assert.equal(f.kind, "auto");
    assert.equal(f.state, "planned");
    assert.deepEqual(f.dueAt, addMs(T0, 30 * DAY_MS - 24 * HOUR_MS));
    assert.deepEqual(f.anchor, T0);
    assert.match(f.taskId!, /^fu_[a-f0-9]{32}$/);
  });

  it("is idempotent: reviewing a just-planned thread keeps it", () => {
    const now = addMs(T0, 5000);
    const thread = apply(webThread(), reviewFollowUp(webThread(), settings, now));
    assert.equal(reviewFollowUp(thread, settings, now).action, "keep");
    assert.equal(reviewFollowUp(thread, settings, addMs(now, 3 * DAY_MS)).action, "keep");
  });

  it("re-plans with a new task id when the visitor writes again, replacing the old task", () => {
    const first = apply(webThread(), reviewFollowUp(webThread(), settings, T0));
    const later = addMs(T0, 2 * HOUR_MS);
    const wrote = applyVisitorMessage(first, { text: "again", anchor: later, receivedAt: later }) as FollowUpThread;
    assert.equal(followUpNeedsReview(first, wrote), true);
    const review = reviewFollowUp(wrote, settings, later);
    const f = planned(review);
    assert.notEqual(f.taskId, first.followUp!.taskId);
    assert.equal((review as { replacesTaskId: string }).replacesTaskId, first.followUp!.taskId);
    assert.deepEqual(f.dueAt, addMs(later, 29 * DAY_MS));
  });

  it("uses the latest window of the channels that reach the visitor", () => {
    const t = webThread();
    const bmToo: FollowUpThread = { ...t, reach: { ...t.reach, bm: true }, bm: { conversationId: "c", agent: "a" } };
    const short = { followUpMarginHours: 2, policies: channelPolicies({ reachWindowDays: 3 }) };
    assert.deepEqual(autoDueAt(t, short, T0), addMs(T0, 3 * DAY_MS - 2 * HOUR_MS));
    assert.deepEqual(autoDueAt(bmToo, short, T0), addMs(T0, 30 * DAY_MS - 2 * HOUR_MS));
  });

  it("plans nothing for resolved threads, cancels a planned one on resolve and plans again on reopen", () => {
    const withPlan = apply(webThread(), reviewFollowUp(webThread(), settings, T0));
    const resolved: FollowUpThread = { ...withPlan, status: "resolved" };
    assert.equal(followUpNeedsReview(withPlan, resolved), true);
    const stop = reviewFollowUp(resolved, settings, T0);
    assert.equal(stop.action, "stop");
    const afterStop = apply(resolved, stop);
    assert.equal(afterStop.followUp!.state, "cancelled");
    assert.equal(reviewFollowUp(afterStop, settings, T0).action, "keep");
    const reopened: FollowUpThread = { ...afterStop, status: "open" };
    const again = planned(reviewFollowUp(reopened, settings, T0));
    assert.equal(again.generation, 1, "same visitor message, new generation → new task id");
    assert.notEqual(again.taskId, withPlan.followUp!.taskId);
  });

  it("after a follow-up was sent (or cancelled by an agent) nothing more is planned until the visitor writes", () => {
    const withPlan = apply(webThread(), reviewFollowUp(webThread(), settings, T0));
    const sent = {
      ...withPlan,
      followUp: markSent(withPlan.followUp!, {
        at: addMs(T0, 29 * DAY_MS),
        messageId: "m",
        channel: "web" as const,
        visitorAt: T0,
      }),
    };
    assert.equal(reviewFollowUp(sent, settings, addMs(T0, 29 * DAY_MS + HOUR_MS)).action, "keep");
    const cancelled = apply(withPlan, cancelByAgent(withPlan, "agent1"));
    assert.equal(cancelled.followUp!.reason, "cancelled_by_agent");
    assert.equal(reviewFollowUp(cancelled, settings, T0).action, "keep");
  });

  it("the sweep re-plans an overdue follow-up due now with a fresh id, then keeps it", () => {
    const withPlan = apply(webThread(), reviewFollowUp(webThread(), settings, T0));
    const late = addMs(withPlan.followUp!.dueAt, OVERDUE_GRACE_MS + MINUTE_MS);
    const review = reviewFollowUp(withPlan, settings, late);
    const f = planned(review);
    assert.deepEqual(f.dueAt, late);
    assert.notEqual(f.taskId, withPlan.followUp!.taskId);
    assert.equal(reviewFollowUp(apply(withPlan, review), settings, late).action, "keep");
  });

  it("an overdue follow-up whose window closed is skipped, not re-planned", () => {
    const withPlan = apply(webThread(), reviewFollowUp(webThread(), settings, T0));
    const review = reviewFollowUp(withPlan, settings, addMs(T0, 31 * DAY_MS));
    assert.equal(review.action, "stop");
    assert.equal((review as { followUp: FollowUp }).followUp.state, "skipped");
  });

  it("plans a due-now follow-up when the window is about to close, and none once it closed", () => {
    const now = addMs(T0, 29.5 * DAY_MS);
    assert.deepEqual(planned(reviewFollowUp(webThread(), settings, now)).dueAt, now);
    assert.equal(reviewFollowUp(webThread(), settings, addMs(T0, 30 * DAY_MS)).action, "keep");
  });

  it("leaves due times beyond Cloud Tasks' 30-day reach without a task until the sweep comes close", () => {
    const long = { followUpMarginHours: 24, policies: channelPolicies({ reachWindowDays: 90 }) };
    const f = planned(reviewFollowUp(webThread(), long, T0));
    assert.equal(f.taskId, null);
    const thread = { ...webThread(), followUp: f };
    assert.equal(reviewFollowUp(thread, long, addMs(T0, 10 * DAY_MS)).action, "keep");
    const close = planned(reviewFollowUp(thread, long, addMs(T0, 61 * DAY_MS)));
    assert.match(close.taskId!, /^fu_/);
    assert.deepEqual(close.dueAt, f.dueAt);
  });

  it("task ids are deterministic, in Cloud Tasks' charset, and differ per plan", () => {
    const a = followUpTaskId("t", "auto", T0, 0);
    assert.equal(a, followUpTaskId("t", "auto", T0, 0));
    assert.match(a, /^[A-Za-z0-9_-]{1,500}$/);
    assert.notEqual(a, followUpTaskId("t", "auto", T0, 1));
    assert.notEqual(a, followUpTaskId("t", "auto", addMs(T0, 1), 0));
    assert.notEqual(a, followUpTaskId("u", "auto", T0, 0));
  });

  it("our own follow-up writes do not trigger a review", () => {
    const withPlan = apply(webThread(), reviewFollowUp(webThread(), settings, T0));
    assert.equal(followUpNeedsReview(webThread(), withPlan), false);
    assert.equal(followUpNeedsReview(withPlan, { ...withPlan, unreadForAgents: 0, status: "pending" }), false);
  });
});

describe("a dispatched follow-up task", () => {
  const withPlan = () => apply(webThread(), reviewFollowUp(webThread(), settings, T0));

  it("is due at its time (a minute early still counts) and not before", () => {
    const t = withPlan();
    const f = t.followUp!;
    assert.equal(checkDue(t, f.taskId!, addMs(f.dueAt, -2 * MINUTE_MS)).due, false);
    assert.equal(checkDue(t, f.taskId!, addMs(f.dueAt, -30_000)).due, true);
    assert.equal(checkDue(t, f.taskId!, f.dueAt).due, true);
  });

  it("does nothing when stale: superseded, visitor wrote since, resolved, window closed, already sent", () => {
    const t = withPlan();
    const f = t.followUp!;
    const due = f.dueAt;
    const code = (c: ReturnType<typeof checkDue>) => (c.due ? "due" : c.code);
    assert.equal(code(checkDue(t, "fu_other", due)), "superseded");
    const wrote = { ...t, lastVisitorMessageAt: addMs(T0, HOUR_MS) };
    assert.equal(code(checkDue(wrote, f.taskId!, due)), "visitor_wrote");
    assert.equal(code(checkDue({ ...t, status: "resolved" }, f.taskId!, due)), "resolved");
    assert.equal(code(checkDue(t, f.taskId!, addMs(T0, 30 * DAY_MS))), "window_closed", "closed at the exact boundary");
    assert.equal(code(checkDue(t, f.taskId!, addMs(T0, 30 * DAY_MS - 1))), "due");
    const sent = { ...t, followUp: markSent(f, { at: due, messageId: "m", channel: "web" as const, visitorAt: T0 }) };
    assert.equal(code(checkDue(sent, f.taskId!, due)), "already_sent");
  });
});

describe("agent-scheduled follow-ups", () => {
  const req = { text: "Your cake is ready", agentUid: "a1", authorName: "Ada", ifNoReply: false };

  it("'send at' inside the window is planned; the agent's text and name go to the details, not the slot", () => {
    const sendAt = addMs(T0, 3 * DAY_MS);
    const plan = planAgentFollowUp(webThread(), { ...req, sendAt }, addMs(T0, HOUR_MS));
    assert.equal(plan.ok, true);
    const { followUp: f, details } = plan as Extract<typeof plan, { ok: true }>;
    assert.equal(f.kind, "agent");
    assert.deepEqual(f.dueAt, sendAt);
    assert.match(f.taskId!, /^fu_/);
    assert.deepEqual(details, { text: "Your cake is ready", agentUid: "a1", authorName: "Ada" });
    // The slot is stored on the thread, which the visitor reads: nothing the agent wrote may be in it.
    const slot = JSON.stringify(f);
    for (const secret of ["Your cake is ready", "a1", "Ada"])
      assert.ok(!slot.includes(`"${secret}"`), `${secret} leaked into ${slot}`);
  });

  it("a plan keeps its details' id while the sweep re-plans it; a new schedule gets a new one", () => {
    const now = addMs(T0, HOUR_MS);
    const plan = planAgentFollowUp(webThread(), { ...req, sendAt: addMs(T0, 3 * DAY_MS) }, now);
    assert.ok(plan.ok);
    const thread: FollowUpThread = { ...webThread(), followUp: plan.followUp };
    // Lost task: overdue by more than the grace period, so the sweep plans it again with a new task id.
    const late = addMs(plan.followUp.dueAt, OVERDUE_GRACE_MS + MINUTE_MS);
    const replanned = planned(reviewFollowUp(thread, settings, late));
    assert.notEqual(replanned.taskId, plan.followUp.taskId);
    assert.equal(followUpPlanId(replanned), followUpPlanId(plan.followUp));
    const next = planAgentFollowUp(thread, { ...req, afterDays: 1 }, addMs(now, 1));
    assert.ok(next.ok);
    assert.notEqual(followUpPlanId(next.followUp), followUpPlanId(plan.followUp));
  });

  it("who cancelled goes to the details, not the slot", () => {
    const plan = planAgentFollowUp(webThread(), { ...req, afterDays: 1 }, T0);
    assert.ok(plan.ok);
    const stop = cancelByAgent({ ...webThread(), followUp: plan.followUp }, "agent-7");
    assert.equal(stop.action, "stop");
    const { followUp, details } = stop as Extract<FollowUpReview, { action: "stop" }>;
    assert.equal(followUp.reason, "cancelled_by_agent");
    assert.deepEqual(details, { cancelledBy: "agent-7" });
    assert.ok(!JSON.stringify(followUp).includes("agent-7"));
  });

  it("is refused with a reason when it would fire after the window closes (or at the exact close)", () => {
    const closes = addMs(T0, 30 * DAY_MS);
    for (const sendAt of [closes, addMs(closes, HOUR_MS)]) {
      const plan = planAgentFollowUp(webThread(), { ...req, sendAt }, T0);
      assert.equal(plan.ok, false);
      assert.equal(!plan.ok && plan.code, "window_closed");
      assert.match(!plan.ok ? plan.reason : "", /after the messaging window closes \(2026-12-01T10:00:00.000Z\)/);
    }
    const afterDays = planAgentFollowUp(webThread(), { ...req, afterDays: 31 }, T0);
    assert.equal(!afterDays.ok && afterDays.code, "window_closed");
  });

  it("is refused in the past and on resolved threads", () => {
    const past = planAgentFollowUp(webThread(), { ...req, sendAt: addMs(T0, -HOUR_MS) }, T0);
    assert.equal(!past.ok && past.code, "in_the_past");
    const resolved = planAgentFollowUp({ ...webThread(), status: "resolved" }, { ...req, afterDays: 1 }, T0);
    assert.equal(!resolved.ok && resolved.code, "thread_resolved");
  });

  it("'if there is no reply' is dropped when the visitor writes; an unconditional one is kept", () => {
    const conditional = planAgentFollowUp(webThread(), { ...req, ifNoReply: true, afterDays: 2 }, T0);
    const unconditional = planAgentFollowUp(webThread(), { ...req, afterDays: 2 }, T0);
    const wroteAt = addMs(T0, DAY_MS);
    for (const [plan, expected] of [
      [conditional, "plan"],
      [unconditional, "keep"],
    ] as const) {
      assert.ok(plan.ok);
      const thread = applyVisitorMessage({ ...webThread(), followUp: plan.followUp } as FollowUpThread, {
        text: "x",
        anchor: wroteAt,
        receivedAt: wroteAt,
      });
      const review = reviewFollowUp(thread as FollowUpThread, settings, wroteAt);
      assert.equal(review.action, expected);
      if (review.action === "plan") assert.equal(review.followUp.kind, "auto");
    }
  });
});

describe("recovered leads", () => {
  const sentThread = (): FollowUpThread => {
    const t = apply(webThread(), reviewFollowUp(webThread(), settings, T0));
    return {
      ...t,
      followUp: markSent(t.followUp!, { at: addMs(T0, 29 * DAY_MS), messageId: "m", channel: "web", visitorAt: T0 }),
    };
  };

  it("a visitor who writes after a follow-up is recovered, counted once per follow-up", () => {
    const wroteAt = addMs(T0, 29 * DAY_MS + HOUR_MS);
    const back = { ...sentThread(), lastVisitorMessageAt: wroteAt };
    const r = detectRecovery(back)!;
    assert.equal(r.via, "followup");
    assert.equal(r.count, 1);
    assert.deepEqual(r.firstAt, wroteAt);
    assert.equal(detectRecovery({ ...back, recovered: r }), undefined, "a redelivered trigger counts nothing");
  });

  it("no recovery without a follow-up or before it was sent", () => {
    assert.equal(detectRecovery(webThread()), undefined);
    assert.equal(detectRecovery(sentThread()), undefined, "the visitor's last message predates the follow-up");
  });

  it("compares visitor message times only, so our clock running ahead of theirs changes nothing", () => {
    const t = sentThread();
    // Our send time says day 29, but the visitor's next message is stamped earlier by their clock.
    const back = { ...t, lastVisitorMessageAt: addMs(T0, DAY_MS) };
    assert.equal(detectRecovery(back)?.via, "followup");
  });

  it("a continuity message counts for the first visitor message after it", () => {
    const c = addMs(T0, HOUR_MS);
    const back = { ...webThread(addMs(T0, 2 * HOUR_MS)), lastContinuityAt: c };
    const r = detectRecovery(back)!;
    assert.equal(r.via, "continuity");
    const again = { ...back, recovered: r, lastVisitorMessageAt: addMs(T0, 3 * HOUR_MS) };
    assert.equal(detectRecovery(again), undefined);
  });
});

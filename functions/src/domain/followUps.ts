import { channelPolicies, windowClosesAt, type Channel, type ChannelPolicy } from "./channels";
import { hashId } from "./ids";
import { chooseReplyChannel } from "./reply";
import { reachableChannels, type ThreadState } from "./thread";
import { addMs, DAY_MS, HOUR_MS, MINUTE_MS } from "./time";

/**
 * Follow-ups: the last-chance message planned at *window closes − margin*, and messages agents
 * schedule from the console. Pure planning; the store applies the decisions in transactions and
 * the task queue (Cloud Tasks) fires them.
 */
export type FollowUpKind = "auto" | "agent";
export type FollowUpState = "planned" | "sent" | "cancelled" | "skipped";

export interface FollowUp {
  kind: FollowUpKind;
  state: FollowUpState;
  /** Cloud Tasks id; null while the due time is beyond the task horizon (the sweep enqueues it later). */
  taskId: string | null;
  dueAt: Date;
  /** The visitor message (lastVisitorMessageAt) this follow-up was planned for. */
  anchor: Date | null;
  plannedAt: Date;
  /** Bumped whenever the same anchor is planned again, so every plan gets a fresh task id. */
  generation: number;
  /** Agent follow-ups: skip it if the visitor writes before it is due ("follow up if there is no reply"). */
  ifNoReply?: boolean;
  sentAt?: Date;
  /** The visitor's last message when it was sent: a later one means they answered (a recovered lead). */
  sentAfterVisitorAt?: Date | null;
  messageId?: string;
  channel?: Channel;
  /** Why it was cancelled or skipped: a fixed code (planning reads "resolved"), never free text. */
  reason?: string;
}

/**
 * The agent-authored part of a follow-up: its text and author, and who cancelled it. Visitors can
 * read their thread document and rules cannot hide fields, so this never lives on the thread: the
 * store keeps it in an agents-only document per plan (`followUpPlanId`), written in the same batch
 * as the thread's slot. Automatic follow-ups have none until an agent cancels one.
 */
export interface FollowUpDetails {
  text?: string;
  agentUid?: string;
  authorName?: string;
  cancelledBy?: string;
}

/** One plan's identity: stable while the sweep re-plans it (new generation, new task id), new for every schedule. */
export function followUpPlanId(f: Pick<FollowUp, "kind" | "plannedAt">): string {
  return `${f.kind}_${f.plannedAt.getTime()}`;
}

/** How a thread remembers that a lead came back after a follow-up or a continuity message. */
export interface Recovery {
  firstAt: Date;
  lastAt: Date;
  count: number;
  via: "followup" | "continuity";
  /** What the visitor answered (follow-up task id or continuity time): counts each one once. */
  lastKey: string;
}

/** The fields this module reads and writes on a thread document. */
export type FollowUpThread = ThreadState & {
  followUp?: FollowUp;
  recovered?: Recovery;
  /** Set by the continuity sender (web push / email) when it reaches a visitor who left. */
  lastContinuityAt?: Date;
  /** The channel of that continuity message (push or email): Insights counts it by channel. */
  lastContinuityChannel?: string;
};

export interface FollowUpSettings {
  followUpMarginHours: number;
  policies?: Record<Channel, ChannelPolicy>;
}

/** Cloud Tasks schedules at most 720 h ahead; keep a day of headroom for clock differences. */
export const TASK_HORIZON_MS = 29 * DAY_MS;
/** A planned follow-up this late was lost (task failed or never enqueued): the sweep plans it again. */
export const OVERDUE_GRACE_MS = 15 * MINUTE_MS;
/** A task dispatched slightly before its time still counts as due. */
export const EARLY_TOLERANCE_MS = MINUTE_MS;

const sameTime = (a: Date | null | undefined, b: Date | null | undefined) =>
  (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** Deterministic task id ([A-Za-z0-9_-]): a new one per plan, since a used id stays taken for ~1 h. */
export function followUpTaskId(
  threadId: string,
  kind: FollowUpKind,
  anchor: Date | null,
  generation: number,
  salt = "",
): string {
  return `fu_${hashId("followup", threadId, kind, anchor?.toISOString() ?? "none", String(generation), salt)}`;
}

/** The latest moment any channel that can reach this visitor still accepts a bot message. */
export function lastChanceClosesAt(
  thread: ThreadState,
  policies: Record<Channel, ChannelPolicy> = channelPolicies(),
): Date | undefined {
  if (!thread.lastVisitorMessageAt) return undefined;
  const closes = reachableChannels(thread).map((c) =>
    windowClosesAt(c, thread.lastVisitorMessageAt!, policies).getTime(),
  );
  return closes.length ? new Date(Math.max(...closes)) : undefined;
}

/** The automatic follow-up's due time: window closes − margin (never in the past). */
export function autoDueAt(thread: ThreadState, s: FollowUpSettings, now: Date): Date | undefined {
  const closesAt = lastChanceClosesAt(thread, s.policies);
  if (!closesAt || closesAt.getTime() <= now.getTime()) return undefined;
  const due = addMs(closesAt, -s.followUpMarginHours * HOUR_MS);
  return due.getTime() > now.getTime() ? due : now;
}

/** A task id only when the due time is within Cloud Tasks' reach; otherwise the sweep enqueues it later. */
function schedulable(dueAt: Date, now: Date, id: () => string): string | null {
  return dueAt.getTime() - now.getTime() <= TASK_HORIZON_MS ? id() : null;
}

function nextGeneration(thread: FollowUpThread, anchor: Date | null): number {
  const current = thread.followUp;
  return current && sameTime(current.anchor, anchor) ? current.generation + 1 : 0;
}

function planAuto(thread: FollowUpThread, s: FollowUpSettings, now: Date): FollowUp | undefined {
  const dueAt = autoDueAt(thread, s, now);
  if (!dueAt) return undefined;
  const anchor = thread.lastVisitorMessageAt ?? null;
  const generation = nextGeneration(thread, anchor);
  return {
    kind: "auto",
    state: "planned",
    taskId: schedulable(dueAt, now, () => followUpTaskId(thread.id, "auto", anchor, generation)),
    dueAt,
    anchor,
    plannedAt: now,
    generation,
  };
}

/** What to do with a thread's follow-up slot: keep it, plan one, or stop the planned one. `replacesTaskId` is the old task to delete. */
export type FollowUpReview =
  | { action: "keep"; why: string }
  | { action: "plan"; followUp: FollowUp; replacesTaskId: string | null }
  | { action: "stop"; followUp: FollowUp; replacesTaskId: string | null; details?: FollowUpDetails };

function cancelled(current: FollowUp, reason: string): FollowUp {
  return { ...current, state: "cancelled", reason };
}

function planOrKeep(thread: FollowUpThread, s: FollowUpSettings, now: Date): FollowUpReview {
  const followUp = planAuto(thread, s, now);
  if (!followUp) return { action: "keep", why: "no open window to follow up in" };
  const old = thread.followUp;
  return { action: "plan", followUp, replacesTaskId: old?.state === "planned" ? old.taskId : null };
}

/** True when a planned follow-up no longer applies because the visitor wrote since it was planned. */
function supersededByVisitor(f: FollowUp, thread: ThreadState): boolean {
  const visitorWrote = !sameTime(f.anchor, thread.lastVisitorMessageAt ?? null);
  return visitorWrote && (f.kind === "auto" || f.ifNoReply === true);
}

/**
 * The one planning rule, used by the thread trigger (on every visitor message and status change)
 * and by the hourly sweep. Idempotent: reviewing a thread that was just reviewed keeps it.
 */
export function reviewFollowUp(thread: FollowUpThread, s: FollowUpSettings, now: Date): FollowUpReview {
  const current = thread.followUp;
  if (thread.status === "resolved") {
    if (current?.state === "planned")
      return { action: "stop", followUp: cancelled(current, "resolved"), replacesTaskId: current.taskId };
    return { action: "keep", why: "resolved" };
  }
  if (!thread.lastVisitorMessageAt) return { action: "keep", why: "the visitor has not written" };
  if (!current) return planOrKeep(thread, s, now);
  if (current.state === "planned") return reviewPlanned(thread, current, s, now);
  const forThisMessage = sameTime(current.anchor, thread.lastVisitorMessageAt);
  // A follow-up sent, skipped or cancelled by an agent for this visitor message is final until they write again;
  // one cancelled because the thread was resolved comes back when the thread is reopened.
  if (forThisMessage && !(current.state === "cancelled" && current.reason === "resolved")) {
    return { action: "keep", why: `already ${current.state}` };
  }
  return planOrKeep(thread, s, now);
}

function reviewPlanned(thread: FollowUpThread, current: FollowUp, s: FollowUpSettings, now: Date): FollowUpReview {
  if (supersededByVisitor(current, thread)) return planOrKeep(thread, s, now);
  if (current.taskId === null && current.dueAt.getTime() - now.getTime() <= TASK_HORIZON_MS) {
    // Within Cloud Tasks' reach now: give it a task.
    const generation = current.generation + 1;
    const salt = current.kind === "agent" ? current.plannedAt.toISOString() : "";
    return {
      action: "plan",
      followUp: {
        ...current,
        generation,
        taskId: followUpTaskId(thread.id, current.kind, current.anchor, generation, salt),
      },
      replacesTaskId: null,
    };
  }
  if (current.taskId !== null && now.getTime() > current.dueAt.getTime() + OVERDUE_GRACE_MS) {
    const decision = chooseReplyChannel(thread, { now, policies: s.policies });
    if (!decision.allowed)
      return { action: "stop", followUp: markSkipped(current, "window_closed"), replacesTaskId: null };
    // The task was lost (enqueue failed, retries exhausted): plan it again, due now, with a fresh id.
    const generation = current.generation + 1;
    const salt = current.kind === "agent" ? current.plannedAt.toISOString() : "";
    return {
      action: "plan",
      followUp: {
        ...current,
        generation,
        dueAt: now,
        taskId: followUpTaskId(thread.id, current.kind, current.anchor, generation, salt),
      },
      replacesTaskId: current.taskId,
    };
  }
  return { action: "keep", why: "planned" };
}

/** Why a dispatched task must not send. `record` says whether to mark the follow-up skipped. */
export type DueCheck =
  | { due: true; followUp: FollowUp }
  | {
      due: false;
      code: "superseded" | "already_sent" | "already_cancelled" | "already_skipped" | "not_due" | "visitor_wrote";
      record: false;
    }
  | { due: false; code: "resolved" | "window_closed"; record: true; reason: string };

/**
 * The task handler re-reads the thread and asks this. Only the task the thread still points at,
 * still planned, due, for an unresolved thread with an open window, may send.
 */
export function checkDue(
  thread: FollowUpThread,
  taskId: string,
  now: Date,
  policies?: Record<Channel, ChannelPolicy>,
): DueCheck {
  const f = thread.followUp;
  if (!f || f.taskId !== taskId) return { due: false, code: "superseded", record: false };
  if (f.state !== "planned") return { due: false, code: `already_${f.state}` as "already_sent", record: false };
  if (now.getTime() < f.dueAt.getTime() - EARLY_TOLERANCE_MS) return { due: false, code: "not_due", record: false };
  if (supersededByVisitor(f, thread)) return { due: false, code: "visitor_wrote", record: false };
  if (thread.status === "resolved")
    return { due: false, code: "resolved", record: true, reason: "The thread was resolved." };
  const decision = chooseReplyChannel(thread, { now, policies });
  if (!decision.allowed) return { due: false, code: "window_closed", record: true, reason: decision.reason };
  return { due: true, followUp: f };
}

export type AgentFollowUpRequest = {
  text: string;
  agentUid: string;
  authorName: string;
  ifNoReply: boolean;
} & ({ sendAt: Date } | { afterDays: number });

export type AgentFollowUpPlan =
  | { ok: true; followUp: FollowUp; details: FollowUpDetails; replacesTaskId: string | null; closesAt: Date }
  | { ok: false; code: "thread_resolved" | "in_the_past" | "window_closed" | "no_visitor_message"; reason: string };

/**
 * "Send this at …" / "Follow up in N days if there is no reply": refused with a reason when the
 * thread is resolved, the time is past, or the window would be closed by then. Scheduled messages
 * are checked as bot sends: they go out without a human at the keyboard.
 */
export function planAgentFollowUp(
  thread: FollowUpThread,
  req: AgentFollowUpRequest,
  now: Date,
  policies?: Record<Channel, ChannelPolicy>,
): AgentFollowUpPlan {
  if (thread.status === "resolved")
    return {
      ok: false,
      code: "thread_resolved",
      reason: "This thread is resolved. Reopen it to schedule a follow-up.",
    };
  const sendAt = "sendAt" in req ? req.sendAt : addMs(now, req.afterDays * DAY_MS);
  if (sendAt.getTime() < now.getTime() - EARLY_TOLERANCE_MS) {
    return { ok: false, code: "in_the_past", reason: `${sendAt.toISOString()} is in the past. Choose a later time.` };
  }
  const dueAt = sendAt.getTime() < now.getTime() ? now : sendAt;
  const decision = chooseReplyChannel(thread, { now: dueAt, policies });
  if (!decision.allowed) {
    const closesAt = lastChanceClosesAt(thread, policies);
    const reason =
      decision.code === "window_closed" && closesAt
        ? `The follow-up would be sent after the messaging window closes (${closesAt.toISOString()}). Choose a time before then.`
        : decision.reason;
    return { ok: false, code: decision.code, reason };
  }
  const anchor = thread.lastVisitorMessageAt ?? null;
  const generation = nextGeneration(thread, anchor);
  const salt = now.toISOString();
  const old = thread.followUp;
  return {
    ok: true,
    closesAt: decision.closesAt,
    replacesTaskId: old?.state === "planned" ? old.taskId : null,
    followUp: {
      kind: "agent",
      state: "planned",
      taskId: schedulable(dueAt, now, () => followUpTaskId(thread.id, "agent", anchor, generation, salt)),
      dueAt,
      anchor,
      plannedAt: now,
      generation,
      ifNoReply: req.ifNoReply,
    },
    details: { text: req.text, agentUid: req.agentUid, authorName: req.authorName },
  };
}

/** An agent cancels the planned follow-up; the automatic one is not planned again until the visitor writes. */
export function cancelByAgent(thread: FollowUpThread, agentUid: string): FollowUpReview {
  const current = thread.followUp;
  if (current?.state !== "planned") return { action: "keep", why: "nothing planned" };
  return {
    action: "stop",
    followUp: cancelled(current, "cancelled_by_agent"),
    replacesTaskId: current.taskId,
    details: { cancelledBy: agentUid },
  };
}

/** The follow-up after it was sent (state changes inside the send transaction). */
export function markSent(
  f: FollowUp,
  sent: { at: Date; messageId: string; channel: Channel; visitorAt: Date | null },
): FollowUp {
  return {
    ...f,
    state: "sent",
    sentAt: sent.at,
    sentAfterVisitorAt: sent.visitorAt,
    messageId: sent.messageId,
    channel: sent.channel,
  };
}

export function markSkipped(f: FollowUp, reason: string): FollowUp {
  return { ...f, state: "skipped", reason };
}

/**
 * A visitor who writes after a follow-up (or a continuity message) reached them is a recovered lead.
 * Each follow-up / continuity message counts once (`lastKey`), however often a trigger is delivered.
 */
export function detectRecovery(thread: FollowUpThread): Recovery | undefined {
  const wroteAt = thread.lastVisitorMessageAt;
  if (!wroteAt) return undefined;
  const f = thread.followUp;
  // Compared with the visitor's own message times (not our send time), so clocks never disagree.
  const answered =
    f?.state === "sent" && f.taskId && (f.sentAfterVisitorAt?.getTime() ?? -Infinity) < wroteAt.getTime();
  const fromFollowUp = answered ? f.taskId! : undefined;
  const c = thread.lastContinuityAt;
  const fromContinuity = c && c.getTime() < wroteAt.getTime() ? `continuity_${c.toISOString()}` : undefined;
  const key = fromFollowUp ?? fromContinuity;
  if (!key) return undefined;
  const prior = thread.recovered;
  if (prior?.lastKey === key) return undefined;
  // A continuity message counts only for the first visitor message after it.
  if (!fromFollowUp && prior && c && prior.lastAt.getTime() >= c.getTime()) return undefined;
  return {
    firstAt: prior?.firstAt ?? wroteAt,
    lastAt: wroteAt,
    count: (prior?.count ?? 0) + 1,
    via: fromFollowUp ? "followup" : "continuity",
    lastKey: key,
  };
}

const ms = (d: Date | null | undefined) => d?.getTime() ?? null;

/**
 * Whether a write of a thread may change its follow-up: the visitor wrote, it was resolved or
 * reopened, a continuity message went out, or it lacks a follow-up. Our own follow-up writes
 * (and agent triage) answer false, so the trigger costs no read for them.
 */
export function followUpNeedsReview(before: FollowUpThread | undefined, after: FollowUpThread): boolean {
  if (!after.lastVisitorMessageAt) return false;
  if (!after.followUp) return true;
  if (ms(before?.lastVisitorMessageAt) !== ms(after.lastVisitorMessageAt)) return true;
  if (ms(before?.lastContinuityAt) !== ms(after.lastContinuityAt)) return true;
  return (before?.status === "resolved") !== (after.status === "resolved");
}

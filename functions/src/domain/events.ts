import type { Channel } from "./channels";
import type { DeliveryState } from "./delivery";
import type { FollowUp, FollowUpThread } from "./followUps";
import { hashId } from "./ids";
import type { Author, MessageRecord } from "./thread";

/**
 * Domain events published to Pub/Sub (`afterchat-events`) for integrations. The schema is
 * versioned and documented in docs/events.md: add optional fields freely; anything else is a
 * new `version`.
 */
export const EVENT_SCHEMA_VERSION = 1;

export const EVENT_TYPES = [
  "message.received",
  "message.sent",
  "delivery.failed",
  "followup.planned",
  "followup.sent",
  "followup.cancelled",
  "thread.resolved",
  "lead.recovered",
  "thread.erased",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface AfterchatEvent {
  /** Deterministic: a redelivered trigger produces the same id, so consumers can de-duplicate. */
  id: string;
  type: EventType;
  version: typeof EVENT_SCHEMA_VERSION;
  threadId: string;
  /** ISO 8601, UTC. */
  occurredAt: string;
  data: Record<string, unknown>;
}

export function makeEvent(
  type: EventType,
  threadId: string,
  occurredAt: Date,
  data: Record<string, unknown>,
  key: string,
): AfterchatEvent {
  return {
    id: `evt_${hashId(type, threadId, key)}`,
    type,
    version: EVENT_SCHEMA_VERSION,
    threadId,
    occurredAt: occurredAt.toISOString(),
    data,
  };
}

type StoredMessage = Omit<MessageRecord, "id">;

function deliveryState(m: StoredMessage | undefined): DeliveryState | undefined {
  return m?.delivery?.state;
}

/** message.received / message.sent / delivery.failed from one write of a message document. */
export function messageEvents(
  threadId: string,
  messageId: string,
  before: StoredMessage | undefined,
  after: StoredMessage | undefined,
  now: Date,
): AfterchatEvent[] {
  if (!after) return [];
  const createdAt = after.createdAt instanceof Date ? after.createdAt : now;
  const base = { messageId, from: after.from as Author, text: after.text, createdAt: createdAt.toISOString() };
  if (after.from === "visitor") {
    return before ? [] : [makeEvent("message.received", threadId, createdAt, base, messageId)];
  }
  if (after.from !== "agent" && after.from !== "bot") return [];
  const events: AfterchatEvent[] = [];
  const was = deliveryState(before);
  const is = deliveryState(after);
  const channel: Channel | undefined = after.delivery?.channel;
  // Without a delivery record the message was stored for the live widget: stored is sent.
  const sentNow = before
    ? was === "pending" && is !== undefined && is !== "pending" && is !== "failed"
    : is !== "pending" && is !== "failed";
  if (sentNow) {
    events.push(
      makeEvent(
        "message.sent",
        threadId,
        before ? now : createdAt,
        { ...base, channel: channel ?? "web", agentUid: after.agentUid },
        `${messageId}:sent`,
      ),
    );
  }
  if (is === "failed" && was !== "failed") {
    events.push(
      makeEvent(
        "delivery.failed",
        threadId,
        now,
        { messageId, from: after.from, channel, error: after.delivery?.error, attempts: after.delivery?.attempts },
        `${messageId}:failed`,
      ),
    );
  }
  return events;
}

/**
 * The agent who scheduled a plan. Not on the thread (visitors read it), so the caller looks it up in
 * the plan's agents-only details; without a lookup the events carry no agentUid.
 */
export type AgentOfPlan = (f: FollowUp) => string | undefined;

function followUpData(f: FollowUp, agentOf?: AgentOfPlan): Record<string, unknown> {
  const agentUid = f.kind === "agent" ? agentOf?.(f) : undefined;
  return {
    kind: f.kind,
    state: f.state,
    taskId: f.taskId,
    dueAt: f.dueAt.toISOString(),
    ...(agentUid ? { agentUid } : {}),
    ...(f.reason ? { reason: f.reason } : {}),
    ...(f.messageId ? { messageId: f.messageId } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
  };
}

/** A follow-up's identity across plans: an agent plan and an automatic one are different follow-ups. */
const followUpKey = (f: FollowUp) => `${f.kind}:${f.anchor?.toISOString() ?? "none"}:${f.plannedAt.toISOString()}`;

function followUpEvents(
  threadId: string,
  before: FollowUp | undefined,
  after: FollowUp | undefined,
  now: Date,
  agentOf?: AgentOfPlan,
): AfterchatEvent[] {
  if (!after) return [];
  const sameFollowUp = before !== undefined && followUpKey(before) === followUpKey(after);
  const events: AfterchatEvent[] = [];
  const replaced = before?.state === "planned" && !sameFollowUp ? before : undefined;
  // An agent's follow-up replaced by a new plan (the visitor replied, another was scheduled) was cancelled.
  // An automatic one re-planned on every visitor message is not: followup.planned says what it replaces.
  if (replaced?.kind === "agent") {
    events.push(
      makeEvent(
        "followup.cancelled",
        threadId,
        now,
        { ...followUpData(replaced, agentOf), state: "cancelled", reason: "superseded" },
        `${followUpKey(replaced)}:cancelled`,
      ),
    );
  }
  if (after.state === "planned" && !sameFollowUp) {
    const data = { ...followUpData(after, agentOf), ...(replaced ? { replacesTaskId: replaced.taskId } : {}) };
    events.push(makeEvent("followup.planned", threadId, after.plannedAt, data, `${followUpKey(after)}:planned`));
  }
  if (after.state !== before?.state || !sameFollowUp) {
    const key = `${followUpKey(after)}:${after.state}`;
    if (after.state === "sent")
      events.push(makeEvent("followup.sent", threadId, after.sentAt ?? now, followUpData(after, agentOf), key));
    // Skipped (stale when due: window closed, thread resolved) reads as cancelled for integrations, with the reason.
    if (after.state === "cancelled" || after.state === "skipped")
      events.push(makeEvent("followup.cancelled", threadId, now, followUpData(after, agentOf), key));
  }
  return events;
}

/** followup.*, thread.resolved and lead.recovered from one write of a thread document. */
export function threadEvents(
  threadId: string,
  before: FollowUpThread | undefined,
  after: FollowUpThread | undefined,
  now: Date,
  agentOf?: AgentOfPlan,
): AfterchatEvent[] {
  if (!after) return [];
  const events = followUpEvents(threadId, before?.followUp, after.followUp, now, agentOf);
  if (after.status === "resolved" && before?.status !== "resolved") {
    events.push(
      makeEvent(
        "thread.resolved",
        threadId,
        now,
        { assignedTo: after.assignedTo ?? null },
        `resolved:${now.toISOString()}`,
      ),
    );
  }
  const recovered = after.recovered;
  if (recovered && recovered.lastKey !== before?.recovered?.lastKey) {
    events.push(
      makeEvent(
        "lead.recovered",
        threadId,
        recovered.lastAt,
        { via: recovered.via, count: recovered.count, firstAt: recovered.firstAt.toISOString() },
        `recovered:${recovered.lastKey}`,
      ),
    );
  }
  return events;
}

/** True when some event is about an agent's follow-up (so naming its agent is worth a read). */
export const aboutAgentFollowUp = (events: AfterchatEvent[]) =>
  events.some((e) => e.type.startsWith("followup.") && e.data.kind === "agent");

/** Who asked for an erase: the visitor from the widget, an admin from the console, or the retention sweep. */
export type Eraser = "visitor" | "admin" | "retention";

/**
 * thread.erased: the thread and everything under it are gone. It carries no personal data (no
 * name, email, uid or text), only what an integration needs to delete its own copy.
 */
export function threadErasedEvent(
  threadId: string,
  w: { by: Eraser; origin: string | undefined; documents: number; at: Date },
): AfterchatEvent {
  const data = { by: w.by, origin: w.origin ?? "unknown", documents: w.documents };
  // A web thread id comes back if its visitor writes again after an erase: the time tells the erases apart.
  return makeEvent("thread.erased", threadId, w.at, data, `erased:${w.at.toISOString()}`);
}

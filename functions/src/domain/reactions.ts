// What a Firestore write should cause, decided from the write alone: the triggers
// (functions/src/triggers/) gather nothing and decide nothing; they run the reactions returned here.
// Every reaction is idempotent (event ids and task ids derive from the write), so a redelivered
// trigger event repeats them harmlessly.
import { aboutAgentFollowUp, messageEvents, threadEvents, type AfterchatEvent } from "./events";
import { followUpNeedsReview, type FollowUpThread } from "./followUps";
import { messageFacts, threadFacts, type Fact } from "./insights";
import { snoozeToSchedule } from "./snooze";
import type { MessageRecord } from "./thread";

export type StoredMessage = Omit<MessageRecord, "id">;

export interface MessageWrite {
  threadId: string;
  messageId: string;
  before?: StoredMessage;
  after?: StoredMessage;
  /** When the write happened: event ids derive from it, so a redelivered trigger repeats them. */
  at: Date;
}

export type MessageReaction =
  | { kind: "publish"; events: AfterchatEvent[] }
  /** A new message waiting for the Business Messages outbox (an agent reply, a follow-up, a bot). */
  | { kind: "deliverBm" }
  /** A new agent or bot reply: check later whether the visitor saw it (continuity). */
  | { kind: "planContinuity"; replyAt: Date }
  /** A new visitor message: email the agents who are away from the console (docs/console.md). */
  | { kind: "alertAgents" }
  /** Insights facts to count (a reply delivered over Business Messages). */
  | { kind: "countInsights"; facts: Fact[] };

export function messageReactions(w: MessageWrite): MessageReaction[] {
  const reactions: MessageReaction[] = [];
  const events = messageEvents(w.threadId, w.messageId, w.before, w.after, w.at);
  if (events.length) reactions.push({ kind: "publish", events });
  const created = !w.before ? w.after : undefined;
  if (created?.delivery?.channel === "bm" && created.delivery.state === "pending")
    reactions.push({ kind: "deliverBm" });
  if (created && (created.from === "agent" || created.from === "bot"))
    reactions.push({ kind: "planContinuity", replyAt: created.createdAt ?? w.at });
  if (created?.from === "visitor") reactions.push({ kind: "alertAgents" });
  const facts = messageFacts(w);
  if (facts.length) reactions.push({ kind: "countInsights", facts });
  return reactions;
}

export interface ThreadWrite {
  threadId: string;
  before?: FollowUpThread;
  after?: FollowUpThread;
  /** The trigger event's id: Business Messages task ids derive from it (a redelivery queues nothing new). */
  eventId: string;
  at: Date;
}

export type ThreadReaction =
  /** Thread events; `nameAgents` when an agent's follow-up is involved (its author costs a read). */
  | { kind: "publish"; events: AfterchatEvent[]; nameAgents: boolean }
  /** The visitor wrote, a continuity message went out, or the thread was resolved or reopened. */
  | { kind: "reviewFollowUp" }
  /** An agent acted on a Business Messages thread (join, leave, read, resolve): tell Google. */
  | { kind: "tellBm" }
  /** An agent snoozed the thread (or moved its snooze): wake it then. */
  | { kind: "scheduleWake"; until: Date }
  /**
   * Insights facts to count (domain/insights.ts). The runner derives them again with the business's
   * opening hours, which only decide whether a first response was within them.
   */
  | { kind: "countInsights" };

export function threadReactions(w: ThreadWrite): ThreadReaction[] {
  const { before, after } = w;
  if (!after) return [];
  const reactions: ThreadReaction[] = [];
  const events = threadEvents(w.threadId, before, after, w.at);
  if (events.length) reactions.push({ kind: "publish", events, nameAgents: aboutAgentFollowUp(events) });
  if (followUpNeedsReview(before, after)) reactions.push({ kind: "reviewFollowUp" });
  if (before && after.bm?.conversationId) reactions.push({ kind: "tellBm" });
  const until = snoozeToSchedule(before, after);
  if (until) reactions.push({ kind: "scheduleWake", until });
  if (threadFacts(w, undefined).length) reactions.push({ kind: "countInsights" });
  return reactions;
}

/** The console's typing signal (threads/{id}/typing/agent). */
export interface TypingSignal {
  until?: Date;
  name?: string;
}

export interface TypingWrite {
  threadId: string;
  before?: TypingSignal;
  after?: TypingSignal;
  eventId: string;
  at: Date;
}

export type TypingReaction = { kind: "tellBmTyping"; wasTyping: boolean; isTyping: boolean; name?: string };

const typingAt = (signal: TypingSignal | undefined, at: Date) =>
  Boolean(signal?.until && signal.until.getTime() > at.getTime());

/** Only a start or a stop matters (a refresh while typing says nothing new). */
export function typingReactions(w: TypingWrite): TypingReaction[] {
  const wasTyping = typingAt(w.before, w.at);
  const isTyping = typingAt(w.after, w.at);
  if (wasTyping === isTyping) return [];
  return [{ kind: "tellBmTyping", wasTyping, isTyping, name: w.after?.name ?? w.before?.name }];
}

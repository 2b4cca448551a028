import { channelPolicies, checkSend, type Channel, type ChannelPolicy } from "./channels";
import { DEFAULT_CHANNEL_ORDER } from "./reply";
import type { ThreadState } from "./thread";
import { MINUTE_MS } from "./time";

/**
 * Conversation continuity: an agent reply the visitor has not seen within N minutes is carried to
 * them by web push or by one email batching every unseen reply. Pure: the task handler reads the
 * thread, its replies and its continuity state, asks `planContinuity`, and does what it says.
 */
export type ContinuityChannel = "push" | "email";

/** Replies carried by one notification at most (an email stays readable; the rest wait in the thread). */
export const MAX_BATCHED_REPLIES = 20;
export const DEFAULT_CONTINUITY_DELAY_MINUTES = 2;

export interface Reply {
  id: string;
  from: "agent" | "bot";
  text: string;
  createdAt: Date;
  authorName?: string;
}

/** Kept beside the thread (threads/{id}/reach/state): what was already carried, and opt-outs. */
export interface ContinuityState {
  /** createdAt of the newest reply already carried by a notification. */
  notifiedThrough?: Date;
  emailUnsubscribedAt?: Date;
}

export interface ContinuityQuestion {
  thread: Pick<ThreadState, "origin" | "status" | "reach" | "bm" | "visitor" | "lastVisitorMessageAt"> & {
    visitorLastSeenAt?: Date;
    /** Written by the widget when the visitor gives an email (a later consent lifts an unsubscribe). */
    consent?: { email?: { at?: Date } };
  };
  /** The reply whose task is running: its own time decides "seen", whatever the clock says now. */
  replyAt: Date;
  /** The thread's agent and bot replies (any order; older ones are filtered out here). */
  replies: Reply[];
  state: ContinuityState;
  /** At least one live push subscription is stored for the thread. */
  hasPushSubscription: boolean;
  now: Date;
  order?: readonly Channel[];
  policies?: Record<Channel, ChannelPolicy>;
}

export type SkipReason =
  | "seen" // the visitor saw the reply (visitorLastSeenAt ≥ its time)
  | "already_notified" // an earlier notification carried every unseen reply
  | "delivered_elsewhere" // a channel earlier in the order (Business Messages) carries replies itself
  | "no_channel" // neither push nor email is known (or allowed) for this visitor
  | "window_closed"; // the channel's window closed

export type ContinuityPlan =
  | { action: "skip"; reason: SkipReason }
  | { action: "send"; channel: ContinuityChannel; replies: Reply[]; notifiedThrough: Date };

export function continuityDelayMs(minutes: number | undefined): number {
  return (minutes ?? DEFAULT_CONTINUITY_DELAY_MINUTES) * MINUTE_MS;
}

const after = (a: Date, b: Date | undefined) => !b || a.getTime() > b.getTime();

/** Replies newer than both what the visitor saw and what was already sent, oldest first, capped. */
export function unseenReplies(replies: Reply[], seenAt: Date | undefined, notifiedThrough: Date | undefined): Reply[] {
  return replies
    .filter((r) => after(r.createdAt, seenAt) && after(r.createdAt, notifiedThrough))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
    .slice(-MAX_BATCHED_REPLIES);
}

/** Channels that can carry continuity for this thread, in the business's order. */
export function continuityChannels(q: ContinuityQuestion): Channel[] {
  const reachable = (c: Channel): boolean => {
    if (c === "bm") return Boolean(q.thread.reach.bm && q.thread.bm);
    if (c === "push") return q.hasPushSubscription;
    if (c === "email") return Boolean(q.thread.reach.email && q.thread.visitor.email && !emailUnsubscribed(q));
    return false; // the widget is what the visitor left; it is not a way to reach them
  };
  return (q.order ?? DEFAULT_CHANNEL_ORDER).filter(reachable);
}

function emailUnsubscribed(q: ContinuityQuestion): boolean {
  const out = q.state.emailUnsubscribedAt;
  const givenAgain = q.thread.consent?.email?.at;
  return Boolean(out && !(givenAgain && givenAgain.getTime() > out.getTime()));
}

export function planContinuity(q: ContinuityQuestion): ContinuityPlan {
  const seenAt = q.thread.visitorLastSeenAt;
  if (seenAt && seenAt.getTime() >= q.replyAt.getTime()) return { action: "skip", reason: "seen" };
  const batch = unseenReplies(q.replies, seenAt, q.state.notifiedThrough);
  if (batch.length === 0) return { action: "skip", reason: "already_notified" };
  const channels = continuityChannels(q);
  if (channels.length === 0) return { action: "skip", reason: "no_channel" };
  const policies = q.policies ?? channelPolicies();
  for (const channel of channels) {
    const open = checkSend({
      channel,
      lastVisitorMessageAt: q.thread.lastVisitorMessageAt,
      now: q.now,
      policies,
    });
    if (!open.allowed) continue;
    if (channel === "bm") return { action: "skip", reason: "delivered_elsewhere" };
    return {
      action: "send",
      channel: channel as ContinuityChannel,
      replies: batch,
      notifiedThrough: batch[batch.length - 1]!.createdAt,
    };
  }
  return { action: "skip", reason: "window_closed" };
}

/**
 * Idempotence key of one notification: the same batch under double delivery maps to the same key,
 * whichever channel ends up carrying it (push falling back to email is still one notification).
 */
export function notificationKey(threadId: string, plan: Extract<ContinuityPlan, { action: "send" }>): string {
  return `${threadId}:${plan.replies.map((r) => r.id).join(",")}`;
}

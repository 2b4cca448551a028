import { addMs, DAY_MS } from "./time";

/**
 * Channels a reply can travel on. `web` is the live widget: the reply is stored in the
 * thread and shown the next time the visitor opens it.
 */
export const CHANNELS = ["web", "bm", "push", "email"] as const;
export type Channel = (typeof CHANNELS)[number];

export interface ChannelPolicy {
  channel: Channel;
  label: string;
  /** Free-form window after the visitor's last message. */
  windowMs: number;
}

export interface ReachSettings {
  /** How long web push, email and the widget may be used after the visitor's last activity. */
  reachWindowDays: number;
}

export const DEFAULT_REACH_SETTINGS: ReachSettings = { reachWindowDays: 30 };

/** The one table of channel policies (reference: business-messages.md §3). */
export function channelPolicies(settings: ReachSettings = DEFAULT_REACH_SETTINGS): Record<Channel, ChannelPolicy> {
  const reachMs = settings.reachWindowDays * DAY_MS;
  return {
    web: { channel: "web", label: "the chat widget", windowMs: reachMs },
    bm: { channel: "bm", label: "Business Messages", windowMs: 30 * DAY_MS },
    push: { channel: "push", label: "web push", windowMs: reachMs },
    email: { channel: "email", label: "email", windowMs: reachMs },
  };
}

/**
 * The instant a window is measured from. Google counts from the user's message time
 * (`sendTime`), but a sender clock running ahead must not stretch our window past the
 * moment we actually received it — so we take the earlier of the two.
 */
export function windowAnchor(createdAt: Date | undefined, receivedAt: Date): Date {
  if (!createdAt || Number.isNaN(createdAt.getTime())) return receivedAt;
  return createdAt.getTime() < receivedAt.getTime() ? createdAt : receivedAt;
}

export type SendDecision =
  | { allowed: true; channel: Channel; closesAt: Date }
  | { allowed: false; channel: Channel; code: "no_visitor_message" | "window_closed"; reason: string; closedAt?: Date };

export interface SendQuestion {
  channel: Channel;
  /** Anchor of the visitor's last message (see windowAnchor); undefined when they never wrote. */
  lastVisitorMessageAt: Date | undefined;
  now: Date;
  policies?: Record<Channel, ChannelPolicy>;
}

/** May we send on this channel now? Every send path asks this one function. */
export function checkSend(q: SendQuestion): SendDecision {
  const policy = (q.policies ?? channelPolicies())[q.channel];
  if (!q.lastVisitorMessageAt) {
    return {
      allowed: false,
      channel: q.channel,
      code: "no_visitor_message",
      reason: `The visitor has not written yet, so ${policy.label} cannot be used. It opens when they write.`,
    };
  }
  const closesAt = addMs(q.lastVisitorMessageAt, policy.windowMs);
  if (q.now.getTime() < closesAt.getTime()) return { allowed: true, channel: q.channel, closesAt };
  return closed(q.channel, policy, closesAt);
}

function closed(channel: Channel, policy: ChannelPolicy, closedAt: Date): SendDecision {
  return {
    allowed: false,
    channel,
    code: "window_closed",
    closedAt,
    reason: `${capitalized(policy.label)} window closed on ${closedAt.toISOString()}. It reopens when the visitor writes again.`,
  };
}

function capitalized(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** When the window of a channel closes for a given visitor message anchor (for bots and planning). */
export function windowClosesAt(channel: Channel, lastVisitorMessageAt: Date, policies = channelPolicies()): Date {
  return addMs(lastVisitorMessageAt, policies[channel].windowMs);
}

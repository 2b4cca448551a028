import type { Image, RichCard } from "../contract/richContent";
import type { Suggestion } from "../contract/suggestions";
import { channelPolicies, type Channel, type ChannelPolicy, windowClosesAt } from "./channels";
import type { Delivery } from "./delivery";

export type Origin = "web" | "bm";
export type ThreadStatus = "open" | "pending" | "snoozed" | "resolved";
export type Author = "visitor" | "agent" | "bot" | "system";

export const MESSAGE_TEXT_MAX = 4096;
export const PREVIEW_MAX = 140;

export interface Visitor {
  displayName: string;
  email?: string;
  locale: string;
}

export interface BmIdentity {
  conversationId: string;
  agent: string;
  entryPoint?: string;
  placeId?: string;
  widgetUrl?: string;
  /** Business Messages extras (issue 3). */
  customAgentId?: string;
  widgetContext?: string;
  /** The visitor asked for a human (userStatus.requestedLiveAgent). */
  liveAgentRequestedAt?: Date;
  /** Google's id of the visitor's latest text message: the target of our READ receipt. */
  lastUserMessageId?: string;
  /** Google refused delivery (403/404); cleared when the visitor writes again. */
  unreachableSince?: Date;
  /**
   * Who spoke for the business last (the representative of our latest send): a HUMAN message after
   * BOT ones is preceded by REPRESENTATIVE_JOINED, a BOT one after a HUMAN by REPRESENTATIVE_LEFT.
   */
  speaker?: "BOT" | "HUMAN";
  /** The JOINED / LEFT task that switched `speaker` (its retries send again; others find it switched). */
  speakerBy?: string;
}

export interface ThreadState {
  id: string;
  origin: Origin;
  status: ThreadStatus;
  visitor: Visitor;
  /** Auth uids allowed to read this thread (the widget visitor, plus devices opened by a resume link). */
  visitorUids: string[];
  bm?: BmIdentity;
  reach: { bm: boolean; push: boolean; email: boolean };
  lastVisitorMessageAt?: Date;
  windows: Partial<Record<Channel, Date>>;
  lastMessage?: { text: string; from: Author; at: Date };
  lastActivityAt: Date;
  unreadForAgents: number;
  messageCount: number;
  assignedTo: string | null;
  /** Set by the console with status "snoozed"; the wake-up task clears it (domain/snooze.ts). */
  snoozedUntil?: Date | null;
  createdAt: Date;
  /** The first agent reply (not a bot's, not a follow-up): Insights' first-response time. */
  firstResponseAt?: Date;
}

export interface MessageRecord {
  id: string;
  from: Author;
  text: string;
  createdAt: Date;
  agentUid?: string;
  authorName?: string;
  externalId?: string;
  delivery?: Delivery;
  /** A visitor image (Business Messages sends a signed storage URL; it expires). */
  image?: { url: string };
  /** A tapped suggestion chip's postback data (Business Messages suggestionResponse). */
  postbackData?: string;
  /** Chips offered with an agent's or bot's message, in Google's Suggestion JSON (contract/suggestions.ts). */
  suggestions?: Suggestion[];
  /** Which kind of chip was tapped: Google's suggestionResponse.type (REPLY or ACTION). */
  suggestionType?: string;
  /** An agent's or bot's rich card, in Google's RichCard JSON (contract/richContent.ts). */
  richCard?: RichCard;
  /** An agent's or bot's image, in Google's Image JSON. Not `image`: that is a visitor's inbound image. */
  imageContent?: Image;
}

export function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= PREVIEW_MAX ? flat : `${flat.slice(0, PREVIEW_MAX - 1)}…`;
}

export function newThread(init: {
  id: string;
  origin: Origin;
  visitor: Visitor;
  visitorUids?: string[];
  bm?: BmIdentity;
  now: Date;
}): ThreadState {
  return {
    id: init.id,
    origin: init.origin,
    status: "open",
    visitor: init.visitor,
    visitorUids: init.visitorUids ?? [],
    ...(init.bm ? { bm: init.bm } : {}),
    reach: { bm: Boolean(init.bm), push: false, email: Boolean(init.visitor.email) },
    windows: {},
    lastActivityAt: init.now,
    unreadForAgents: 0,
    messageCount: 0,
    assignedTo: null,
    createdAt: init.now,
  };
}

/** Channels a reply could use for this thread, whatever their windows say. */
export function reachableChannels(thread: ThreadState): Channel[] {
  const channels: Channel[] = [];
  if (thread.visitorUids.length > 0) channels.push("web");
  if (thread.reach.bm && thread.bm) channels.push("bm");
  if (thread.reach.push) channels.push("push");
  if (thread.reach.email && thread.visitor.email) channels.push("email");
  return channels;
}

export function computeWindows(
  thread: ThreadState,
  policies: Record<Channel, ChannelPolicy> = channelPolicies(),
): Partial<Record<Channel, Date>> {
  const windows: Partial<Record<Channel, Date>> = {};
  if (!thread.lastVisitorMessageAt) return windows;
  for (const channel of reachableChannels(thread)) {
    windows[channel] = windowClosesAt(channel, thread.lastVisitorMessageAt, policies);
  }
  return windows;
}

function later(a: Date | undefined, b: Date): Date {
  return a && a.getTime() > b.getTime() ? a : b;
}

/**
 * A visitor message: reopens the thread, counts as unread, and rolls the windows. A late retry
 * of an older message never moves the window or the inbox preview backwards.
 */
export function applyVisitorMessage(
  thread: ThreadState,
  msg: { text: string; anchor: Date; receivedAt: Date },
  policies?: Record<Channel, ChannelPolicy>,
): ThreadState {
  const isNewest = !thread.lastMessage || msg.anchor.getTime() >= thread.lastMessage.at.getTime();
  const next: ThreadState = {
    ...thread,
    status: "open",
    lastVisitorMessageAt: later(thread.lastVisitorMessageAt, msg.anchor),
    lastActivityAt: later(thread.lastActivityAt, msg.receivedAt),
    unreadForAgents: thread.unreadForAgents + 1,
    messageCount: thread.messageCount + 1,
    lastMessage: isNewest ? { text: preview(msg.text), from: "visitor", at: msg.anchor } : thread.lastMessage,
  };
  next.windows = computeWindows(next, policies);
  return next;
}

/** An agent (or bot) reply: the thread now waits on the visitor. */
export function applyAgentMessage(
  thread: ThreadState,
  msg: { text: string; from: "agent" | "bot"; at: Date },
): ThreadState {
  return {
    ...thread,
    status: thread.status === "resolved" ? "resolved" : "pending",
    lastActivityAt: later(thread.lastActivityAt, msg.at),
    unreadForAgents: 0,
    messageCount: thread.messageCount + 1,
    lastMessage: { text: preview(msg.text), from: msg.from, at: msg.at },
    ...(msg.from === "agent" && !thread.firstResponseAt ? { firstResponseAt: msg.at } : {}),
  };
}

import type { Channel, ChannelPolicy } from "../../domain/channels";
import { checkSend } from "../../domain/channels";
import type { ThreadState } from "../../domain/thread";
import { bmMessageUuid } from "./outbound";
import type { BmTask } from "./tasks";

export interface ThreadChange {
  threadId: string;
  /** The Cloud Event id: stable across redeliveries of one change, so ids derived from it are too. */
  eventId: string;
  before: ThreadState;
  after: ThreadState;
  now: Date;
  agentName?: string;
  surveyOnResolve: boolean;
  policies?: Record<Channel, ChannelPolicy>;
}

/**
 * What an agent's action on a Business Messages thread means for Google (reference §2.2):
 * taking a thread that asked for a human → REPRESENTATIVE_JOINED; releasing it → REPRESENTATIVE_LEFT;
 * opening it (unread back to 0) → READ receipt for the visitor's last message; resolving → survey.
 * Nothing is sent once the window has closed.
 */
export function tasksForThreadChange(c: ThreadChange): BmTask[] {
  const bm = c.after.bm;
  if (!bm?.conversationId || !c.after.reach?.bm) return [];
  const open = checkSend({
    channel: "bm",
    lastVisitorMessageAt: c.after.lastVisitorMessageAt,
    now: c.now,
    policies: c.policies,
  });
  if (!open.allowed) return [];
  const base = { threadId: c.threadId, conversationId: bm.conversationId };
  const tasks: BmTask[] = [];
  const wasAssigned = Boolean(c.before.assignedTo);
  const isAssigned = Boolean(c.after.assignedTo);
  // Joined: an agent takes a thread whose visitor asked for one. Left: the agent hands it back,
  // when they asked for one or a human has been speaking.
  const joins = isAssigned && !wasAssigned && Boolean(bm.liveAgentRequestedAt);
  const leaves = wasAssigned && !isAssigned && (Boolean(bm.liveAgentRequestedAt) || bm.speaker === "HUMAN");
  if (joins || leaves) {
    tasks.push({
      kind: "event",
      ...base,
      eventId: bmMessageUuid(c.threadId, `event:${c.eventId}`),
      eventType: isAssigned ? "REPRESENTATIVE_JOINED" : "REPRESENTATIVE_LEFT",
      representative: isAssigned
        ? { representativeType: "HUMAN", ...(c.agentName ? { displayName: c.agentName.slice(0, 100) } : {}) }
        : { representativeType: "BOT" },
    });
  }
  if (c.before.unreadForAgents > 0 && c.after.unreadForAgents === 0 && bm.lastUserMessageId) {
    tasks.push({ kind: "receipt", ...base, messageId: bm.lastUserMessageId });
  }
  if (c.surveyOnResolve && c.before.status !== "resolved" && c.after.status === "resolved") {
    tasks.push({ kind: "survey", ...base, surveyId: bmMessageUuid(c.threadId, `survey:${c.eventId}`) });
  }
  return tasks;
}

export interface TypingChange {
  threadId: string;
  thread: ThreadState;
  /** The Cloud Event id of the typing write: the event id derives from it. */
  eventId: string;
  wasTyping: boolean;
  isTyping: boolean;
  agentName?: string;
  now: Date;
  policies?: Record<Channel, ChannelPolicy>;
}

/**
 * The console's agent typing signal, as Business Messages typing events: one when the agent starts
 * and one when they send or clear it; refreshes while still typing send nothing. Google clears a
 * stale indicator on the phone by itself when a signal simply expires (a closed tab).
 */
export function tasksForTyping(c: TypingChange): BmTask[] {
  const bm = c.thread.bm;
  if (c.wasTyping === c.isTyping || !bm?.conversationId || !c.thread.reach?.bm) return [];
  const open = checkSend({
    channel: "bm",
    lastVisitorMessageAt: c.thread.lastVisitorMessageAt,
    now: c.now,
    policies: c.policies,
  });
  if (!open.allowed) return [];
  return [
    {
      kind: "event",
      threadId: c.threadId,
      conversationId: bm.conversationId,
      eventId: bmMessageUuid(c.threadId, `typing:${c.eventId}`),
      eventType: c.isTyping ? "TYPING_STARTED" : "TYPING_STOPPED",
      representative: {
        representativeType: "HUMAN",
        ...(c.agentName ? { displayName: c.agentName.slice(0, 100) } : {}),
      },
    },
  ];
}

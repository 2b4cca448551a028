// The window banner: the same policy the server applies (functions/src/domain), imported, not re-implemented.
import { channelPolicies, type SendDecision } from "../../../functions/src/domain/channels";
import { chooseReplyChannel } from "../../../functions/src/domain/reply";
import type { ThreadState } from "../../../functions/src/domain/thread";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../../functions/src/domain/time";
import { formatDateTime } from "./dom";

export interface ReplyWindow {
  open: boolean;
  text: string;
  decision: SendDecision;
}

function timeLeft(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"} left`;
  if (ms >= DAY_MS) return plural(Math.floor(ms / DAY_MS), "day");
  if (ms >= HOUR_MS) return plural(Math.floor(ms / HOUR_MS), "hour");
  return plural(Math.max(1, Math.ceil(ms / MINUTE_MS)), "minute");
}

/** Which channel a reply would use now and until when, or why nothing can be sent. */
export function replyWindow(
  thread: ThreadState,
  reachWindowDays: number,
  now: Date,
  format = formatDateTime,
): ReplyWindow {
  const policies = channelPolicies({ reachWindowDays });
  const decision = chooseReplyChannel(thread, { now, policies });
  const label = policies[decision.channel].label;
  if (decision.allowed) {
    const text = `You can reply via ${label} until ${format(decision.closesAt)} — ${timeLeft(decision.closesAt.getTime() - now.getTime())}`;
    return { open: true, text, decision };
  }
  if (decision.code === "window_closed" && decision.closedAt) {
    const text = `You can't reply: the ${label.replace(/^the /, "")} window closed on ${format(decision.closedAt)}. It reopens when the visitor writes again.`;
    return { open: false, text, decision };
  }
  return { open: false, text: `You can't reply: ${decision.reason}`, decision };
}

/** A thread document as the console reads it, completed with defaults the domain expects. */
export function threadState(id: string, data: Partial<ThreadState>): ThreadState {
  return {
    origin: "web",
    status: "open",
    visitor: { displayName: "Visitor", locale: "en" },
    visitorUids: [],
    reach: { bm: false, push: false, email: false },
    windows: {},
    lastActivityAt: new Date(0),
    unreadForAgents: 0,
    messageCount: 0,
    assignedTo: null,
    createdAt: new Date(0),
    ...data,
    id,
  };
}

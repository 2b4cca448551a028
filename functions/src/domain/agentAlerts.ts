/**
 * Agent alerts (docs/console.md): a visitor writes and an agent is away from the console, so the
 * agent gets an email. Pure rules; the store and the task run them.
 */
import { MINUTE_MS } from "./time";

/** The console writes a heartbeat every minute while it is open: two missed, and the agent is away. */
export const HEARTBEAT_MS = MINUTE_MS;
export const AWAY_AFTER_MS = 2 * MINUTE_MS;
/** At most one email per agent per thread in this time; messages meanwhile go into the next one. */
export const ALERT_BATCH_MS = 15 * MINUTE_MS;
/** Cloud Tasks may dispatch a little before its schedule time. */
const EARLY_TOLERANCE_MS = 5_000;

export function isAway(lastHeartbeat: Date | undefined, now: Date): boolean {
  return !lastHeartbeat || now.getTime() - lastHeartbeat.getTime() >= AWAY_AFTER_MS;
}

/** One agent's alert state on one thread (threads/{id}/agentAlerts/{uid}: erased with the thread). */
export interface AlertState {
  /** When the last email went out. */
  lastSentAt?: Date;
  /** The newest visitor message that email carried. */
  sentThrough?: Date;
  /** A task is due then to send the next email; cleared when it sends. */
  scheduledFor?: Date | null;
}

export type AlertPlan = { action: "none" } | { action: "schedule"; dueAt: Date };

/**
 * A visitor message at `now` for an away agent: the next email goes now, or when 15 minutes have
 * passed since the last one. A pending email not yet due already takes this message along.
 */
export function planAlert(state: AlertState | undefined, now: Date): AlertPlan {
  const pending = state?.scheduledFor;
  if (pending && pending.getTime() + EARLY_TOLERANCE_MS >= now.getTime()) return { action: "none" };
  const batchEnds = state?.lastSentAt ? state.lastSentAt.getTime() + ALERT_BATCH_MS : 0;
  return { action: "schedule", dueAt: new Date(Math.max(now.getTime(), batchEnds)) };
}

export type AlertDecision =
  | { action: "skip"; reason: "superseded" | "early" | "agent_present" | "nothing_new" | "opted_out" }
  | { action: "send"; since: Date | undefined };

/**
 * The task due at `dueAt` runs at `now`: send, unless another task took over, it runs early (the
 * Tasks emulator ignores schedule times), or the agent came back. The email carries the visitor's
 * messages after both the last email and the agent's last heartbeat (what the console showed them).
 */
export function decideAlert(w: {
  state: AlertState | undefined;
  dueAt: Date;
  now: Date;
  lastHeartbeat: Date | undefined;
  optedOut: boolean;
}): AlertDecision {
  const scheduled = w.state?.scheduledFor;
  if (!scheduled || scheduled.getTime() !== w.dueAt.getTime()) return { action: "skip", reason: "superseded" };
  if (w.optedOut) return { action: "skip", reason: "opted_out" };
  if (w.now.getTime() + EARLY_TOLERANCE_MS < w.dueAt.getTime()) return { action: "skip", reason: "early" };
  if (!isAway(w.lastHeartbeat, w.now)) return { action: "skip", reason: "agent_present" };
  return { action: "send", since: latest(w.state?.sentThrough, w.lastHeartbeat) };
}

function latest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() >= b.getTime() ? a : b;
}

import type { ThreadStatus } from "./thread";
import { DAY_MS, MINUTE_MS } from "./time";

/** What waking needs of a thread: the console writes status "snoozed" and snoozedUntil. */
export interface SnoozedThread {
  status: ThreadStatus;
  snoozedUntil?: Date | null;
}

/** A wake-up task: the snooze it ends, and when this task was scheduled for (a hop when earlier). */
export interface WakeTask {
  threadId: string;
  until: Date;
  at: Date;
}

/** Cloud Tasks schedules at most 30 days ahead: a longer snooze is reached in hops of 29 days. */
export const WAKE_HOP_MS = 29 * DAY_MS;
/** Tasks may run a little before their time as clocks differ; a minute early still wakes. */
const EARLY_MS = MINUTE_MS;

/** The snooze to schedule a wake-up for: the thread was just snoozed, or snoozed until another time. */
export function snoozeToSchedule(before: SnoozedThread | undefined, after: SnoozedThread): Date | undefined {
  if (after.status !== "snoozed" || !after.snoozedUntil) return undefined;
  if (before?.status === "snoozed" && before.snoozedUntil?.getTime() === after.snoozedUntil.getTime()) return undefined;
  return after.snoozedUntil;
}

/** The first or next task toward `until`, chained from the previous task's time so the chain is the same on every retry. */
export function wakeTaskAfter(threadId: string, until: Date, from: Date): WakeTask {
  return { threadId, until, at: new Date(Math.min(until.getTime(), from.getTime() + WAKE_HOP_MS)) };
}

export type WakeDecision = { action: "wake" } | { action: "hop"; next: WakeTask } | { action: "stale" | "early" };

/**
 * A wake-up task fires: wake the thread; hop again toward a snooze beyond the horizon; nothing
 * when the thread was reopened, resolved or snoozed again meanwhile ("stale"), or when the task ran
 * before its time ("early": only the emulator, which ignores schedule times; the sweep wakes it).
 */
export function decideWake(thread: SnoozedThread | undefined, task: WakeTask, now: Date): WakeDecision {
  if (!thread || thread.status !== "snoozed" || thread.snoozedUntil?.getTime() !== task.until.getTime())
    return { action: "stale" };
  if (now.getTime() >= task.until.getTime() - EARLY_MS) return { action: "wake" };
  if (task.at.getTime() < task.until.getTime())
    return { action: "hop", next: wakeTaskAfter(task.threadId, task.until, task.at) };
  return { action: "early" };
}

/** The hourly sweep's check: a snoozed thread whose time has come. */
export function snoozeIsOver(thread: SnoozedThread, now: Date): boolean {
  return thread.status === "snoozed" && Boolean(thread.snoozedUntil) && thread.snoozedUntil!.getTime() <= now.getTime();
}

import { WAKE_QUEUE } from "../config";
import { snoozeIsOver, wakeTaskAfter, type WakeTask } from "../domain/snooze";
import { hashId } from "../domain/ids";
import { triageLogs } from "../logs";
import { snoozedThreads, wakeSnoozedThread } from "../store/snooze";
import { enqueueOnce } from "../taskQueue";
import type { Reading } from "../clock";

/** The wake-up for a snooze just set: one task at its end (or at the first hop), under an id derived from both. */
export async function scheduleWake(threadId: string, until: Date, now: Date): Promise<void> {
  await enqueueWake(wakeTaskAfter(threadId, until, now));
}

/** A wake-up task's id, derived from the thread and times: the erase deletes it by name. */
export const wakeTaskId = (task: WakeTask) =>
  `wake-${hashId(task.threadId, task.until.toISOString(), task.at.toISOString())}`;

async function enqueueWake(task: WakeTask): Promise<void> {
  const id = wakeTaskId(task);
  const payload = { threadId: task.threadId, until: task.until.toISOString(), at: task.at.toISOString() };
  await enqueueOnce(WAKE_QUEUE, payload, { id, scheduleTime: task.at, dispatchDeadlineSeconds: 60 });
}

/** A wake-up task fired: wake the thread, or hop on toward a snooze beyond the task horizon. */
export async function runWake(task: WakeTask, now: Date): Promise<string> {
  const decision = await wakeSnoozedThread(task, now);
  if (decision.action === "hop") await enqueueWake(decision.next);
  triageLogs.wake(task.threadId, decision.action);
  return decision.action;
}

/** The hourly sweep's part: any snooze that is over and still asleep (a lost task; the emulator). */
export async function wakeOverdueSnoozes(clock: Reading): Promise<string[]> {
  const woken: string[] = [];
  for (const thread of await snoozedThreads()) {
    const now = clock(thread.id);
    if (!snoozeIsOver(thread, now)) continue;
    const task = { threadId: thread.id, until: thread.snoozedUntil!, at: thread.snoozedUntil! };
    if ((await runWake(task, now)) === "wake") woken.push(thread.id);
  }
  return woken;
}

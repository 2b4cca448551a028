import { runningInEmulator } from "../config";
import { channelPolicies } from "../domain/channels";
import {
  detectRecovery,
  EARLY_TOLERANCE_MS,
  reviewFollowUp,
  type FollowUp,
  type FollowUpReview,
  type FollowUpSettings,
} from "../domain/followUps";
import { followUpLogs } from "../logs";
import { changeFollowUp } from "../store/followUps";
import { getBusinessSettings } from "../store/settings";
import { deleteFollowUpTask, enqueueFollowUp } from "./tasks";

/**
 * The Tasks emulator ignores schedule times and dispatches at once, where a task not yet due does
 * nothing: under the emulator only due tasks are enqueued (the dev clock's run-due and sweep send
 * the rest). Deployed, every plan is enqueued.
 */
function worthEnqueueing(dueAt: Date, now: Date): boolean {
  return !runningInEmulator() || dueAt.getTime() <= now.getTime() + EARLY_TOLERANCE_MS;
}

export async function followUpSettings(): Promise<FollowUpSettings> {
  const settings = await getBusinessSettings();
  return { followUpMarginHours: settings.followUpMarginHours, policies: channelPolicies(settings) };
}

/** After the slot was written: enqueue the new task first, then delete the one it replaces. */
export async function applyTasks(
  threadId: string,
  change: { followUp: FollowUp; replacesTaskId: string | null },
  now: Date,
): Promise<void> {
  const { followUp, replacesTaskId } = change;
  if (followUp.state === "planned") {
    if (followUp.taskId && worthEnqueueing(followUp.dueAt, now))
      await enqueueFollowUp({ threadId, taskId: followUp.taskId }, followUp.dueAt);
    followUpLogs.planned(threadId, followUp.taskId, followUp.dueAt, followUp.kind);
  } else {
    followUpLogs.stopped(threadId, followUp.state, followUp.reason);
  }
  if (replacesTaskId && replacesTaskId !== followUp.taskId) await deleteFollowUpTask(threadId, replacesTaskId);
}

/**
 * Reviews one thread in one transaction: counts a recovered lead when the visitor came back after
 * a follow-up, and (re)plans or stops its follow-up. Safe to run any number of times.
 */
export async function reviewThread(threadId: string, now: Date, settings?: FollowUpSettings): Promise<FollowUpReview> {
  const s = settings ?? (await followUpSettings());
  const review = await changeFollowUp<FollowUpReview>(threadId, (thread) => {
    if (!thread) return { result: { action: "keep", why: "no such thread" } };
    const recovery = detectRecovery(thread);
    if (recovery) followUpLogs.recovered(threadId, recovery.via, recovery.count);
    const result = reviewFollowUp(thread, s, now);
    return { followUp: result.action === "keep" ? undefined : result.followUp, recovery, result };
  });
  if (review.action !== "keep") await applyTasks(threadId, review, now);
  return review;
}

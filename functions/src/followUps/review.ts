import { channelPolicies } from "../domain/channels";
import { detectRecovery, reviewFollowUp, type FollowUp, type FollowUpReview, type FollowUpSettings } from "../domain/followUps";
import { followUpLogs } from "../logs";
import { changeFollowUp } from "../store/followUps";
import { getBusinessSettings } from "../store/settings";
import { deleteFollowUpTask, enqueueFollowUp } from "./tasks";

export async function followUpSettings(): Promise<FollowUpSettings> {
  const settings = await getBusinessSettings();
  return { followUpMarginHours: settings.followUpMarginHours, policies: channelPolicies(settings) };
}

/** After the slot was written: enqueue the new task first, then delete the one it replaces. */
export async function applyTasks(threadId: string, change: { followUp: FollowUp; replacesTaskId: string | null }): Promise<void> {
  const { followUp, replacesTaskId } = change;
  if (followUp.state === "planned") {
    if (followUp.taskId) await enqueueFollowUp({ threadId, taskId: followUp.taskId }, followUp.dueAt);
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
  if (review.action !== "keep") await applyTasks(threadId, review);
  return review;
}

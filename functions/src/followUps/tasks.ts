import { FOLLOW_UP_QUEUE } from "../config";
import { followUpLogs } from "../logs";
import { deleteTask, enqueueOnce } from "../taskQueue";

/** The payload of a follow-up task: the thread re-read when it fires decides everything else. */
export interface FollowUpTask {
  threadId: string;
  taskId: string;
}

/** Enqueues under our own hashed id; an id that exists (or ran within the hour) means already planned. */
export async function enqueueFollowUp(task: FollowUpTask, dueAt: Date): Promise<"enqueued" | "already_planned"> {
  const outcome = await enqueueOnce(FOLLOW_UP_QUEUE, task, {
    id: task.taskId,
    scheduleTime: dueAt,
    dispatchDeadlineSeconds: 60,
  });
  return outcome === "enqueued" ? "enqueued" : "already_planned";
}

/** Deleting a task that already ran or is gone resolves silently; a failure leaves a stale task, which no-ops. */
export async function deleteFollowUpTask(threadId: string, taskId: string): Promise<void> {
  try {
    await deleteTask(FOLLOW_UP_QUEUE, taskId);
  } catch (err) {
    followUpLogs.taskDeleteFailed(threadId, taskId, err);
  }
}

import type { TaskQueue } from "firebase-admin/functions";
import { FOLLOW_UP_QUEUE, REGION } from "../config";
import { followUpLogs } from "../logs";
import { db } from "../store/db";

/** The payload of a follow-up task: the thread re-read when it fires decides everything else. */
export interface FollowUpTask {
  threadId: string;
  taskId: string;
}

let queue: TaskQueue<FollowUpTask> | undefined;

/** Loaded on first use, like the Firestore SDK: functions that never enqueue don't pay for it at cold start. */
function followUpQueue(): TaskQueue<FollowUpTask> {
  if (!queue) {
    db(); // initializes the admin app
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getFunctions } = require("firebase-admin/functions") as typeof import("firebase-admin/functions");
    queue = getFunctions().taskQueue<FollowUpTask>(`locations/${REGION}/functions/${FOLLOW_UP_QUEUE}`);
  }
  return queue;
}

/** Enqueues under our own hashed id; an id that exists (or ran within the hour) means already planned. */
export async function enqueueFollowUp(task: FollowUpTask, dueAt: Date): Promise<"enqueued" | "already_planned"> {
  try {
    await followUpQueue().enqueue(task, { id: task.taskId, scheduleTime: dueAt, dispatchDeadlineSeconds: 60 });
    return "enqueued";
  } catch (err) {
    if ((err as { code?: string })?.code === "functions/task-already-exists") return "already_planned";
    throw err;
  }
}

/** Deleting a task that already ran or is gone resolves silently; a failure leaves a stale task, which no-ops. */
export async function deleteFollowUpTask(threadId: string, taskId: string): Promise<void> {
  try {
    await followUpQueue().delete(taskId);
  } catch (err) {
    followUpLogs.taskDeleteFailed(threadId, taskId, err);
  }
}

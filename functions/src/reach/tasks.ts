import type { TaskQueue } from "firebase-admin/functions";
import { CONTINUITY_QUEUE, REGION } from "../config";
import { hashId } from "../domain/ids";
import { db } from "../store/db";
import type { ContinuityTask } from "./continuity";

let queue: TaskQueue<ContinuityTask> | undefined;

/** Loaded on first use, as for follow-ups: the reply trigger's cold start does not pay for it. */
function continuityQueue(): TaskQueue<ContinuityTask> {
  if (!queue) {
    db(); // initializes the admin app
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getFunctions } = require("firebase-admin/functions") as typeof import("firebase-admin/functions");
    queue = getFunctions().taskQueue<ContinuityTask>(`locations/${REGION}/functions/${CONTINUITY_QUEUE}`);
  }
  return queue;
}

/** One task per reply, under a hashed id: a re-fired trigger finds it taken and adds nothing. */
export async function enqueueContinuity(task: ContinuityTask, delaySeconds: number): Promise<"enqueued" | "already_enqueued"> {
  try {
    await continuityQueue().enqueue(task, {
      id: `continuity-${hashId(task.threadId, task.messageId)}`,
      scheduleDelaySeconds: delaySeconds,
      dispatchDeadlineSeconds: 120,
    });
    return "enqueued";
  } catch (err) {
    if ((err as { code?: string })?.code === "functions/task-already-exists") return "already_enqueued";
    throw err;
  }
}

import { CONTINUITY_QUEUE } from "../config";
import { hashId } from "../domain/ids";
import { enqueueOnce } from "../taskQueue";
import type { ContinuityTask } from "./continuity";

/** One task per reply, under a hashed id: a re-fired trigger finds it taken and adds nothing. */
export async function enqueueContinuity(
  task: ContinuityTask,
  delaySeconds: number,
): Promise<"enqueued" | "already_enqueued"> {
  return enqueueOnce(CONTINUITY_QUEUE, task, {
    id: `continuity-${hashId(task.threadId, task.messageId)}`,
    scheduleDelaySeconds: delaySeconds,
    dispatchDeadlineSeconds: 120,
  });
}

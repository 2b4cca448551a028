import { onTaskDispatched } from "firebase-functions/tasks";
import { z } from "zod";
import { REGION } from "../config";
import { deliverFollowUp } from "../followUps/deliver";
import { nowFor } from "../followUps/clock";
import { taskPayload } from "../http/errors";

const Task = z.object({
  threadId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  taskId: z.string().regex(/^[A-Za-z0-9_-]{1,500}$/),
});

/**
 * Cloud Tasks fires a planned follow-up here (at least once). The handler re-reads the thread and
 * does nothing when the task is stale; a thrown error is retried with backoff.
 */
export const sendFollowUp = onTaskDispatched(
  {
    region: REGION,
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 60, maxBackoffSeconds: 3600 },
    rateLimits: { maxConcurrentDispatches: 20 },
    timeoutSeconds: 60,
  },
  async (request) => {
    const task = taskPayload("sendFollowUp", Task, request.data);
    if (!task) return;
    await deliverFollowUp(task, await nowFor(task.threadId));
  },
);

import { onTaskDispatched } from "firebase-functions/tasks";
import { z } from "zod";
import { REGION } from "../config";
import { nowFor } from "../followUps/clock";
import { taskPayload } from "../http/errors";
import { runWake } from "../snooze/wake";

const Task = z.object({
  threadId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  until: z.iso.datetime(),
  at: z.iso.datetime(),
});

/**
 * A snooze ends: the thread is open again and back in the agents' Open inbox. Scheduled by the
 * thread trigger when an agent snoozes; does nothing when the thread was reopened, resolved or
 * snoozed again meanwhile.
 */
export const wakeSnoozed = onTaskDispatched(
  {
    region: REGION,
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 30, maxBackoffSeconds: 1800 },
    rateLimits: { maxConcurrentDispatches: 20 },
    timeoutSeconds: 60,
  },
  async (request) => {
    const task = taskPayload("wakeSnoozed", Task, request.data);
    if (!task) return;
    const { threadId, until, at } = task;
    await runWake({ threadId, until: new Date(until), at: new Date(at) }, await nowFor(threadId));
  },
);

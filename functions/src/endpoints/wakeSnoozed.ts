import { onTaskDispatched } from "firebase-functions/tasks";
import { z } from "zod";
import { REGION } from "../config";
import { nowFor } from "../followUps/clock";
import { logs } from "../logs";
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
    const task = Task.safeParse(request.data);
    if (!task.success) {
      logs.requestRejected("wakeSnoozed", 400, task.error.issues[0]?.message ?? "invalid task");
      return; // retrying a malformed task cannot help
    }
    const { threadId, until, at } = task.data;
    await runWake({ threadId, until: new Date(until), at: new Date(at) }, await nowFor(threadId));
  },
);

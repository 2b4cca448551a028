import { clock } from "../clock";
import { FollowUpTask } from "../contract/tasks";
import { deliverFollowUp } from "../followUps/deliver";
import { defineTask } from "../http/task";

/**
 * Cloud Tasks fires a planned follow-up here (at least once). The handler re-reads the thread and
 * does nothing when the task is stale; a thrown error is retried with backoff.
 */
export const sendFollowUp = defineTask(
  "sendFollowUp",
  FollowUpTask,
  {
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 60, maxBackoffSeconds: 3600 },
    rateLimits: { maxConcurrentDispatches: 20 },
    timeoutSeconds: 60,
  },
  async (task) => deliverFollowUp(task, await clock.now(task.threadId)),
);

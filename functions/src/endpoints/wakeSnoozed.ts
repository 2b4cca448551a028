import { clock } from "../clock";
import { WakeTask } from "../contract/tasks";
import { defineTask } from "../http/task";
import { runWake } from "../snooze/wake";

/**
 * A snooze ends: the thread is open again and back in the agents' Open inbox. Scheduled by the
 * thread trigger when an agent snoozes; does nothing when the thread was reopened, resolved or
 * snoozed again meanwhile.
 */
export const wakeSnoozed = defineTask(
  "wakeSnoozed",
  WakeTask,
  {
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 30, maxBackoffSeconds: 1800 },
    rateLimits: { maxConcurrentDispatches: 20 },
    timeoutSeconds: 60,
  },
  async ({ threadId, until, at }) =>
    runWake({ threadId, until: new Date(until), at: new Date(at) }, await clock.now(threadId)),
);

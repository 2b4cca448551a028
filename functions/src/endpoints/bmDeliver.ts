import { BM_RETRY, runBmTask } from "../channels/businessMessages/tasks";
import { clock } from "../clock";
import { BmTask } from "../contract/tasks";
import { channelPolicies } from "../domain/channels";
import { defineTask } from "../http/task";
import { getBusinessSettings } from "../store/settings";

/**
 * The Business Messages outbox: one task per API call (message, event, receipt, survey).
 * Throwing makes Cloud Tasks retry with exponential backoff (429/5xx); permanent failures return.
 */
export const bmDeliver = defineTask(
  "bmDeliver",
  BmTask,
  { retryConfig: { ...BM_RETRY }, rateLimits: { maxConcurrentDispatches: 20 }, timeoutSeconds: 60 },
  async (task, { retryCount }) => {
    const now = await clock.now(task.threadId);
    const settings = await getBusinessSettings(now.getTime());
    await runBmTask(task, { now, retryCount, policies: channelPolicies(settings) });
  },
);

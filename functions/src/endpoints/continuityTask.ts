import { clock } from "../clock";
import {
  EMAIL_FROM,
  LINK_SIGNING_SECRET,
  PUBLIC_URL,
  SMTP_URL,
  VAPID_PRIVATE_KEY,
  VAPID_PUBLIC_KEY,
  VAPID_SUBJECT,
} from "../config";
import { ContinuityTask } from "../contract/tasks";
import { defineTask } from "../http/task";
import { reachLogs } from "../logs";
import { runContinuity } from "../reach/continuity";

/**
 * N minutes after an agent reply: one web push or one email carrying every reply the visitor has
 * not seen, or nothing when they saw it. At-least-once: a repeat finds the batch claimed or sent.
 */
export const continuityTask = defineTask(
  "continuityTask",
  ContinuityTask,
  {
    secrets: [SMTP_URL, VAPID_PRIVATE_KEY, LINK_SIGNING_SECRET],
    retryConfig: { maxAttempts: 6, minBackoffSeconds: 30, maxBackoffSeconds: 1800 },
    rateLimits: { maxConcurrentDispatches: 20 },
    timeoutSeconds: 120,
  },
  async (task) => {
    const publicKey = VAPID_PUBLIC_KEY.value();
    const config = {
      publicUrl: PUBLIC_URL.value(),
      linkKey: LINK_SIGNING_SECRET.value(),
      smtpUrl: SMTP_URL.value(),
      emailFrom: EMAIL_FROM.value(),
      vapid: publicKey
        ? { subject: VAPID_SUBJECT.value(), publicKey, privateKey: VAPID_PRIVATE_KEY.value() }
        : undefined,
    };
    const outcome = await runContinuity(task, config, await clock.now(task.threadId));
    if (outcome.action === "skip") reachLogs.continuitySkipped(task.threadId, task.messageId, outcome.reason);
    return outcome;
  },
);

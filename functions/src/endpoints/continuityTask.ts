import { onTaskDispatched } from "firebase-functions/tasks";
import { z } from "zod";
import {
  EMAIL_FROM,
  LINK_SIGNING_SECRET,
  PUBLIC_URL,
  REGION,
  SMTP_URL,
  VAPID_PRIVATE_KEY,
  VAPID_PUBLIC_KEY,
  VAPID_SUBJECT,
} from "../config";
import { reachLogs } from "../logs";
import { taskPayload } from "../http/errors";
import { reachClock } from "../reach/clock";
import { runContinuity } from "../reach/continuity";

const Task = z.object({
  threadId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  messageId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  replyAt: z.iso.datetime(),
});

/**
 * N minutes after an agent reply: one web push or one email carrying every reply the visitor has
 * not seen, or nothing when they saw it. At-least-once: a repeat finds the batch claimed or sent.
 */
export const continuityTask = onTaskDispatched(
  {
    region: REGION,
    secrets: [SMTP_URL, VAPID_PRIVATE_KEY, LINK_SIGNING_SECRET],
    retryConfig: { maxAttempts: 6, minBackoffSeconds: 30, maxBackoffSeconds: 1800 },
    rateLimits: { maxConcurrentDispatches: 20 },
    timeoutSeconds: 120,
  },
  async (request) => {
    const task = taskPayload("continuityTask", Task, request.data);
    if (!task) return;
    const publicKey = VAPID_PUBLIC_KEY.value();
    const outcome = await runContinuity(
      task,
      {
        publicUrl: PUBLIC_URL.value(),
        linkKey: LINK_SIGNING_SECRET.value(),
        smtpUrl: SMTP_URL.value(),
        emailFrom: EMAIL_FROM.value(),
        vapid: publicKey
          ? { subject: VAPID_SUBJECT.value(), publicKey, privateKey: VAPID_PRIVATE_KEY.value() }
          : undefined,
      },
      reachClock(),
    );
    if (outcome.action === "skip") reachLogs.continuitySkipped(task.threadId, task.messageId, outcome.reason);
  },
);

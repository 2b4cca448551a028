import { clock } from "../clock";
import { EMAIL_FROM, PUBLIC_URL, SMTP_URL } from "../config";
import { AgentAlertTask } from "../contract/tasks";
import { defineTask } from "../http/task";
import { alertLogs } from "../logs";
import { runAgentAlert } from "../reach/agentAlerts";

/**
 * Emails one agent, away from the console, the visitor messages of one thread they have not seen
 * (docs/console.md). At most once per due time: a repeat finds the email claimed.
 */
export const agentAlertTask = defineTask(
  "agentAlertTask",
  AgentAlertTask,
  {
    secrets: [SMTP_URL],
    retryConfig: { maxAttempts: 6, minBackoffSeconds: 30, maxBackoffSeconds: 1800 },
    rateLimits: { maxConcurrentDispatches: 20 },
    timeoutSeconds: 120,
  },
  async (task) => {
    const cfg = { publicUrl: PUBLIC_URL.value(), smtpUrl: SMTP_URL.value(), emailFrom: EMAIL_FROM.value() };
    const outcome = await runAgentAlert(task, cfg, await clock.now(task.threadId));
    if (outcome.action === "skip") alertLogs.skipped(task.threadId, task.uid, outcome.reason);
    else alertLogs.sent(task.threadId, task.uid, outcome.messages);
    return outcome;
  },
);

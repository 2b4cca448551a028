import { AGENT_ALERT_QUEUE } from "../config";
import type { AgentAlertTask } from "../contract/tasks";
import { decideAlert, isAway, planAlert } from "../domain/agentAlerts";
import { hashId } from "../domain/ids";
import { renderAgentAlert } from "../channels/email/agentAlert";
import { sendEmail } from "../channels/email/send";
import { alertLogs } from "../logs";
import {
  agentsWithAlertsOn,
  alertAgent,
  claimAlert,
  readAlertState,
  releaseAlert,
  scheduleAlert,
  visitorMessagesSince,
} from "../store/agentAlerts";
import { readReachThread } from "../store/reach";
import { getBusinessSettings } from "../store/settings";
import { enqueueOnce } from "../taskQueue";

/**
 * Agents hear of new visitor messages by email: each agent who is away from the console (no
 * heartbeat for 2 minutes) and has not turned alerts off gets at most one email per thread per
 * 15 minutes (docs/console.md). The message trigger plans; a task per agent and due time sends.
 */

/** A visitor message was stored at `now`: plan an email for every away agent who wants one. */
export async function alertAwayAgents(threadId: string, now: Date): Promise<void> {
  const away = (await agentsWithAlertsOn()).filter((a) => isAway(a.lastHeartbeat, now));
  await Promise.all(
    away.map(async (agent) => {
      const dueAt = await scheduleAlert(threadId, agent.uid, (state) => {
        const plan = planAlert(state, now);
        return plan.action === "schedule" ? plan.dueAt : undefined;
      });
      if (!dueAt) return;
      const task: AgentAlertTask = { threadId, uid: agent.uid, dueAt: dueAt.toISOString() };
      await enqueueOnce(AGENT_ALERT_QUEUE, task, {
        id: `agentAlert-${hashId(threadId, agent.uid, task.dueAt)}`,
        scheduleDelaySeconds: Math.max(0, Math.ceil((dueAt.getTime() - now.getTime()) / 1000)),
        dispatchDeadlineSeconds: 120,
      });
      alertLogs.scheduled(threadId, agent.uid, dueAt);
    }),
  );
}

export interface AlertConfig {
  publicUrl: string;
  smtpUrl: string;
  emailFrom: string;
}

export type AlertOutcome = { action: "skip"; reason: string } | { action: "sent"; messages: number };

/** The task: one email to one agent with the thread's visitor messages they have not seen. */
export async function runAgentAlert(task: AgentAlertTask, cfg: AlertConfig, now: Date): Promise<AlertOutcome> {
  const dueAt = new Date(task.dueAt);
  const [agent, state, thread] = await Promise.all([
    alertAgent(task.uid),
    readAlertState(task.threadId, task.uid),
    readReachThread(task.threadId),
  ]);
  if (!thread) return { action: "skip", reason: "thread_missing" };
  const decision = decideAlert({ state, dueAt, now, lastHeartbeat: agent?.lastHeartbeat, optedOut: !agent });
  if (decision.action === "skip") return decision;
  const messages = await visitorMessagesSince(task.threadId, decision.since);
  const newest = messages.at(-1);
  if (!agent || !newest) return { action: "skip", reason: "nothing_new" };
  const before = await claimAlert(task.threadId, task.uid, { dueAt, sentAt: now, sentThrough: newest.createdAt });
  if (!before) return { action: "skip", reason: "superseded" };
  const settings = await getBusinessSettings(now.getTime());
  const base = cfg.publicUrl.replace(/\/$/, "");
  const email = renderAgentAlert({
    businessName: settings.name,
    visitorName: thread.visitor.displayName,
    channel: thread.origin,
    messages,
    threadUrl: `${base}/console/#/t/${encodeURIComponent(task.threadId)}`,
    consoleUrl: `${base}/console/`,
  });
  const domain = cfg.emailFrom.split("@")[1] ?? "afterchat.local";
  try {
    await sendEmail({
      smtpUrl: cfg.smtpUrl,
      from: { name: `${settings.name} (Afterchat)`, address: cfg.emailFrom },
      to: agent.email,
      email,
      messageId: `<agent-alert.${hashId(task.threadId, task.uid, task.dueAt)}@${domain}>`,
    });
  } catch (err) {
    // Put the email back as due: the task's retry sends it.
    await releaseAlert(task.threadId, task.uid, before);
    throw err;
  }
  return { action: "sent", messages: messages.length };
}

import { channelPolicies } from "../domain/channels";
import type { Delivery } from "../domain/delivery";
import {
  checkDue,
  markSent,
  markSkipped,
  type DueCheck,
  type FollowUp,
  type FollowUpDetails,
  type FollowUpThread,
} from "../domain/followUps";
import { chooseReplyChannel } from "../domain/reply";
import { followUpLogs } from "../logs";
import { changeFollowUp, getFollowUpDetails, getFollowUpThread } from "../store/followUps";
import { getBusinessSettings } from "../store/settings";
import { recordAgentMessage, SendRefused } from "../store/threads";
import type { FollowUpTask } from "./tasks";

export type DeliverOutcome = { sent: true; messageId: string; channel: string } | { sent: false; code: string };

class NotDue extends Error {
  constructor(readonly check: Extract<DueCheck, { due: false }>) {
    super(check.code);
  }
}

/** The live widget needs no transport: storing is delivering. Other channels are delivered by their adapters. */
function initialDelivery(channel: Delivery["channel"]): Delivery {
  return channel === "web" ? { channel, state: "sent", attempts: 1 } : { channel, state: "pending", attempts: 0 };
}

/** The message id is derived from the task id: a second delivery of the task finds it. */
export const followUpMessageId = (taskId: string) => `followup_${taskId.replace(/^fu_/, "")}`;

/**
 * A dispatched follow-up task: re-read the thread, do nothing when the task is stale, else store
 * the message and mark the follow-up sent in the same transaction — two deliveries send one message.
 */
export async function deliverFollowUp(task: FollowUpTask, now: Date): Promise<DeliverOutcome> {
  const settings = await getBusinessSettings();
  const policies = channelPolicies(settings);
  // A cheap read first: most stale tasks (superseded, not due) end here without a transaction.
  const thread = await getFollowUpThread(task.threadId);
  const first = thread
    ? checkDue(thread, task.taskId, now, policies)
    : ({ due: false, code: "superseded", record: false } as const);
  if (!first.due) return notSent(task, first, now, policies);
  const f = first.followUp;
  const agent = f.kind === "agent" ? await agentText(task.threadId, f) : undefined;
  if (f.kind === "agent" && !agent) return skipWithoutText(task);
  const messageId = followUpMessageId(task.taskId);
  try {
    const result = await recordAgentMessage({
      threadId: task.threadId,
      messageId,
      text: agent ? agent.text : settings.followUpTemplate,
      from: agent ? "agent" : "bot",
      agentUid: agent?.agentUid,
      authorName: agent ? agent.authorName : settings.name,
      now,
      decide: (current) => {
        const check = checkDue(current as FollowUpThread, task.taskId, now, policies);
        if (!check.due) throw new NotDue(check);
        return chooseReplyChannel(current, { now, policies });
      },
      delivery: initialDelivery,
      amendThread: (next, before, message) =>
        ({
          ...next,
          // A bot message does not answer the visitor: the thread keeps its status and unread count.
          ...(f.kind === "auto" ? { status: before.status, unreadForAgents: before.unreadForAgents } : {}),
          followUp: markSent((before as FollowUpThread).followUp!, {
            at: now,
            messageId,
            channel: message.delivery!.channel,
            visitorAt: before.lastVisitorMessageAt ?? null,
          }),
        }) as FollowUpThread,
    });
    followUpLogs.sent(task.threadId, task.taskId, messageId, result.decision.channel);
    return { sent: true, messageId, channel: result.decision.channel };
  } catch (err) {
    if (err instanceof NotDue) return notSent(task, err.check, now, policies);
    if (err instanceof SendRefused)
      return notSent(
        task,
        { due: false, code: "window_closed", record: true, reason: err.decision.reason },
        now,
        policies,
      );
    throw err;
  }
}

/**
 * An agent follow-up's text and author, from its agents-only details document (1 read; written with
 * the plan, so it is there). Plans scheduled before the text moved off the thread still carry it there.
 */
async function agentText(threadId: string, f: FollowUp): Promise<(FollowUpDetails & { text: string }) | undefined> {
  const details = (await getFollowUpDetails(threadId, f)) ?? (f as FollowUp & FollowUpDetails);
  return details.text ? { ...details, text: details.text } : undefined;
}

/** No text to send (the details were lost): mark this plan skipped rather than send something else. */
async function skipWithoutText(task: FollowUpTask): Promise<DeliverOutcome> {
  const code = "text_missing";
  followUpLogs.notSent(task.threadId, task.taskId, code);
  await changeFollowUp(task.threadId, (thread) => {
    const f = thread?.followUp;
    return f?.taskId === task.taskId && f.state === "planned"
      ? { followUp: markSkipped(f, code), result: undefined }
      : { result: undefined };
  });
  return { sent: false, code };
}

/** Stale: log it; when the follow-up itself can no longer go out (resolved, window closed), mark it skipped. */
async function notSent(
  task: FollowUpTask,
  check: Extract<DueCheck, { due: false }>,
  now: Date,
  policies: ReturnType<typeof channelPolicies>,
): Promise<DeliverOutcome> {
  followUpLogs.notSent(task.threadId, task.taskId, check.code);
  if (check.record) {
    await changeFollowUp(task.threadId, (thread) => {
      const again = thread ? checkDue(thread, task.taskId, now, policies) : undefined;
      const stillThisOne = again && !again.due && again.record;
      return stillThisOne
        ? { followUp: markSkipped(thread!.followUp!, check.code), result: undefined }
        : { result: undefined };
    });
  }
  return { sent: false, code: check.code };
}

import type { ContinuityTask } from "../contract/tasks";
import { notificationKey, planContinuity, type ContinuityPlan, type Reply } from "../domain/continuity";
import { channelPolicies } from "../domain/channels";
import { hashId } from "../domain/ids";
import { channelOrderOf } from "../domain/reply";
import { renderContinuityEmail } from "../channels/email/template";
import { sendEmail } from "../channels/email/send";
import { PushRetryLater, sendPush, type Vapid } from "../channels/push/send";
import { endpointRefusal } from "../channels/push/subscription";
import { reachLogs } from "../logs";
import { getBusinessSettings, type BusinessSettings } from "../store/settings";
import {
  claimNotification,
  completeNotification,
  listPushSubscriptions,
  readContinuityState,
  readReachThread,
  recordContinuityCheck,
  releaseNotification,
  removePushSubscription,
  repliesSince,
} from "../store/reach";
import { resumeUrl, unsubscribeUrl } from "./links";
import { preview } from "../domain/thread";

/** The task's payload (contract/tasks.ts): the reply that started it, and its own time (which decides "seen"). */
export type { ContinuityTask };

export interface ContinuityConfig {
  publicUrl: string;
  linkKey: string;
  smtpUrl: string;
  emailFrom: string;
  vapid?: Vapid;
}

export type ContinuityOutcome =
  | { action: "skip"; reason: string }
  | { action: "sent"; channel: "push" | "email"; replies: number; removedSubscriptions: number };

/** Thrown when another delivery of the same task holds the claim: the queue retries later. */
export class NotificationInProgress extends Error {}

const latest = (a: Date | undefined, b: Date | undefined) => (!a ? b : !b ? a : a.getTime() > b.getTime() ? a : b);

/**
 * Runs one continuity task: re-reads the thread, decides with planContinuity, claims the batch,
 * sends (push, falling back to email when every subscription is dead), records what was sent.
 */
export async function runContinuity(
  task: ContinuityTask,
  cfg: ContinuityConfig,
  now: Date,
): Promise<ContinuityOutcome> {
  const outcome = await decideAndSend(task, cfg, now);
  if (outcome.action === "skip" && outcome.reason === "thread_missing") return outcome;
  await recordContinuityCheck(task.threadId, {
    messageId: task.messageId,
    action: outcome.action,
    ...(outcome.action === "skip" ? { reason: outcome.reason } : { channel: outcome.channel }),
    at: now,
  });
  return outcome;
}

async function decideAndSend(task: ContinuityTask, cfg: ContinuityConfig, now: Date): Promise<ContinuityOutcome> {
  const thread = await readReachThread(task.threadId);
  if (!thread) return { action: "skip", reason: "thread_missing" };
  const settings = await getBusinessSettings(now.getTime());
  const state = await readContinuityState(task.threadId);
  const replies = await repliesSince(task.threadId, latest(thread.visitorLastSeenAt, state.notifiedThrough));
  const subscriptions = cfg.vapid ? await listPushSubscriptions(task.threadId) : [];
  const ask = (hasPushSubscription: boolean) =>
    planContinuity({
      thread,
      replyAt: new Date(task.replyAt),
      replies,
      state,
      hasPushSubscription,
      now,
      order: channelOrderOf(settings),
      policies: channelPolicies(settings),
    });

  let plan = ask(subscriptions.length > 0);
  if (plan.action === "skip") return plan;
  const key = notificationKey(task.threadId, plan);
  const claim = await claimNotification(task.threadId, key, plan.notifiedThrough, now);
  if (claim === "already_sent") return { action: "skip", reason: "already_notified" };
  if (claim === "in_progress") throw new NotificationInProgress(`notification ${hashId(key)} is being sent`);

  try {
    let removed = 0;
    if (plan.channel === "push") {
      const pushed = await pushAll(task.threadId, subscriptions, plan.replies, cfg, settings, now);
      removed = pushed.removed;
      if (pushed.sent === 0) {
        plan = ask(false); // every subscription was dead: email, if they gave one
        if (plan.action === "skip") {
          await releaseNotification(task.threadId, key);
          return { action: "skip", reason: `push_dead_then_${plan.reason}` };
        }
      }
    }
    if (plan.channel === "email") await emailBatch(task.threadId, thread, plan, cfg, settings, key, now);
    await completeNotification(task.threadId, {
      key,
      notifiedThrough: plan.notifiedThrough,
      channel: plan.channel,
      replyIds: plan.replies.map((r) => r.id),
      at: now,
    });
    reachLogs.continuitySent(task.threadId, plan.channel, plan.replies.length);
    return { action: "sent", channel: plan.channel, replies: plan.replies.length, removedSubscriptions: removed };
  } catch (err) {
    await releaseNotification(task.threadId, key).catch(() => undefined);
    throw err;
  }
}

async function pushAll(
  threadId: string,
  subscriptions: Awaited<ReturnType<typeof listPushSubscriptions>>,
  replies: Reply[],
  cfg: ContinuityConfig,
  settings: BusinessSettings,
  now: Date,
): Promise<{ sent: number; removed: number }> {
  const businessName = settings.name;
  const last = replies[replies.length - 1]!;
  const payload = {
    title: replies.length === 1 ? `${businessName} replied` : `${businessName} sent ${replies.length} replies`,
    body: preview(last.text),
    url: resumeUrl(cfg.publicUrl, cfg.linkKey, threadId, now),
    threadId,
  };
  let sent = 0;
  let removed = 0;
  let retryLater: PushRetryLater | undefined;
  for (const s of subscriptions) {
    // Stored before the endpoint check existed, or under the emulator's allowance: never POSTed to.
    const refusal = endpointRefusal(s.subscription.endpoint);
    if (refusal) {
      await removePushSubscription(threadId, s.id, channelPolicies(settings));
      removed += 1;
      reachLogs.pushEndpointRefused(threadId, s.id, refusal);
      continue;
    }
    try {
      const result = await sendPush(s.subscription, payload, cfg.vapid!);
      if (result.outcome === "sent") sent += 1;
      else if (result.outcome === "gone") {
        await removePushSubscription(threadId, s.id, channelPolicies(settings));
        removed += 1;
        reachLogs.pushSubscriptionRemoved(threadId, s.id, result.status);
      } else reachLogs.pushRejected(threadId, s.id, result.status);
    } catch (err) {
      if (err instanceof PushRetryLater) retryLater = err;
      else reachLogs.pushFailed(threadId, s.id, err);
    }
  }
  // Some browser may still get it on a retry; one that already got it would get it twice, so
  // only retry when nothing got through.
  if (sent === 0 && retryLater) throw retryLater;
  return { sent, removed };
}

async function emailBatch(
  threadId: string,
  thread: NonNullable<Awaited<ReturnType<typeof readReachThread>>>,
  plan: Extract<ContinuityPlan, { action: "send" }>,
  cfg: ContinuityConfig,
  settings: BusinessSettings,
  key: string,
  now: Date,
): Promise<void> {
  const businessName = settings.name;
  const email = renderContinuityEmail({
    timeZone: settings.hours?.timeZone,
    businessName,
    visitorName: thread.visitor.displayName === "Website visitor" ? undefined : thread.visitor.displayName,
    replies: plan.replies,
    resumeUrl: resumeUrl(cfg.publicUrl, cfg.linkKey, threadId, now),
    unsubscribeUrl: unsubscribeUrl(cfg.publicUrl, cfg.linkKey, threadId, now),
    locale: thread.visitor.locale,
  });
  const domain = cfg.emailFrom.split("@")[1] ?? "afterchat.local";
  await sendEmail({
    smtpUrl: cfg.smtpUrl,
    from: { name: businessName, address: cfg.emailFrom },
    to: thread.visitor.email!,
    email,
    messageId: `<continuity.${hashId(key)}@${domain}>`,
  });
}

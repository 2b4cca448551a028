import { BM_API_URL, BM_CREDENTIALS_FILE } from "../../config";
import { checkSend, type Channel, type ChannelPolicy } from "../../domain/channels";
import { hashId } from "../../domain/ids";
import { logs } from "../../logs";
import {
  agentAvatarUrl,
  claimBmDelivery,
  markBmFailed,
  markBmSent,
  recordBmPartsSent,
  claimBmSpeaker,
  type RepresentativeEvent,
  type StoredOutbound,
} from "../../store/bm";
import { enqueueOnce } from "../../taskQueue";
import type { BmTask } from "../../contract/tasks";
import { bmApiClient, BmApiError, googleAuthHeaders, type BmApi } from "./api";
import { bmMessageUuid, bmParts, classifyFailure, partBody, representativeFor, type FailureClass } from "./outbound";

/** Everything we send to Business Messages goes through one task queue, one task per call (contract/tasks.ts). */
export type { BmTask };

export const BM_QUEUE_FUNCTION = "bmDeliver";
/** Retry policy of the queue: 1 s, 2 s, 4 s ... capped at 5 min, 8 attempts in all. */
export const BM_RETRY = { maxAttempts: 8, minBackoffSeconds: 1, maxBackoffSeconds: 300, maxDoublings: 8 } as const;

/** A task id derived from what the task does: enqueueing the same work twice queues it once. */
export function bmTaskId(task: BmTask): string {
  switch (task.kind) {
    case "message":
      return `bm-msg-${hashId(task.threadId, task.messageId)}`;
    case "event":
      return `bm-evt-${hashId(task.conversationId, task.eventId)}`;
    case "receipt":
      return `bm-rcpt-${hashId(task.conversationId, task.messageId)}`;
    case "survey":
      return `bm-srv-${hashId(task.conversationId, task.surveyId)}`;
  }
}

export async function enqueueBmTask(task: BmTask): Promise<void> {
  const id = bmTaskId(task);
  const outcome = await enqueueOnce(BM_QUEUE_FUNCTION, task, { id, dispatchDeadlineSeconds: 60 });
  logs.bmTaskEnqueued(task.kind, id, outcome === "already_enqueued");
}

/** Thrown to make Cloud Tasks retry the task with backoff. */
export class RetryLater extends Error {}

export interface TaskContext {
  now: Date;
  /** Retries already made (Cloud Tasks' X-CloudTasks-TaskRetryCount). */
  retryCount: number;
  policies?: Record<Channel, ChannelPolicy>;
  api?: BmApi;
}

function defaultApi(): BmApi {
  return bmApiClient({
    baseUrl: BM_API_URL.value(),
    authHeaders: googleAuthHeaders(BM_CREDENTIALS_FILE.value()),
  });
}

function failureOf(err: unknown, op: BmTask["kind"] = "message"): FailureClass & { status: number } {
  if (err instanceof BmApiError)
    return { ...classifyFailure(err.status, err.googleStatus, err.googleMessage, op), status: err.status };
  return { kind: "retry", reason: "Business Messages could not be reached.", status: 0 };
}

const isLastAttempt = (ctx: TaskContext) => ctx.retryCount + 1 >= BM_RETRY.maxAttempts;

/**
 * Delivers one stored message: claim (window re-checked, attempt counted), send every part not
 * yet accepted, then record the outcome. Transient failures throw so the queue retries; the last
 * attempt turns them into a readable permanent failure, so no message stays pending forever.
 */
async function deliverMessage(task: Extract<BmTask, { kind: "message" }>, ctx: TaskContext): Promise<void> {
  const { threadId, messageId } = task;
  const claim = await claimBmDelivery({
    threadId,
    messageId,
    now: ctx.now,
    plan: (s: StoredOutbound) => {
      const decision = checkSend({
        channel: "bm",
        lastVisitorMessageAt: s.thread.lastVisitorMessageAt,
        now: ctx.now,
        policies: ctx.policies,
      });
      if (!decision.allowed) return { send: false, reason: decision.reason };
      if (!s.thread.bm?.conversationId)
        return { send: false, reason: "This thread has no Business Messages conversation." };
      const parts = bmParts(s.message);
      if (parts.length === 0) return { send: false, reason: "The message is empty." };
      const speaker = representativeFor(s.message.from, s.message.authorName).representativeType;
      return {
        send: true,
        messageIds: parts.map((_, i) => bmMessageUuid(threadId, messageId, i)),
        speaker,
        transition: s.message.bm?.transition ?? transitionFor(s.thread.bm?.speaker, speaker),
      };
    },
  });
  if (claim.outcome === "skip") return logs.bmDeliverySkipped(threadId, messageId, claim.why);
  if (claim.outcome === "refused") return logs.bmDeliveryFailed(threadId, messageId, 0, "window");
  if (claim.outcome === "rate-limited") throw new RetryLater("60 messages per minute reached for this conversation");

  const { stored, messageIds } = claim;
  const api = ctx.api ?? defaultApi();
  const parts = bmParts(stored.message);
  // One read per delivered agent message: the avatar is the agent's current one (agents/{uid}.avatarUrl).
  const avatar =
    stored.message.from === "agent" && stored.message.agentUid
      ? await agentAvatarUrl(stored.message.agentUid)
      : undefined;
  const representative = representativeFor(stored.message.from, stored.message.authorName, avatar);
  const conversationId = stored.thread.bm!.conversationId;
  if (claim.transition && claim.partsSent === 0) {
    // Same id on every retry: a repeat is ALREADY_EXISTS, never a second event on the phone.
    const eventId = bmMessageUuid(threadId, `${claim.transition}:${messageId}`);
    const who = claim.transition === "REPRESENTATIVE_JOINED" ? representative : { representativeType: "BOT" as const };
    try {
      await api.createEvent(conversationId, eventId, claim.transition, who);
    } catch (err) {
      const f = failureOf(err, "event");
      if (f.kind === "retry") return settleFailure(threadId, messageId, f, ctx);
      if (f.kind === "permanent") logs.bmDeliveryFailed(threadId, claim.transition, f.status, f.reason);
    }
  }
  for (let i = claim.partsSent; i < parts.length; i++) {
    try {
      await api.createMessage(
        conversationId,
        partBody({
          uuid: messageIds[i]!,
          part: parts[i]!,
          // Chips belong under the last part (text, image or card): that is where the visitor answers.
          last: i === parts.length - 1,
          representative,
          suggestions: stored.message.suggestions,
        }),
      );
    } catch (err) {
      const f = failureOf(err);
      if (f.kind !== "already-done") return settleFailure(threadId, messageId, f, ctx);
    }
    if (parts.length > 1 && i < parts.length - 1) await recordBmPartsSent(threadId, messageId, i + 1);
  }
  await markBmSent(threadId, messageId, ctx.now);
  logs.bmDeliverySent(threadId, messageId, parts.length, ctx.retryCount + 1);
}

/**
 * A HUMAN message after BOT ones is introduced by REPRESENTATIVE_JOINED; a BOT one after a HUMAN
 * (a follow-up once the agent is done) by REPRESENTATIVE_LEFT. The first message of a thread needs neither.
 */
export function transitionFor(
  previous: "BOT" | "HUMAN" | undefined,
  next: "BOT" | "HUMAN",
): RepresentativeEvent | undefined {
  if (!previous || previous === next) return undefined;
  return next === "HUMAN" ? "REPRESENTATIVE_JOINED" : "REPRESENTATIVE_LEFT";
}

/** Who speaks once a JOINED / LEFT event is on the phone; none for the other events. */
function speakerAfter(eventType: string): "BOT" | "HUMAN" | undefined {
  if (eventType === "REPRESENTATIVE_JOINED") return "HUMAN";
  return eventType === "REPRESENTATIVE_LEFT" ? "BOT" : undefined;
}

async function settleFailure(
  threadId: string,
  messageId: string,
  f: FailureClass & { status: number },
  ctx: TaskContext,
): Promise<void> {
  if (f.kind === "retry" && !isLastAttempt(ctx)) {
    logs.bmDeliveryRetry(threadId, messageId, f.status, ctx.retryCount + 1);
    throw new RetryLater(f.reason);
  }
  const reason =
    f.kind === "retry"
      ? `${f.reason} Gave up after ${ctx.retryCount + 1} attempts.`
      : f.kind === "permanent"
        ? f.reason
        : "";
  logs.bmDeliveryFailed(threadId, messageId, f.status, reason);
  await markBmFailed(threadId, messageId, reason, {
    unreachable: f.kind === "permanent" && f.unreachable,
    at: ctx.now,
  });
}

/** Events, receipts and surveys are fire-and-forget signals: retried when transient, logged when refused. */
async function sendSignal(task: Exclude<BmTask, { kind: "message" }>, ctx: TaskContext): Promise<void> {
  const api = ctx.api ?? defaultApi();
  try {
    if (task.kind === "event") {
      const speaker = speakerAfter(task.eventType);
      if (speaker && !(await claimBmSpeaker(task.threadId, speaker, task.eventId)))
        return logs.bmDeliverySkipped(task.threadId, task.eventType, `the speaker is already ${speaker}`);
      await api.createEvent(task.conversationId, task.eventId, task.eventType, task.representative);
    } else if (task.kind === "receipt") await api.updateReceipt(task.conversationId, task.messageId);
    else await api.createSurvey(task.conversationId, task.surveyId);
  } catch (err) {
    const f = failureOf(err, task.kind);
    if (f.kind === "already-done") return;
    if (f.kind === "retry" && !isLastAttempt(ctx)) {
      logs.bmDeliveryRetry(task.threadId, task.kind, f.status, ctx.retryCount + 1);
      throw new RetryLater(f.reason);
    }
    logs.bmDeliveryFailed(
      task.threadId,
      task.kind,
      f.status,
      f.kind === "permanent" || f.kind === "retry" ? f.reason : "",
    );
  }
}

export async function runBmTask(task: BmTask, ctx: TaskContext): Promise<void> {
  if (task.kind === "message") return deliverMessage(task, ctx);
  return sendSignal(task, ctx);
}

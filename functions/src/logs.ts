import * as logger from "firebase-functions/logger";

/** Every log line in one place: structured, and never carrying message text, tokens or secrets. */
export const logs = {
  visitorMessageStored: (threadId: string, messageId: string, origin: string) =>
    logger.info("visitor message stored", { threadId, messageId, origin }),
  visitorMessageDuplicate: (threadId: string, messageId: string) =>
    logger.info("visitor message already stored; nothing changed", { threadId, messageId }),
  agentReplyStored: (threadId: string, messageId: string, channel: string) =>
    logger.info("agent reply stored", { threadId, messageId, channel }),
  agentReplyRefused: (threadId: string, code: string) => logger.warn("agent reply refused", { threadId, code }),
  noteAdded: (threadId: string, noteId: string, duplicate: boolean) =>
    logger.info("internal note stored", { threadId, noteId, duplicate }),
  settingsUpdated: (adminUid: string) => logger.info("business settings updated", { adminUid }),
  agentRoleChanged: (adminUid: string, uid: string, role: string) =>
    logger.info("agent role changed", { adminUid, uid, role }),
  /** An invite found an unverified account it cannot trust under the address and replaced it. */
  agentAccountReplaced: (adminUid: string, replacedUid: string, uid: string) =>
    logger.warn("unverified account replaced by an invite", { adminUid, replacedUid, uid }),
  requestRejected: (endpoint: string, status: number, reason: string) =>
    logger.warn("request rejected", { endpoint, status, reason }),
  bmWebhookHandled: (threadId: string, kind: string, outcome: string) =>
    logger.info("business messages webhook handled", { threadId, kind, outcome }),
  /** Kinds and reason only: never the body (it may hold what the visitor wrote). */
  bmWebhookUnhandled: (kinds: string[], reason: string, stored: boolean) =>
    logger.warn("business messages webhook body not handled; answered 200 and kept for inspection", {
      kinds,
      reason,
      stored,
    }),
  bmFieldsTruncated: (fields: string[]) =>
    logger.warn("business messages webhook fields over their limits were truncated", { fields }),
  bmHandshake: (ok: boolean) => logger.info("business messages webhook handshake", { ok }),
  bmDeliverySkipped: (threadId: string, messageId: string, why: string) =>
    logger.info("business messages delivery skipped", { threadId, messageId, why }),
  bmDeliverySent: (threadId: string, messageId: string, parts: number, attempt: number) =>
    logger.info("business messages delivery sent", { threadId, messageId, parts, attempt }),
  bmDeliveryRetry: (threadId: string, target: string, status: number, attempt: number) =>
    logger.warn("business messages call will be retried", { threadId, target, status, attempt }),
  bmDeliveryFailed: (threadId: string, target: string, status: number, reason: string) =>
    logger.warn("business messages delivery failed", { threadId, target, status, reason }),
  bmTaskEnqueued: (kind: string, taskId: string, alreadyQueued: boolean) =>
    logger.info("business messages task enqueued", { kind, taskId, alreadyQueued }),
  widgetRateLimited: (rule: string, scope: string) => logger.warn("widget request rate-limited", { rule, scope }),
  widgetOriginRefused: (origin: string) => logger.warn("widget request from an origin not allowed", { origin }),
  visitorEmailSaved: (threadId: string) => logger.info("visitor email saved with consent", { threadId }),
  unexpectedError: (endpoint: string, err: unknown) =>
    logger.error("unexpected error", { endpoint, error: err instanceof Error ? err.message : String(err) }),
};

/** Follow-ups and domain events (issue 6). */
export const followUpLogs = {
  planned: (threadId: string, taskId: string | null, dueAt: Date, kind: string) =>
    logger.info("follow-up planned", { threadId, taskId, dueAt: dueAt.toISOString(), kind }),
  stopped: (threadId: string, state: string, reason: string | undefined) =>
    logger.info("follow-up stopped", { threadId, state, reason }),
  taskDeleteFailed: (threadId: string, taskId: string, err: unknown) =>
    logger.warn("could not delete a follow-up task; it will do nothing when it fires", {
      threadId,
      taskId,
      error: errorText(err),
    }),
  sent: (threadId: string, taskId: string, messageId: string, channel: string) =>
    logger.info("follow-up sent", { threadId, taskId, messageId, channel }),
  notSent: (threadId: string, taskId: string, code: string) =>
    logger.info("follow-up task did nothing", { threadId, taskId, code }),
  recovered: (threadId: string, via: string, count: number) => logger.info("lead recovered", { threadId, via, count }),
  sweep: (reviewed: number, changed: number) => logger.info("follow-up sweep", { reviewed, changed }),
  agentScheduleRefused: (threadId: string, code: string) => logger.warn("follow-up refused", { threadId, code }),
  eventsPublished: (count: number, types: string[]) => logger.info("events published", { count, types }),
  webhookFailed: (eventId: string, status: number | string) =>
    logger.warn("event webhook delivery failed; Pub/Sub retries it", { eventId, status }),
};

/** Console triage (snoozes). */
export const triageLogs = {
  wake: (threadId: string, action: string) => logger.info("snooze wake-up", { threadId, action }),
  sweepWoke: (count: number) => logger.info("snooze sweep", { woken: count }),
};

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
/** Reaching the visitor after they leave (docs/reach.md): never an address, a token or a text. */
export const reachLogs = {
  continuityEnqueued: (threadId: string, messageId: string, delaySeconds: number) =>
    logger.info("continuity task enqueued", { threadId, messageId, delaySeconds }),
  continuitySkipped: (threadId: string, messageId: string, reason: string) =>
    logger.info("continuity skipped", { threadId, messageId, reason }),
  continuitySent: (threadId: string, channel: string, replies: number) =>
    logger.info("continuity notification sent", { threadId, channel, replies }),
  pushSubscriptionSaved: (threadId: string, subscriptionId: string, created: boolean) =>
    logger.info("push subscription saved", { threadId, subscriptionId, created }),
  pushSubscriptionRemoved: (threadId: string, subscriptionId: string, status: number) =>
    logger.info("dead push subscription removed", { threadId, subscriptionId, status }),
  pushEndpointRefused: (threadId: string, subscriptionId: string, reason: string) =>
    logger.warn("push subscription removed: not a known push service", { threadId, subscriptionId, reason }),
  pushRejected: (threadId: string, subscriptionId: string, status: number) =>
    logger.warn("push service rejected a notification", { threadId, subscriptionId, status }),
  pushFailed: (threadId: string, subscriptionId: string, err: unknown) =>
    logger.warn("push send failed", {
      threadId,
      subscriptionId,
      error: err instanceof Error ? err.message : String(err),
    }),
  threadResumed: (threadId: string, attached: boolean) => logger.info("thread resumed by link", { threadId, attached }),
  freshLinkRequested: (threadId: string, sent: boolean) => logger.info("fresh link requested", { threadId, sent }),
  linkRefused: (purpose: string, reason: string) => logger.warn("signed link refused", { purpose, reason }),
  emailUnsubscribed: (threadId: string, changed: boolean) =>
    logger.info("email continuity unsubscribed", { threadId, changed }),
};

/** Agent alerts (docs/console.md): ids and counts, never an address or a text. */
export const alertLogs = {
  scheduled: (threadId: string, uid: string, dueAt: Date) =>
    logger.info("agent alert scheduled", { threadId, uid, dueAt: dueAt.toISOString() }),
  skipped: (threadId: string, uid: string, reason: string) =>
    logger.info("agent alert skipped", { threadId, uid, reason }),
  sent: (threadId: string, uid: string, messages: number) =>
    logger.info("agent alert sent", { threadId, uid, messages }),
  preference: (uid: string, emailWhenAway: boolean) => logger.info("agent alerts preference", { uid, emailWhenAway }),
};

/** Cold start (config.ts startupProblems): the problems name params and secrets, never their values. */
export const startupLogs = {
  refused: (problems: string[]) =>
    logger.error(`Afterchat refuses to start: ${problems.join("; ")}`, {
      problems,
      fix: "README.md, Deploy to your own Firebase project",
    }),
};

/** Erase and export (docs/privacy.md): ids and counts only, never a text, a name or an address. */
export const lifecycleLogs = {
  erased: (threadId: string, by: string, documents: number, attempts: number) =>
    logger.info("thread erased", { threadId, by, documents, attempts }),
  eraseFoundNothing: (threadId: string, by: string, leftovers: number) =>
    logger.info("erase: no such thread; nothing to erase", { threadId, by, leftovers }),
  erasedByEmail: (adminUid: string, threads: number) =>
    logger.info("visitor data erased by email", { adminUid, threads }),
  eraseRequested: (threadId: string, by: string, actorUid: string) =>
    logger.info("erase requested", { threadId, by, actorUid }),
  exported: (threadId: string, adminUid: string, messages: number, notes: number) =>
    logger.info("thread exported", { threadId, adminUid, messages, notes }),
  taskCancelFailed: (threadId: string, queue: string, err: unknown) =>
    logger.warn("erase: could not delete a pending task; it finds no thread and does nothing", {
      threadId,
      queue,
      error: errorText(err),
    }),
  eventFailed: (threadId: string, err: unknown) =>
    logger.warn("erase: thread.erased not published", { threadId, error: errorText(err) }),
  retentionSwept: (retentionDays: number, erased: number, skipped: number, batches: number, done: boolean) =>
    logger.info("retention sweep", { retentionDays, erased, skipped, batches, done }),
  retentionEraseFailed: (threadId: string, err: unknown) =>
    logger.warn("retention: erase failed; the next sweep tries again", { threadId, error: errorText(err) }),
};

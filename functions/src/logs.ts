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
  requestRejected: (endpoint: string, status: number, reason: string) =>
    logger.warn("request rejected", { endpoint, status, reason }),
  bmWebhookHandled: (threadId: string, kind: string, outcome: string) =>
    logger.info("business messages webhook handled", { threadId, kind, outcome }),
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

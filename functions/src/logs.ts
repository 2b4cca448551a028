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
  unexpectedError: (endpoint: string, err: unknown) =>
    logger.error("unexpected error", { endpoint, error: err instanceof Error ? err.message : String(err) }),
};

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
  pushRejected: (threadId: string, subscriptionId: string, status: number) =>
    logger.warn("push service rejected a notification", { threadId, subscriptionId, status }),
  pushFailed: (threadId: string, subscriptionId: string, err: unknown) =>
    logger.warn("push send failed", { threadId, subscriptionId, error: err instanceof Error ? err.message : String(err) }),
  threadResumed: (threadId: string, attached: boolean) => logger.info("thread resumed by link", { threadId, attached }),
  linkRefused: (purpose: string, reason: string) => logger.warn("signed link refused", { purpose, reason }),
  emailUnsubscribed: (threadId: string, changed: boolean) => logger.info("email continuity unsubscribed", { threadId, changed }),
};

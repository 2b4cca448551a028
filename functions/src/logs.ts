import { logger } from "firebase-functions";

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
  widgetRateLimited: (rule: string, scope: string) => logger.warn("widget request rate-limited", { rule, scope }),
  widgetOriginRefused: (origin: string) => logger.warn("widget request from an origin not allowed", { origin }),
  visitorEmailSaved: (threadId: string) => logger.info("visitor email saved with consent", { threadId }),
  unexpectedError: (endpoint: string, err: unknown) =>
    logger.error("unexpected error", { endpoint, error: err instanceof Error ? err.message : String(err) }),
};

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
  noteAdded: (threadId: string, noteId: string, duplicate: boolean) => logger.info("internal note stored", { threadId, noteId, duplicate }),
  settingsUpdated: (adminUid: string) => logger.info("business settings updated", { adminUid }),
  agentRoleChanged: (adminUid: string, uid: string, role: string) => logger.info("agent role changed", { adminUid, uid, role }),
  requestRejected: (endpoint: string, status: number, reason: string) =>
    logger.warn("request rejected", { endpoint, status, reason }),
  unexpectedError: (endpoint: string, err: unknown) =>
    logger.error("unexpected error", { endpoint, error: err instanceof Error ? err.message : String(err) }),
};

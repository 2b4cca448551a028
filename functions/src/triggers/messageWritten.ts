import { messageEvents, type AfterchatEvent } from "../domain/events";
import type { MessageRecord } from "../domain/thread";
import { enqueueBmTask } from "../channels/businessMessages/tasks";
import { publishEvents } from "../events/publisher";
import { planContinuity } from "../reach/onReply";
import { settleAll } from "./settle";

export type StoredMessage = Omit<MessageRecord, "id">;

export interface MessageWrite {
  threadId: string;
  messageId: string;
  before?: StoredMessage;
  after?: StoredMessage;
  /** When the write happened: event ids derive from it, so a redelivered trigger repeats them. */
  at: Date;
}

/**
 * Everything that follows a message write, in one trigger (one invocation per write instead of
 * three): its events are published; a new pending Business Messages message is queued for
 * delivery; a new agent or bot reply gets its continuity check planned.
 */
export async function onMessageWrite(write: MessageWrite): Promise<void> {
  const { threadId, messageId, before, after } = write;
  const created = !before && after;
  const events: AfterchatEvent[] = messageEvents(threadId, messageId, before, after, write.at);
  await settleAll([
    publishEvents(events),
    created && isPendingBm(after) ? enqueueBmTask({ kind: "message", threadId, messageId }) : undefined,
    created && (after.from === "agent" || after.from === "bot")
      ? planContinuity(threadId, messageId, after.createdAt ?? write.at)
      : undefined,
  ]);
}

/** An agent reply, a follow-up or a bot answer waiting for the Business Messages outbox. */
function isPendingBm(m: StoredMessage): boolean {
  return m.delivery?.channel === "bm" && m.delivery.state === "pending";
}

import { onDocumentWritten } from "firebase-functions/firestore";
import { REGION } from "../config";
import { messageEvents as eventsOf } from "../domain/events";
import type { MessageRecord } from "../domain/thread";
import { publishEvents } from "../events/publisher";
import { fromFirestore } from "../store/db";

type Stored = Omit<MessageRecord, "id">;

/** Publishes message.received, message.sent and delivery.failed from message writes. */
export const messageEvents = onDocumentWritten({ region: REGION, document: "threads/{threadId}/messages/{messageId}" }, async (event) => {
  const read = (snap: { exists: boolean; data(): unknown } | undefined) => (snap?.exists ? fromFirestore<Stored>(snap.data()) : undefined);
  const { threadId, messageId } = event.params;
  await publishEvents(eventsOf(threadId, messageId, read(event.data?.before), read(event.data?.after), new Date(event.time)));
});

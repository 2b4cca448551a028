import { onDocumentWritten } from "firebase-functions/firestore";
import { REGION } from "../config";
import { threadEvents as eventsOf } from "../domain/events";
import type { FollowUpThread } from "../domain/followUps";
import { publishEvents } from "../events/publisher";
import { fromFirestore } from "../store/db";

/** Publishes followup.*, thread.resolved and lead.recovered from thread writes. */
export const threadEvents = onDocumentWritten({ region: REGION, document: "threads/{threadId}" }, async (event) => {
  const threadId = event.params.threadId;
  const read = (snap: { exists: boolean; data(): unknown } | undefined) =>
    snap?.exists ? fromFirestore<FollowUpThread>({ ...(snap.data() as object), id: threadId }) : undefined;
  // The write time, so a redelivered trigger publishes the same events with the same ids.
  await publishEvents(eventsOf(threadId, read(event.data?.before), read(event.data?.after), new Date(event.time)));
});

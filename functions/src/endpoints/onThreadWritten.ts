import { onDocumentWritten } from "firebase-functions/firestore";
import { REGION } from "../config";
import type { FollowUpThread } from "../domain/followUps";
import { db, fromFirestore } from "../store/db";
import { onThreadWrite } from "../triggers/threadWritten";

type Snapshot = { exists: boolean; data(): unknown } | undefined;

/** Every thread write: events, follow-up planning, Business Messages agent actions (domain/reactions.ts). */
export const onThreadWritten = onDocumentWritten({ region: REGION, document: "threads/{threadId}" }, async (event) => {
  db(); // the snapshots need the admin app
  const threadId = event.params.threadId;
  const read = (snap: Snapshot) =>
    snap?.exists ? fromFirestore<FollowUpThread>({ ...(snap.data() as object), id: threadId }) : undefined;
  await onThreadWrite({
    threadId,
    before: read(event.data?.before),
    after: read(event.data?.after),
    eventId: event.id,
    at: new Date(event.time),
  });
});

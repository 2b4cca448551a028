import { onDocumentWritten } from "firebase-functions/firestore";
import { REGION } from "../config";
import type { StoredMessage } from "../domain/reactions";
import { db, fromFirestore } from "../store/db";
import { onMessageWrite } from "../triggers/messageWritten";

type Snapshot = { exists: boolean; data(): unknown } | undefined;

/** Every message write: events, Business Messages outbox, continuity (domain/reactions.ts). */
export const onMessageWritten = onDocumentWritten(
  { region: REGION, document: "threads/{threadId}/messages/{messageId}" },
  async (event) => {
    db(); // the snapshots need the admin app
    const read = (snap: Snapshot) => (snap?.exists ? fromFirestore<StoredMessage>(snap.data()) : undefined);
    await onMessageWrite({
      ...event.params,
      before: read(event.data?.before),
      after: read(event.data?.after),
      at: new Date(event.time),
    });
  },
);

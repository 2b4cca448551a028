import { onDocumentWritten } from "firebase-functions/firestore";
import { REGION } from "../config";
import { db, fromFirestore } from "../store/db";
import { onTypingWrite, type TypingWrite } from "../triggers/typingWritten";

type Snapshot = { exists: boolean; data(): unknown } | undefined;
type Signal = TypingWrite["after"];

/** The agent typing signal: Business Messages typing events (triggers/typingWritten.ts). */
export const onTypingWritten = onDocumentWritten(
  { region: REGION, document: "threads/{threadId}/typing/agent" },
  async (event) => {
    db(); // the snapshots need the admin app
    const read = (snap: Snapshot) => (snap?.exists ? fromFirestore<Signal>(snap.data()) : undefined);
    await onTypingWrite({
      threadId: event.params.threadId,
      before: read(event.data?.before),
      after: read(event.data?.after),
      eventId: event.id,
      at: new Date(event.time),
    });
  },
);

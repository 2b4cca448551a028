import { onDocumentWritten } from "firebase-functions/firestore";
import { REGION } from "../config";
import type { TypingSignal } from "../domain/reactions";
import { db, fromFirestore } from "../store/db";
import { onTypingWrite } from "../triggers/typingWritten";

type Snapshot = { exists: boolean; data(): unknown } | undefined;

/** The agent typing signal: Business Messages typing events (domain/reactions.ts). */
export const onTypingWritten = onDocumentWritten(
  { region: REGION, document: "threads/{threadId}/typing/agent" },
  async (event) => {
    db(); // the snapshots need the admin app
    const read = (snap: Snapshot) => (snap?.exists ? fromFirestore<TypingSignal>(snap.data()) : undefined);
    await onTypingWrite({
      threadId: event.params.threadId,
      before: read(event.data?.before),
      after: read(event.data?.after),
      eventId: event.id,
      at: new Date(event.time),
    });
  },
);

import { onDocumentCreated } from "firebase-functions/firestore";
import { REGION } from "../config";
import { enqueueBmTask } from "../channels/businessMessages/tasks";

/**
 * Any message created with `delivery: {channel: "bm", state: "pending"}` — an agent reply, a
 * follow-up, a bot answer — is queued for delivery. The task id derives from the message, so a
 * trigger delivered twice queues it once.
 */
export const bmOutbox = onDocumentCreated({ document: "threads/{threadId}/messages/{messageId}", region: REGION }, async (event) => {
  const delivery = event.data?.get("delivery") as { channel?: string; state?: string } | undefined;
  if (delivery?.channel !== "bm" || delivery.state !== "pending") return;
  await enqueueBmTask({ kind: "message", threadId: event.params.threadId, messageId: event.params.messageId });
});

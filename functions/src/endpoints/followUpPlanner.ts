import { onDocumentWritten } from "firebase-functions/firestore";
import { REGION } from "../config";
import { followUpNeedsReview, type FollowUpThread } from "../domain/followUps";
import { nowFor } from "../followUps/clock";
import { reviewThread } from "../followUps/review";
import { fromFirestore } from "../store/db";

/**
 * Re-plans a thread's follow-up when the visitor writes (and on resolve / reopen), and counts a
 * recovered lead. A trigger, so the webhook and widget paths stay at one transaction.
 */
export const followUpPlanner = onDocumentWritten({ region: REGION, document: "threads/{threadId}" }, async (event) => {
  const after = event.data?.after;
  if (!after?.exists) return;
  const threadId = event.params.threadId;
  const before = event.data?.before.exists ? fromFirestore<FollowUpThread>({ ...event.data.before.data(), id: threadId }) : undefined;
  if (!followUpNeedsReview(before, fromFirestore<FollowUpThread>({ ...after.data(), id: threadId }))) return;
  await reviewThread(threadId, await nowFor(threadId));
});

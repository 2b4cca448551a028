import { onDocumentWritten } from "firebase-functions/firestore";
import { REGION } from "../config";
import { threadEvents } from "../domain/events";
import { followUpNeedsReview, type FollowUpThread } from "../domain/followUps";
import { publishEvents } from "../events/publisher";
import { nowFor } from "../followUps/clock";
import { reviewThread } from "../followUps/review";
import { fromFirestore } from "../store/db";

type Snapshot = { exists: boolean; data(): unknown } | undefined;

/**
 * On every thread write: (a) re-plans the follow-up when the visitor wrote (and on resolve / reopen),
 * counting a recovered lead; (b) publishes followup.*, thread.resolved and lead.recovered. One
 * trigger for both (half the invocations of two), and a trigger at all so the webhook and widget
 * paths stay at one transaction.
 */
export const followUpPlanner = onDocumentWritten({ region: REGION, document: "threads/{threadId}" }, async (event) => {
  const threadId = event.params.threadId;
  const read = (snap: Snapshot) => (snap?.exists ? fromFirestore<FollowUpThread>({ ...(snap.data() as object), id: threadId }) : undefined);
  const before = read(event.data?.before);
  const after = read(event.data?.after);
  if (!after) return;
  // The write time, so a redelivered trigger publishes the same events with the same ids.
  const publishing = publishEvents(threadEvents(threadId, before, after, new Date(event.time)));
  const reviewing = followUpNeedsReview(before, after) ? nowFor(threadId).then((now) => reviewThread(threadId, now)) : Promise.resolve();
  const results = await Promise.allSettled([publishing, reviewing]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
});

import type { DocumentReference, Transaction } from "firebase-admin/firestore";
import type { FollowUp, FollowUpThread, Recovery } from "../domain/followUps";
import { db, firestoreSdk, fromFirestore, toFirestore } from "./db";
import { ops } from "./ops";

/** The counter the console reads for "leads recovered" (agents may read it; see firestore.rules). */
export const LEAD_STATS_PATH = "stats/leads";

const threadRef = (threadId: string): DocumentReference => db().doc(`threads/${threadId}`);

async function readThread(tx: Transaction, threadId: string): Promise<FollowUpThread | undefined> {
  const snap = await tx.get(threadRef(threadId));
  ops.read();
  return snap.exists ? fromFirestore<FollowUpThread>({ ...snap.data(), id: threadId }) : undefined;
}

/** What one review of a thread writes: its follow-up slot, and a recovered lead when the visitor came back. */
export interface FollowUpChange<T> {
  followUp?: FollowUp;
  recovery?: Recovery;
  /** Passed back to the caller (task ids to enqueue or delete, the reason nothing changed...). */
  result: T;
}

/**
 * One transaction: read the thread, let `decide` look at it, write only what changed
 * (1 read; 0 writes when nothing changed, 1 for the follow-up, +1 for a recovered lead's counter).
 */
export async function changeFollowUp<T>(threadId: string, decide: (thread: FollowUpThread | undefined) => FollowUpChange<T>): Promise<T> {
  let written = 0;
  const result = await db().runTransaction(async (tx) => {
    written = 0;
    const change = decide(await readThread(tx, threadId));
    const update: Record<string, unknown> = {};
    if (change.followUp) update.followUp = toFirestore(change.followUp);
    if (change.recovery) update.recovered = toFirestore(change.recovery);
    if (Object.keys(update).length) {
      tx.update(threadRef(threadId), update);
      written++;
    }
    if (change.recovery) {
      const newLead = change.recovery.count === 1;
      tx.set(
        db().doc(LEAD_STATS_PATH),
        { recoveredLeads: firestoreSdk().FieldValue.increment(newLead ? 1 : 0), recoveries: firestoreSdk().FieldValue.increment(1), lastRecoveredAt: change.recovery.lastAt },
        { merge: true },
      );
      written++;
    }
    return change.result;
  });
  ops.write(written);
  return result;
}

/**
 * Threads whose windows may still be open (the visitor wrote within `sinceMs`): what the sweep
 * reviews. A single-field range query, so no composite index.
 */
export async function threadsWithOpenWindows(since: Date): Promise<FollowUpThread[]> {
  const snap = await db().collection("threads").where("lastVisitorMessageAt", ">=", since).get();
  ops.read(Math.max(1, snap.size));
  return snap.docs.map((d) => fromFirestore<FollowUpThread>({ ...d.data(), id: d.id }));
}

export async function getFollowUpThread(threadId: string): Promise<FollowUpThread | undefined> {
  const snap = await threadRef(threadId).get();
  ops.read();
  return snap.exists ? fromFirestore<FollowUpThread>({ ...snap.data(), id: threadId }) : undefined;
}

/** Threads with a planned follow-up (dev-only "run due follow-ups now"). */
export async function threadsWithPlannedFollowUps(): Promise<FollowUpThread[]> {
  const snap = await db().collection("threads").where("followUp.state", "==", "planned").get();
  ops.read(Math.max(1, snap.size));
  return snap.docs.map((d) => fromFirestore<FollowUpThread>({ ...d.data(), id: d.id }));
}

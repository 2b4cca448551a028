import type { DocumentReference } from "firebase-admin/firestore";
import {
  followUpPlanId,
  type FollowUp,
  type FollowUpDetails,
  type FollowUpThread,
  type Recovery,
} from "../domain/followUps";
import { db, firestoreSdk, fromFirestore, toFirestore } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";

const threadRef = (threadId: string): DocumentReference => db().doc(paths.thread(threadId));

/**
 * A plan's agent-authored details (text, author, who cancelled): agents read it, visitors never do
 * (firestore.rules), because a visitor reads its own thread document and rules cannot hide fields.
 */
const detailsRef = (threadId: string, f: Pick<FollowUp, "kind" | "plannedAt">): DocumentReference =>
  db().doc(paths.followUpDetails(threadId, followUpPlanId(f)));

/** What one review of a thread writes: its follow-up slot, and a recovered lead when the visitor came back. */
export interface FollowUpChange<T> {
  followUp?: FollowUp;
  /** The agent-only part of `followUp` (merged into its plan's document); needs `followUp`. */
  details?: FollowUpDetails;
  recovery?: Recovery;
  /** Passed back to the caller (task ids to enqueue or delete, the reason nothing changed...). */
  result: T;
}

const FAILED_PRECONDITION = 9;
const ATTEMPTS = 5;

/** The thread changed between our read and our write (and will be reviewed again for that change). */
export class ThreadChanged extends Error {
  constructor(readonly threadId: string) {
    super(`Thread ${threadId} kept changing; follow-up not updated.`);
  }
}

/**
 * Read the thread, let `decide` look at it, write only what changed — optimistically: the write
 * carries the read's update time as a precondition, so no lock is held on the thread while the
 * webhook and widget transactions write it (the emulator's lock timeouts showed why). A thread
 * changed in between is read again. 1 read; 0 writes when nothing changed, 1 for the follow-up,
 * +1 for its agent-only details, +1 for a recovered lead's counter (same atomic batch).
 */
export async function changeFollowUp<T>(
  threadId: string,
  decide: (thread: FollowUpThread | undefined) => FollowUpChange<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const snap = await threadRef(threadId).get();
    ops.read();
    const change = decide(snap.exists ? fromFirestore<FollowUpThread>({ ...snap.data(), id: threadId }) : undefined);
    const update: Record<string, unknown> = {};
    if (change.followUp) update.followUp = toFirestore(change.followUp);
    if (change.recovery) update.recovered = toFirestore(change.recovery);
    if (!snap.exists || Object.keys(update).length === 0) return change.result;
    const batch = db().batch();
    batch.update(threadRef(threadId), update, { lastUpdateTime: snap.updateTime! });
    const details = change.followUp && change.details;
    if (details) batch.set(detailsRef(threadId, change.followUp!), toFirestore(details), { merge: true });
    if (change.recovery) {
      const { FieldValue } = firestoreSdk();
      const newLead = change.recovery.count === 1;
      batch.set(
        db().doc(paths.leadStats),
        {
          recoveredLeads: FieldValue.increment(newLead ? 1 : 0),
          recoveries: FieldValue.increment(1),
          lastRecoveredAt: change.recovery.lastAt,
        },
        { merge: true },
      );
    }
    try {
      await batch.commit();
      ops.write(1 + (details ? 1 : 0) + (change.recovery ? 1 : 0));
      return change.result;
    } catch (err) {
      if ((err as { code?: unknown })?.code !== FAILED_PRECONDITION) throw err;
      if (attempt >= ATTEMPTS) throw new ThreadChanged(threadId);
    }
  }
}

/**
 * Threads whose windows may still be open (the visitor wrote within `sinceMs`): what the sweep
 * reviews. A single-field range query, so no composite index.
 */
export async function threadsWithOpenWindows(since: Date): Promise<FollowUpThread[]> {
  const snap = await db().collection(paths.threads).where("lastVisitorMessageAt", ">=", since).get();
  ops.read(Math.max(1, snap.size));
  return snap.docs.map((d) => fromFirestore<FollowUpThread>({ ...d.data(), id: d.id }));
}

/** The agent-authored details of a plan (agent follow-ups: written with the plan), if any. */
export async function getFollowUpDetails(
  threadId: string,
  f: Pick<FollowUp, "kind" | "plannedAt">,
): Promise<FollowUpDetails | undefined> {
  const snap = await detailsRef(threadId, f).get();
  ops.read();
  return snap.exists ? fromFirestore<FollowUpDetails>(snap.data()) : undefined;
}

export async function getFollowUpThread(threadId: string): Promise<FollowUpThread | undefined> {
  const snap = await threadRef(threadId).get();
  ops.read();
  return snap.exists ? fromFirestore<FollowUpThread>({ ...snap.data(), id: threadId }) : undefined;
}

/** Threads with a planned follow-up (dev-only "run due follow-ups now"). */
export async function threadsWithPlannedFollowUps(): Promise<FollowUpThread[]> {
  const snap = await db().collection(paths.threads).where("followUp.state", "==", "planned").get();
  ops.read(Math.max(1, snap.size));
  return snap.docs.map((d) => fromFirestore<FollowUpThread>({ ...d.data(), id: d.id }));
}

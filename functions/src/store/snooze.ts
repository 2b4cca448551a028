import { decideWake, type SnoozedThread, type WakeDecision, type WakeTask } from "../domain/snooze";
import { db, fromFirestore } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";

/** One transaction: 1 read; 1 write when the thread wakes (status open, snooze cleared). */
export async function wakeSnoozedThread(task: WakeTask, now: Date): Promise<WakeDecision> {
  const ref = db().doc(paths.thread(task.threadId));
  return db().runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    ops.read();
    const thread = snap.exists ? fromFirestore<SnoozedThread>(snap.data()) : undefined;
    const decision = decideWake(thread, task, now);
    if (decision.action === "wake") {
      tx.update(ref, { status: "open", snoozedUntil: null });
      ops.write();
    }
    return decision;
  });
}

/** Snoozed threads, for the hourly sweep (an equality query: no composite index; snoozed threads are few). */
export async function snoozedThreads(): Promise<Array<SnoozedThread & { id: string }>> {
  const snap = await db().collection(paths.threads).where("status", "==", "snoozed").get();
  ops.read(Math.max(1, snap.size));
  return snap.docs.map((d) => ({ ...fromFirestore<SnoozedThread>(d.data()), id: d.id }));
}

import type { ThreadState } from "../domain/thread";
import { db, firestoreSdk, fromFirestore, toFirestore } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";
import { NotFound } from "../domain/errors";
import { mayUseThread, type WithDevices } from "../domain/visitorAccess";

/** Widget-side changes to a visitor's own thread (contact details, read cursor). */
export class NotVisitorsThread extends NotFound {
  constructor(readonly threadId: string) {
    super(`Thread ${threadId} does not exist or is not this visitor's.`);
  }
}

/**
 * Reads the thread, checks the visitor may change it, applies `change` and writes it back,
 * in one transaction (1 read, 1 write). Returns undefined when `change` finds nothing to do.
 */
export async function updateVisitorThread(
  threadId: string,
  visitorUid: string,
  change: (thread: ThreadState) => Record<string, unknown> | undefined,
  now: Date,
): Promise<Record<string, unknown> | undefined> {
  return db().runTransaction(async (tx) => {
    const ref = db().doc(paths.thread(threadId));
    const snap = await tx.get(ref);
    ops.read();
    const thread = snap.exists ? fromFirestore<ThreadState>({ ...snap.data(), id: threadId }) : undefined;
    // A device that came in through a link may act only while the reach window is open.
    if (!thread || !mayUseThread(thread as WithDevices, visitorUid, now)) throw new NotVisitorsThread(threadId);
    const fields = change(thread);
    if (!fields) return undefined;
    tx.update(ref, { ...toFirestore(fields), updatedAt: firestoreSdk().FieldValue.serverTimestamp() });
    ops.write();
    return fields;
  });
}

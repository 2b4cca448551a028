import type { FollowUpThread } from "../domain/followUps";
import type { StoredMessage } from "../domain/reactions";
import { paths } from "../contract/paths";
import { db, fromFirestore } from "./db";
import { ops } from "./ops";

export interface ThreadWithMessages {
  thread: FollowUpThread;
  messages: Array<{ id: string; message: StoredMessage }>;
}

/** Every thread with its messages, a page at a time (by document id, so a long run never holds a cursor open). */
export async function* threadPages(pageSize: number): AsyncGenerator<ThreadWithMessages[]> {
  let after: string | undefined;
  for (;;) {
    let q = db().collection(paths.threads).orderBy("__name__").limit(pageSize);
    if (after) q = q.startAfter(after);
    const snap = await q.get();
    ops.read(Math.max(1, snap.size));
    if (snap.empty) return;
    const page: ThreadWithMessages[] = [];
    for (const doc of snap.docs) {
      const messages = await db().collection(paths.messages(doc.id)).get();
      ops.read(Math.max(1, messages.size));
      page.push({
        thread: fromFirestore<FollowUpThread>({ ...doc.data(), id: doc.id }),
        messages: messages.docs.map((m) => ({ id: m.id, message: fromFirestore<StoredMessage>(m.data()) })),
      });
    }
    yield page;
    after = snap.docs[snap.docs.length - 1]!.id;
    if (snap.size < pageSize) return;
  }
}

/** Sets a legacy thread's first response, unless a reply set it meanwhile (a transaction: 1 read, ≤ 1 write). */
export async function markFirstResponse(threadId: string, at: Date): Promise<void> {
  await db().runTransaction(async (tx) => {
    const ref = db().doc(paths.thread(threadId));
    const snap = await tx.get(ref);
    ops.read();
    if (!snap.exists || snap.get("firstResponseAt")) return;
    tx.update(ref, { firstResponseAt: at });
    ops.write();
  });
}

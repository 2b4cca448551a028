import type { FollowUpThread } from "../domain/followUps";
import type { StoredMessage } from "../domain/reactions";
import { paths } from "../contract/paths";
import { db, fromFirestore } from "./db";
import { ops } from "./ops";

export interface ThreadWithMessages {
  thread: FollowUpThread;
  messages: Array<{ id: string; message: StoredMessage }>;
}

/**
 * Threads with their messages, a page at a time in document-id order from `after` (exclusive), at
 * most `limit` threads in all: a bounded batch that resumes from the last id it yields (a run never
 * holds a cursor open, and an interrupted one starts again where it stopped).
 */
export async function* threadPages(
  pageSize: number,
  { after, limit = Infinity }: { after?: string; limit?: number } = {},
): AsyncGenerator<ThreadWithMessages[]> {
  let cursor = after;
  let left = limit;
  while (left > 0) {
    const size = Math.min(pageSize, left);
    let q = db().collection(paths.threads).orderBy("__name__").limit(size);
    if (cursor) q = q.startAfter(cursor);
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
    cursor = snap.docs[snap.docs.length - 1]!.id;
    left -= snap.size;
    if (snap.size < size) return;
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

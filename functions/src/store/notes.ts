import { db } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";
import { ThreadNotFound } from "./threads";

const ALREADY_EXISTS = 6;

export interface NoteRecord {
  id: string;
  text: string;
  authorUid: string;
  authorName: string;
  createdAt: Date;
}

/**
 * An internal note: stored under threads/{id}/notes, a collection visitors can never read.
 * The id is deterministic per author and client id, so a retried call stores it once.
 */
export async function addNote(threadId: string, note: NoteRecord): Promise<{ duplicate: boolean }> {
  try {
    await db().runTransaction(async (tx) => {
      const thread = await tx.get(db().doc(paths.thread(threadId)));
      ops.read();
      if (!thread.exists) throw new ThreadNotFound(threadId);
      const { id, ...doc } = note;
      tx.create(db().doc(paths.note(threadId, id)), doc);
    });
    ops.write();
    return { duplicate: false };
  } catch (err) {
    if ((err as { code?: unknown }).code === ALREADY_EXISTS) return { duplicate: true };
    throw err;
  }
}

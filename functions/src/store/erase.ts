import type { BulkWriter, CollectionReference, DocumentReference, Timestamp } from "firebase-admin/firestore";
import { paths } from "../contract/paths";
import type { Eraser } from "../domain/events";
import type { WithDevices } from "../domain/visitorAccess";
import { db, firestoreSdk, fromFirestore } from "./db";
import { ops } from "./ops";

/**
 * Erasing a thread (docs/privacy.md). Nothing here names a subcollection: the thread's
 * subcollections are listed, so one added later is erased too without anyone remembering it here.
 */

/** What an erase needs to know of the thread before deleting it (tasks to cancel, the event). */
export interface ErasableThread {
  id: string;
  origin?: string;
  visitorUids: string[];
  /** Which of the visitorUids came in through a link, and the reach windows that bound their access. */
  linkDevices?: WithDevices["linkDevices"];
  windows: WithDevices["windows"];
  followUpTaskId?: string | null;
  snoozedUntil?: Date | null;
  /** Absent on a thread that never had it: the retention sweep then leaves it alone. */
  lastActivityAt?: Date;
  /** The read's update time: the final delete fails if the thread changed since. */
  readAt: Timestamp;
}

const threadRef = (threadId: string): DocumentReference => db().doc(paths.thread(threadId));

export async function readErasableThread(threadId: string): Promise<ErasableThread | undefined> {
  const snap = await threadRef(threadId).get();
  ops.read();
  if (!snap.exists) return undefined;
  const data = fromFirestore<Record<string, unknown>>(snap.data());
  const followUp = data.followUp as { taskId?: string | null } | undefined;
  return {
    id: threadId,
    origin: data.origin as string | undefined,
    visitorUids: (data.visitorUids as string[] | undefined) ?? [],
    linkDevices: data.linkDevices as WithDevices["linkDevices"],
    windows: (data.windows as WithDevices["windows"] | undefined) ?? {},
    followUpTaskId: followUp?.taskId ?? null,
    snoozedUntil: (data.snoozedUntil as Date | null | undefined) ?? null,
    lastActivityAt: data.lastActivityAt instanceof Date ? data.lastActivityAt : undefined,
    readAt: snap.updateTime!,
  };
}

/** A BulkWriter that counts what it deleted (each delete is one billed write). */
function countingWriter(): { writer: BulkWriter; deleted: () => number } {
  let deleted = 0;
  const writer = db().bulkWriter();
  writer.onWriteResult(() => {
    deleted += 1;
  });
  return { writer, deleted: () => deleted };
}

/**
 * Deletes every document under the thread, in every subcollection at any depth, but not the
 * thread itself: a half-done erase leaves the thread, so a retry still finds it. Returns how many
 * documents were deleted (0 when there was nothing).
 */
export async function deleteThreadDescendants(threadId: string): Promise<number> {
  const collections: CollectionReference[] = await threadRef(threadId).listCollections();
  ops.read(); // listCollectionIds is billed as one read
  if (collections.length === 0) return 0;
  const { writer, deleted } = countingWriter();
  for (const collection of collections) await db().recursiveDelete(collection, writer);
  await writer.close();
  // recursiveDelete finds descendants with a names-only query: at least one read each.
  ops.read(Math.max(1, deleted()));
  ops.write(deleted());
  return deleted();
}

/**
 * Deletes the thread document last and counts the erase in stats/erasures, in one batch: the
 * count moves exactly when the thread goes. The delete is conditional on the thread not having
 * changed since `readAt` (a visitor writing meanwhile): then it throws and the caller starts over.
 */
export async function deleteThreadDocument(thread: ErasableThread, by: Eraser, at: Date): Promise<void> {
  const { FieldValue } = firestoreSdk();
  const batch = db().batch();
  batch.delete(threadRef(thread.id), { lastUpdateTime: thread.readAt });
  batch.set(
    db().doc(paths.erasureStats),
    { threads: FieldValue.increment(1), [by]: FieldValue.increment(1), lastErasedAt: at },
    { merge: true },
  );
  await batch.commit();
  ops.write(2);
}

/** Threads carrying a visitor email, as typed and lower-cased (an equality query: no composite index). */
export async function threadIdsWithEmail(email: string): Promise<string[]> {
  const variants = [...new Set([email, email.toLowerCase()])];
  const snaps = await Promise.all(
    variants.map((e) => db().collection(paths.threads).where("visitor.email", "==", e).select().limit(500).get()),
  );
  const ids = new Set(snaps.flatMap((s) => s.docs.map((d) => d.id)));
  ops.read(snaps.reduce((n, s) => n + Math.max(1, s.size), 0));
  return [...ids];
}

/** Timestamps → ISO strings, recursively: what a stored document looks like in an export. */
function exportable(value: unknown): unknown {
  const v = fromFirestore<unknown>(value);
  return JSON.parse(JSON.stringify(v)) as unknown;
}

/** Every document of a collection, oldest first (sorted here: an orderBy would drop documents without the field). */
async function allDocs(collection: string): Promise<Record<string, unknown>[]> {
  const snap = await db().collection(collection).get();
  ops.read(Math.max(1, snap.size));
  const docs = snap.docs.map((d) => ({ id: d.id, ...(exportable(d.data()) as Record<string, unknown>) }));
  const at = (d: Record<string, unknown>) => String(d.createdAt ?? "");
  return docs.sort((a, b) => at(a).localeCompare(at(b)));
}

/** One thread as JSON: the thread, all messages (in order), notes and follow-up details. */
export async function exportThreadData(threadId: string): Promise<
  | {
      thread: Record<string, unknown>;
      messages: Record<string, unknown>[];
      notes: Record<string, unknown>[];
      followUps: Record<string, unknown>[];
    }
  | undefined
> {
  const snap = await threadRef(threadId).get();
  ops.read();
  if (!snap.exists) return undefined;
  const [messages, notes, followUps] = await Promise.all([
    allDocs(paths.messages(threadId)),
    allDocs(paths.notes(threadId)),
    allDocs(paths.followUpPlans(threadId)),
  ]);
  return { thread: { id: threadId, ...(exportable(snap.data()) as object) }, messages, notes, followUps };
}

import { FOLLOW_UP_QUEUE, WAKE_QUEUE } from "../config";
import { threadErasedEvent, type Eraser } from "../domain/events";
import { publishEvents } from "../events/publisher";
import { lifecycleLogs } from "../logs";
import { wakeTaskId } from "../snooze/wake";
import {
  deleteThreadDescendants,
  deleteThreadDocument,
  readErasableThread,
  threadIdsWithEmail,
  type ErasableThread,
} from "../store/erase";
import { deleteTask } from "../taskQueue";

export interface EraseResult {
  threadId: string;
  status: "erased" | "not_found";
  /** Documents deleted, the thread's included. */
  deleted: number;
}

/** A visitor writing during the erase makes the final delete fail; each attempt starts over. */
const MAX_ATTEMPTS = 5;

/** Firestore's FAILED_PRECONDITION: the thread changed after it was read. */
const changedMeanwhile = (err: unknown) => (err as { code?: number })?.code === 9;

/**
 * Erases a thread and everything under it (docs/privacy.md): pending tasks are cancelled, every
 * subcollection is deleted (listed, not named), then the thread itself with the count in
 * stats/erasures, then a `thread.erased` event without personal data. Safe to repeat: a thread
 * that is gone answers `not_found` and changes nothing. `check` refuses (throws) before anything
 * is deleted, e.g. when a visitor is not attached to the thread.
 */
export async function eraseThread(
  threadId: string,
  w: { by: Eraser; now: Date; check?: (thread: ErasableThread) => void },
): Promise<EraseResult> {
  for (let attempt = 1; ; attempt++) {
    const thread = await readErasableThread(threadId);
    if (!thread) return nothingToErase(threadId, w.by);
    w.check?.(thread);
    await cancelPendingTasks(thread);
    const descendants = await deleteThreadDescendants(threadId);
    try {
      await deleteThreadDocument(thread, w.by, w.now);
    } catch (err) {
      if (changedMeanwhile(err) && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
    // A writer that read the thread just before it went (a task, a trigger) may have added a
    // document under it since: one more listing finds it.
    const late = await deleteThreadDescendants(threadId);
    const deleted = descendants + 1 + late;
    lifecycleLogs.erased(threadId, w.by, deleted, attempt);
    await publishErased(threadId, { by: w.by, origin: thread.origin, documents: deleted, at: w.now });
    return { threadId, status: "erased", deleted };
  }
}

/**
 * No thread document: nothing to erase. Documents left under a missing thread (written by a late
 * writer after an earlier erase) are still removed; with none, nothing changes.
 */
async function nothingToErase(threadId: string, by: Eraser): Promise<EraseResult> {
  const leftovers = await deleteThreadDescendants(threadId);
  lifecycleLogs.eraseFoundNothing(threadId, by, leftovers);
  return { threadId, status: "not_found", deleted: leftovers };
}

/**
 * Deletes the tasks whose names can be derived from the thread (its planned follow-up, its snooze
 * wake-up). The others (continuity checks, Business Messages deliveries, a wake-up hop) find no
 * thread when they run and do nothing. A failed delete is logged, never fatal, for the same reason.
 */
async function cancelPendingTasks(thread: ErasableThread): Promise<void> {
  const tasks: Array<[string, string]> = [];
  if (thread.followUpTaskId) tasks.push([FOLLOW_UP_QUEUE, thread.followUpTaskId]);
  if (thread.snoozedUntil) {
    const until = thread.snoozedUntil;
    tasks.push([WAKE_QUEUE, wakeTaskId({ threadId: thread.id, until, at: until })]);
  }
  await Promise.all(
    tasks.map(([queue, id]) =>
      deleteTask(queue, id).catch((err: unknown) => lifecycleLogs.taskCancelFailed(thread.id, queue, err)),
    ),
  );
}

async function publishErased(threadId: string, w: Parameters<typeof threadErasedEvent>[1]): Promise<void> {
  try {
    await publishEvents([threadErasedEvent(threadId, w)]);
  } catch (err) {
    // The erase is done and cannot be repeated to publish again: say so loudly instead.
    lifecycleLogs.eventFailed(threadId, err);
  }
}

/** An erasure request by email: every thread carrying the address, one erase each. */
export async function eraseByEmail(email: string, w: { now: Date; adminUid: string }): Promise<EraseResult[]> {
  const ids = await threadIdsWithEmail(email);
  const results: EraseResult[] = [];
  for (const id of ids) results.push(await eraseThread(id, { by: "admin", now: w.now }));
  lifecycleLogs.erasedByEmail(w.adminUid, results.filter((r) => r.status === "erased").length);
  return results;
}

import type { Reading } from "../clock";
import { lifecycleLogs } from "../logs";
import type { ErasableThread } from "../store/erase";
import { threadIdsInactiveSince } from "../store/retention";
import { readBusinessSettings } from "../store/settings";
import { eraseThread } from "./erase";

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  /** Threads asked for per query; a batch's erases all finish before the next query. */
  batchSize?: number;
  /** No batch starts after this long: the rest waits for the next hourly sweep. */
  budgetMs?: number;
  /** Stop after this many batches (tests use it to stop a sweep part-way). */
  maxBatches?: number;
  /** Erases running at once within a batch (each one also bumps the stats/erasures counter). */
  concurrency?: number;
}

export interface RetentionResult {
  /** null: the business keeps threads; nothing was looked at. */
  retentionDays: number | null;
  erased: number;
  /** Erases refused or failed this time (a thread that came back to life, an error); tried again next sweep. */
  skipped: number;
  batches: number;
  /** False when the budget or the batch limit stopped the sweep before every expired thread was gone. */
  done: boolean;
}

const DEFAULTS = { batchSize: 100, budgetMs: 5 * 60_000, maxBatches: Infinity, concurrency: 4 };

/** Refuses an erase when the thread had activity after the cutoff (a visitor wrote during the sweep). */
class StillActive extends Error {}

/**
 * Erases threads whose last activity is older than `settings/business.retentionDays`, through the
 * same erase as a visitor's or an admin's (docs/privacy.md). Resumable by construction: each
 * thread's erase commits on its own (its document goes last), and every batch asks the database
 * again for the oldest expired threads, so a sweep that dies or runs out of budget leaves only
 * threads the next sweep finds the same way. Counts go to stats/erasures (`retention`), never content.
 */
export async function sweepRetention(reading: Reading, options: RetentionOptions = {}): Promise<RetentionResult> {
  const o = { ...DEFAULTS, ...options };
  const { retentionDays } = await readBusinessSettings();
  const result: RetentionResult = { retentionDays, erased: 0, skipped: 0, batches: 0, done: true };
  if (retentionDays === null) return result;
  const startedAt = Date.now();
  const cutoff = new Date(reading().getTime() - retentionDays * DAY_MS);
  const failed = new Set<string>();
  for (;;) {
    if (result.batches >= o.maxBatches || Date.now() - startedAt >= o.budgetMs) {
      result.done = false;
      break;
    }
    // Threads that failed this sweep come back first (oldest first): ask for that many more.
    const ids = (await threadIdsInactiveSince(cutoff, o.batchSize + failed.size)).filter((id) => !failed.has(id));
    if (ids.length === 0) break;
    result.batches += 1;
    await inPool(ids.slice(0, o.batchSize), o.concurrency, async (id) => {
      const outcome = await eraseExpired(id, cutoff, reading(id));
      if (outcome === "erased") result.erased += 1;
      if (outcome === "skipped") {
        failed.add(id);
        result.skipped += 1;
      }
    });
  }
  lifecycleLogs.retentionSwept(retentionDays, result.erased, result.skipped, result.batches, result.done);
  return result;
}

/**
 * One expired thread through the shared erase: "gone" when something else erased it first,
 * "skipped" when it came back to life or the erase failed (logged).
 */
async function eraseExpired(threadId: string, cutoff: Date, now: Date): Promise<"erased" | "gone" | "skipped"> {
  const check = (thread: ErasableThread) => {
    if (!thread.lastActivityAt || thread.lastActivityAt >= cutoff) throw new StillActive();
  };
  try {
    const r = await eraseThread(threadId, { by: "retention", now, check });
    return r.status === "erased" ? "erased" : "gone";
  } catch (err) {
    if (!(err instanceof StillActive)) lifecycleLogs.retentionEraseFailed(threadId, err);
    return "skipped";
  }
}

/** Runs `work` over `items`, at most `size` at a time. */
async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

import { paths } from "../contract/paths";
import { addCounters, dayOf, shardOf, type Counters, type Fact } from "../domain/insights";
import { hashId } from "../domain/ids";
import { db, firestoreSdk } from "./db";
import { ops } from "./ops";

/**
 * Counter shards per day. Firestore sustains about one write per second per document; a fact
 * lands in the shard its id hashes to, so a day takes ~16 facts a second (a conversation yields
 * ~5 facts over its life) before any shard runs hot. Reading a day costs at most this many reads
 * (only shards that were written exist: a quiet day costs as many reads as it had facts, at most 16)
 * until the day is closed and folded into one document (readDailyCounters).
 */
export const INSIGHT_SHARDS = 16;

const ALREADY_EXISTS = 6;
const ABORTED = 10;
/** A fold of a closed day briefly locks its shards: a late fact's batch that meets the lock is tried again. */
const ATTEMPTS = 3;

/**
 * Counts one fact exactly once: one atomic batch creates the fact's marker (hashed id) and adds its
 * counters to a shard of its day. A retried trigger finds the marker, the create fails, the batch
 * writes nothing. No read, 2 writes. Returns false when the fact was already counted. An ABORTED
 * batch wrote nothing either (it met a fold's lock on a closed day), so it is simply tried again.
 */
export async function countFact(fact: Fact, timeZone: string, shards = INSIGHT_SHARDS): Promise<boolean> {
  const day = dayOf(fact.at, timeZone);
  const { FieldValue } = firestoreSdk();
  const increments: Record<string, unknown> = { day };
  for (const [name, n] of Object.entries(fact.counters)) increments[name] = FieldValue.increment(n);
  for (let attempt = 1; ; attempt++) {
    const batch = db().batch();
    batch.create(db().doc(paths.insightFact(hashId("insight-fact", fact.id))), { day });
    batch.set(db().doc(paths.insightShard(day, shardOf(fact.id, shards))), increments, { merge: true });
    try {
      await batch.commit();
      ops.write(2);
      return true;
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      if (code === ALREADY_EXISTS) return false;
      if (code !== ABORTED || attempt >= ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** Counts facts side by side (each is independent); resolves to how many were new. */
export async function countFacts(facts: Fact[], timeZone: string): Promise<number> {
  const counted = await Promise.all(facts.map((f) => countFact(f, timeZone)));
  return counted.filter(Boolean).length;
}

export interface DailyCounters {
  byDay: Map<string, Counters>;
  /** Documents read, folds included (a query that finds nothing is billed one read). */
  reads: number;
  /** Of which: closed days' rollups, and shards not folded yet (today's, and any that came late). */
  rollups: number;
  shards: number;
  /** Closed days whose shards this read folded into their rollup. */
  folded: number;
}

/** Days folded at once by a read (each is a small transaction of its own). */
const FOLD_CONCURRENCY = 8;

/**
 * The counters of every day from `first` to `last` (yyyy-mm-dd), never a thread: one range query
 * over the rollups (`insightDays/{day}`, one per closed day) and one over the shards not folded
 * yet. A day's counters are its rollup plus its shards. Days before `foldBefore` (today in the
 * business's zone) whose shards turned up are folded now, so the next read of that day is one
 * document: once folded, opening Insights reads at most one document per closed day plus today's
 * shards (≤ INSIGHT_SHARDS). A fact counted late (a retried trigger, the backfill) recreates a shard
 * of its closed day: it is added on the next read and folded there, counted once.
 */
export async function readDailyCounters(first: string, last: string, foldBefore?: string): Promise<DailyCounters> {
  const inRange = (collection: string) =>
    db().collection(collection).where("day", ">=", first).where("day", "<=", last).get();
  const [rolled, shards] = await Promise.all([inRange(paths.insightDays), inRange(paths.insightShards)]);
  let reads = Math.max(1, rolled.size) + Math.max(1, shards.size);
  ops.read(reads);
  const byDay = new Map<string, Counters>();
  const add = (day: string, counters: Counters) => byDay.set(day, addCounters(byDay.get(day) ?? {}, counters));
  for (const doc of [...rolled.docs, ...shards.docs]) add(doc.get("day") as string, doc.data() as Counters);
  const closed = [...new Set(shards.docs.map((d) => d.get("day") as string))].filter(
    (day) => foldBefore !== undefined && day < foldBefore,
  );
  for (let i = 0; i < closed.length; i += FOLD_CONCURRENCY) {
    for (const cost of await Promise.all(closed.slice(i, i + FOLD_CONCURRENCY).map(foldDay))) reads += cost.reads;
  }
  return { byDay, reads, rollups: rolled.size, shards: shards.size, folded: closed.length };
}

/**
 * Folds a closed day's shards into its rollup, in one transaction: rollup += Σ shards, shards
 * deleted. Additive and transactional, so it is safe however it races: a fact whose increment
 * commits before the fold is in the sum (and its shard is gone), one that commits after recreates
 * its shard for the next read (Firestore serializes the increment against the transaction's read
 * of that shard); two readers folding the same day fold it once (the second finds no shard). The
 * shards are read by id (every one of the day's INSIGHT_SHARDS, so a shard created meanwhile is
 * locked too, and only documents are locked, never a query's range). The fact markers are
 * untouched, so a retried fact is still refused after its day was folded. Costs once per day:
 * 1 + INSIGHT_SHARDS reads, 1 write + a delete per shard that existed.
 */
export async function foldDay(day: string): Promise<{ reads: number; writes: number }> {
  const { FieldValue } = firestoreSdk();
  const rollupRef = db().doc(paths.insightDay(day));
  const shardRefs = Array.from({ length: INSIGHT_SHARDS }, (_, i) => db().doc(paths.insightShard(day, i)));
  const cost = await db().runTransaction(async (tx) => {
    const [rollup, ...shards] = await tx.getAll(rollupRef, ...shardRefs);
    const reads = 1 + shardRefs.length;
    const written = shards.filter((s) => s.exists);
    if (!written.length) return { reads, writes: 0 };
    const sum = addCounters({}, (rollup!.data() ?? {}) as Counters);
    for (const shard of written) addCounters(sum, shard.data() as Counters);
    tx.set(rollupRef, { ...sum, day, rolledUp: true, foldedAt: FieldValue.serverTimestamp() });
    for (const shard of written) tx.delete(shard.ref);
    return { reads, writes: 1 + written.length };
  });
  ops.read(cost.reads);
  ops.write(cost.writes);
  return cost;
}

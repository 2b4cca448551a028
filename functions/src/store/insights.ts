import { paths } from "../contract/paths";
import { dayOf, shardOf, type Counters, type Fact } from "../domain/insights";
import { hashId } from "../domain/ids";
import { db, firestoreSdk } from "./db";
import { ops } from "./ops";

/**
 * Counter shards per day. Firestore sustains about one write per second per document; a fact
 * lands in the shard its id hashes to, so a day takes ~16 facts a second (a conversation yields
 * ~5 facts over its life) before any shard runs hot. Reading a day costs at most this many reads
 * (only shards that were written exist: a quiet day costs as many reads as it had facts, at most 16).
 */
export const INSIGHT_SHARDS = 16;

const ALREADY_EXISTS = 6;

/**
 * Counts one fact exactly once: one atomic batch creates the fact's marker (hashed id) and adds its
 * counters to a shard of its day. A retried trigger finds the marker, the create fails, the batch
 * writes nothing. No read, 2 writes. Returns false when the fact was already counted.
 */
export async function countFact(fact: Fact, timeZone: string, shards = INSIGHT_SHARDS): Promise<boolean> {
  const day = dayOf(fact.at, timeZone);
  const { FieldValue } = firestoreSdk();
  const increments: Record<string, unknown> = { day };
  for (const [name, n] of Object.entries(fact.counters)) increments[name] = FieldValue.increment(n);
  const batch = db().batch();
  batch.create(db().doc(paths.insightFact(hashId("insight-fact", fact.id))), { day });
  batch.set(db().doc(paths.insightShard(day, shardOf(fact.id, shards))), increments, { merge: true });
  try {
    await batch.commit();
    ops.write(2);
    return true;
  } catch (err) {
    if ((err as { code?: unknown })?.code === ALREADY_EXISTS) return false;
    throw err;
  }
}

/** Counts facts side by side (each is independent); resolves to how many were new. */
export async function countFacts(facts: Fact[], timeZone: string): Promise<number> {
  const counted = await Promise.all(facts.map((f) => countFact(f, timeZone)));
  return counted.filter(Boolean).length;
}

/**
 * The counters of every day from `first` to `last` (yyyy-mm-dd): one range query over the shards,
 * so it reads each existing shard once (at most INSIGHT_SHARDS per day), never a thread. Returns
 * the summed counters per day and the documents read.
 */
export async function readDailyCounters(
  first: string,
  last: string,
): Promise<{ byDay: Map<string, Counters>; reads: number }> {
  const snap = await db().collection(paths.insightShards).where("day", ">=", first).where("day", "<=", last).get();
  const reads = Math.max(1, snap.size); // a query that finds nothing is billed one read
  ops.read(reads);
  const byDay = new Map<string, Counters>();
  for (const doc of snap.docs) {
    const { day, ...counters } = doc.data() as { day: string } & Counters;
    const into = byDay.get(day) ?? {};
    for (const [k, v] of Object.entries(counters)) if (typeof v === "number") into[k] = (into[k] ?? 0) + v;
    byDay.set(day, into);
  }
  return { byDay, reads };
}

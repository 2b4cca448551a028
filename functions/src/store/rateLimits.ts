import { decide, type Bucket, type RateDecision } from "../domain/rateLimit";
import { hashId } from "../domain/ids";
import { db, firestoreSdk } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";

/** How long a counter outlives its window before the TTL policy on `expireAt` deletes it. */
const KEEP_AFTER_WINDOW_MS = 60 * 60_000;

/** Counters live in their own collection (never on the thread), one document per bucket. */
export const rateLimitPath = (bucket: Bucket) => paths.rateLimit(hashId("rate", bucket.key));

export interface RateCheck {
  buckets: Bucket[];
  /** Counted only when the visitor's thread does not exist yet (a new conversation). */
  newThreadBuckets?: { threadId: string; buckets: Bucket[] };
  nowMs: number;
}

/**
 * One transaction: read every counter (and whether the thread exists), refuse if any is full,
 * otherwise count the request in each. Costs one read and one write per counter.
 */
export async function consumeRateLimits(check: RateCheck): Promise<RateDecision> {
  return db().runTransaction(async (tx) => {
    let buckets = check.buckets;
    if (check.newThreadBuckets) {
      const thread = await tx.get(db().doc(paths.thread(check.newThreadBuckets.threadId)));
      ops.read();
      if (!thread.exists) buckets = [...buckets, ...check.newThreadBuckets.buckets];
    }
    const refs = buckets.map((b) => db().doc(rateLimitPath(b)));
    const snaps = refs.length ? await tx.getAll(...refs) : [];
    ops.read(snaps.length);
    const counted = buckets.map((bucket, i) => ({ bucket, count: Number(snaps[i].get("count") ?? 0) }));
    const decision = decide(counted, check.nowMs);
    if (!decision.allowed) return decision;
    const { Timestamp } = firestoreSdk();
    counted.forEach(({ bucket, count }, i) => {
      tx.set(refs[i], {
        rule: bucket.rule.name,
        count: count + 1,
        windowStart: Timestamp.fromMillis(bucket.windowStart),
        expireAt: Timestamp.fromMillis(bucket.resetsAt + KEEP_AFTER_WINDOW_MS),
      });
    });
    ops.write(counted.length);
    return decision;
  });
}

import { paths } from "../contract/paths";
import { db } from "./db";
import { ops } from "./ops";

/**
 * The oldest threads whose last activity is before `cutoff`, ids only. A range and an order on the
 * same field: the automatic single-field index serves it, no composite index. Erased threads drop
 * out of the result, so asking again is how the sweep moves on (no cursor to lose).
 */
export async function threadIdsInactiveSince(cutoff: Date, limit: number): Promise<string[]> {
  const snap = await db()
    .collection(paths.threads)
    .where("lastActivityAt", "<", cutoff)
    .orderBy("lastActivityAt")
    .select()
    .limit(limit)
    .get();
  ops.read(Math.max(1, snap.size));
  return snap.docs.map((d) => d.id);
}

/**
 * Runs a write's reactions side by side; each is independent and idempotent (hashed task ids,
 * event ids from the write), so one failing must not stop the others. Throws the first failure
 * once all have settled, so the trigger's failure is logged (and retried where retries are on).
 */
export async function settleAll(reactions: Array<Promise<unknown> | undefined>): Promise<void> {
  const results = await Promise.allSettled(reactions.filter((r): r is Promise<unknown> => r !== undefined));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

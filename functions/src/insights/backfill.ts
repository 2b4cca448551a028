import type { FollowUpThread } from "../domain/followUps";
import { firstAgentReplyAt, messageFacts, threadFacts, windowClosedFact, type Fact } from "../domain/insights";
import type { StoredMessage } from "../domain/reactions";
import { countFacts } from "../store/insights";
import { markFirstResponse, threadPages } from "../store/insightsBackfill";
import { getBusinessSettings } from "../store/settings";

export interface BackfillResult {
  threads: number;
  facts: number;
  /** Facts not counted before (the rest were counted live, or by an earlier run). */
  counted: number;
  /** The last thread id done: pass it as `after` for the next batch; null when every thread is done. */
  next: string | null;
}

/** Threads a batch handles by default: ~1 read per thread and message, a few writes per fact. */
export const BACKFILL_BATCH = 500;
const PAGE = 100;

/**
 * Rebuilds Insights from the threads and messages written before the counters existed, one bounded
 * batch of at most `limit` threads (by document id) after `after`; the result's `next` resumes it.
 * Every fact gets the id the live triggers give it, so a fact counted live, or by an earlier run
 * (an interrupted batch run again), is not counted again: safe to run twice, and while the business
 * is live. A fact on a day already folded into its rollup recreates a shard the next read adds.
 * What the documents no longer hold is not rebuilt: of a thread's follow-ups, continuity messages
 * and recoveries only the latest (earlier ones were overwritten on the thread); every message's
 * Business Messages delivery is. Legacy threads get `firstResponseAt` from their first agent reply,
 * so a later reply never passes for the first.
 */
export async function backfillInsights(
  now: Date,
  { after, limit = BACKFILL_BATCH }: { after?: string; limit?: number } = {},
): Promise<BackfillResult> {
  const settings = await getBusinessSettings(now.getTime());
  const timeZone = settings.hours?.timeZone ?? "UTC";
  const result: BackfillResult = { threads: 0, facts: 0, counted: 0, next: null };
  let last: string | undefined;
  for await (const page of threadPages(Math.min(PAGE, limit), { after, limit })) {
    for (const { thread, messages } of page) {
      const facts = await factsOf(thread, messages, settings.hours, now);
      result.threads += 1;
      result.facts += facts.length;
      result.counted += await countFacts(facts, timeZone);
      last = thread.id;
    }
  }
  // A full batch may have more after it; a short one reached the end.
  result.next = result.threads === limit && last ? last : null;
  return result;
}

async function factsOf(
  thread: FollowUpThread,
  messages: Array<{ id: string; message: StoredMessage }>,
  hours: Parameters<typeof threadFacts>[1],
  now: Date,
): Promise<Fact[]> {
  let t = thread;
  if (!t.firstResponseAt) {
    const first = firstAgentReplyAt(messages);
    if (first) {
      await markFirstResponse(t.id, first);
      t = { ...t, firstResponseAt: first };
    }
  }
  // The thread as if it had just been created with everything it holds: the same facts, the same ids.
  const facts = threadFacts({ threadId: t.id, after: t, eventId: "backfill", at: t.createdAt }, hours);
  for (const { id, message } of messages) {
    if (!message.delivery || message.delivery.state === "pending") continue;
    const pending = { ...message, delivery: { ...message.delivery, state: "pending" as const } };
    facts.push(
      ...messageFacts({ threadId: t.id, messageId: id, before: pending, after: message, at: message.createdAt }),
    );
  }
  const closed = windowClosedFact(t, now, Infinity);
  if (closed) facts.push(closed);
  return facts;
}

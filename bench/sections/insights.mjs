// Insights (issue 19): the Firestore operations its daily counters add, counted by store/ops.ts
// around the same store calls the triggers and the readInsights callable make, and the facts the
// emulator's own triggers count for a conversation driven through the store.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { root } from "../../tools/proc.mjs";
import { agentReply, visitorMessage } from "./conversation.mjs";
import { adminDb } from "./firestore.mjs";

const require = createRequire(`${root}/functions/package.json`);

export async function measureInsights() {
  const { ops } = require("./lib/store/ops.js");
  const { countFact, INSIGHT_SHARDS, readDailyCounters } = require("./lib/store/insights.js");
  const { lastDays } = require("./lib/domain/insights.js");
  const run = randomUUID().slice(0, 8);
  // A 90-day range of its own, far ahead, 48 facts a day (~15 of the 16 shards written): near the
  // most a busy business's Insights can cost to open. Its last day plays today (never folded).
  const start = Date.UTC(2400 + Math.floor(Math.random() * 500), 0, 1, 12);
  const days = lastDays(new Date(start + 89 * 86_400_000), 90, "UTC");
  const facts = [];
  for (let d = 0; d < 90; d++)
    for (let i = 0; facts.length < (d + 1) * INSIGHT_SHARDS * 3; i++)
      facts.push({ id: `bench-${run}-${d}-${i}`, at: new Date(start + d * 86_400_000), counters: { started_web: 1 } });
  ops.reset();
  await countFact(facts[0], "UTC");
  const oneFact = ops.snapshot();
  let next = 1;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < facts.length) await countFact(facts[next++], "UTC");
    }),
  );
  ops.reset();
  const again = await countFact(facts[0], "UTC");
  const retried = { ...ops.snapshot(), counted: again };
  const today = days[89];
  ops.reset();
  const unfolded = await readDailyCounters(days[0], days[89]); // as before rollups: every shard
  ops.reset();
  const first = await readDailyCounters(days[0], days[89], today); // folds the 89 closed days
  const firstOps = ops.snapshot();
  ops.reset();
  const second = await readDailyCounters(days[0], days[89], today);
  const secondOps = ops.snapshot();
  // Today's real range (whatever the bench and the seed wrote): what opening Insights costs here.
  const here = lastDays(new Date(), 90, "UTC");
  await readDailyCounters(here[0], here[89], here[89]);
  const hereAgain = await readDailyCounters(here[0], here[89], here[89]);
  return {
    oneFact,
    retried,
    unfolded: unfolded.reads,
    firstOpen: { reads: first.reads, writes: firstOps.writes, folded: first.folded },
    secondOpen: { reads: second.reads, counted: secondOps.reads, rollups: second.rollups, shards: second.shards },
    bound: 90 + INSIGHT_SHARDS,
    here: hereAgain.reads,
    perMessage: await factsPerMessage(),
  };
}

/** insightFacts markers in the emulator (one per counted fact), once the triggers have settled. */
async function settledFactCount(db, atLeast = 0) {
  let last = -1;
  let same = 0;
  for (let i = 0; i < 60 && same < 4; i++) {
    const n = (await db.collection("insightFacts").count().get()).data().count;
    same = n === last && n >= atLeast ? same + 1 : 0;
    last = n;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

/**
 * Extra writes per message: two conversations (3 visitor messages, 3 agent replies each) written
 * through the store functions the endpoints call; the emulator's triggers count their facts. Each
 * fact is 2 writes (its marker and its shard); the markers the run adds say how many facts there
 * were. The bench's threads have no Business Messages conversation, so the replies go out on the
 * web: a reply delivered over BM would add one fact (2 writes) each.
 */
async function factsPerMessage() {
  const db = adminDb();
  const before = await settledFactCount(db);
  let messages = 0;
  for (const origin of ["web", "bm"]) {
    const threadId = `${origin}_benchins_${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 3; i++) {
      await visitorMessage(threadId, origin);
      await agentReply(threadId);
      messages += 2;
    }
  }
  // Expected: 2 conversations started and their 2 first responses.
  const facts = (await settledFactCount(db, before + 4)) - before;
  return { messages, facts, writes: 2 * facts, perMessage: (2 * facts) / messages };
}

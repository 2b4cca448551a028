// Insights (issue 19): the Firestore operations its daily counters add, counted by store/ops.ts
// around the same store calls the triggers and the readInsights callable make.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { root } from "../../tools/proc.mjs";

const require = createRequire(`${root}/functions/package.json`);

export async function measureInsights() {
  const { ops } = require("./lib/store/ops.js");
  const { countFact, INSIGHT_SHARDS, readDailyCounters } = require("./lib/store/insights.js");
  const { lastDays } = require("./lib/domain/insights.js");
  const run = randomUUID().slice(0, 8);
  // A 90-day range of its own, far ahead, with every shard of every day written: the most a busy
  // business's Insights can cost to open.
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
  ops.reset();
  const { reads } = await readDailyCounters(days[0], days[89]);
  const open90 = ops.snapshot();
  // Today's real range (whatever the bench and the seed wrote): what opening Insights costs here.
  const today = lastDays(new Date(), 90, "UTC");
  const here = await readDailyCounters(today[0], today[89]);
  return { oneFact, retried, open90: { ...open90, reads }, busiestPossible: 90 * INSIGHT_SHARDS, here: here.reads };
}

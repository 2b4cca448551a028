// Insights' daily counters on the Firestore emulator: the triggers run here with built events
// (firebase-functions-test, online) so a test can deliver the same event twice, and the counting
// function is driven directly for the hot-spot test. Each test counts on a day of its own (far
// from today), so what other suites write never lands on it.
import { strict as assert } from "node:assert";
import { TZDate } from "@date-fns/tz";
import { onMessageWritten } from "../../src/endpoints/onMessageWritten";
import { onThreadWritten } from "../../src/endpoints/onThreadWritten";
import { dayOf, lastDays, shardOf, type Counters, type Fact } from "../../src/domain/insights";
import { sweepFollowUps } from "../../src/followUps/sweep";
import { countFact, foldDay, INSIGHT_SHARDS, readDailyCounters } from "../../src/store/insights";
import { clearSettingsCache, getBusinessSettings } from "../../src/store/settings";
import { adminDb, anonymousVisitor, callable, consoleUser, uniqueId } from "../support/emulators";
import { waitUntil } from "../support/wait";
import { runDocumentWrite } from "../support/wrapped";
import { backfillInsights } from "../../src/insights/backfill";

const DAY = 86_400_000;

/** Noon of a random day far from today in the business's zone, so nothing else counts on it. */
async function dayOfOurOwn(): Promise<{ noon: Date; day: string; timeZone: string }> {
  clearSettingsCache();
  const timeZone = (await getBusinessSettings()).hours?.timeZone ?? "UTC";
  const year = 2200 + Math.floor(Math.random() * 700);
  const noon = new Date(
    new TZDate(year, Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28), 12, 0, timeZone).getTime(),
  );
  return { noon, day: dayOf(noon, timeZone), timeZone };
}

async function countersOn(day: string): Promise<Counters> {
  return (await readDailyCounters(day, day)).byDay.get(day) ?? {};
}

function webThreadDoc(createdAt: Date) {
  return {
    origin: "web",
    status: "open",
    visitor: { displayName: "Henry", locale: "en" },
    visitorUids: [],
    reach: { bm: false, push: false, email: false },
    windows: {},
    lastActivityAt: createdAt,
    unreadForAgents: 1,
    messageCount: 1,
    assignedTo: null,
    createdAt,
  };
}

describe("Insights: daily counters (issue 19)", () => {
  it("a thread-created event delivered twice counts one conversation; its first reply delivered twice, one response", async () => {
    const { noon, day } = await dayOfOurOwn();
    const threadId = uniqueId("web_insights");
    const created = webThreadDoc(noon);
    for (let i = 0; i < 2; i++) {
      await runDocumentWrite(
        onThreadWritten,
        `threads/${threadId}`,
        undefined,
        created,
        { threadId },
        { time: noon.toISOString(), id: `e-created-${threadId}` },
      );
    }
    const answered = { ...created, firstResponseAt: new Date(noon.getTime() + 7 * 60_000) };
    for (let i = 0; i < 2; i++) {
      await runDocumentWrite(
        onThreadWritten,
        `threads/${threadId}`,
        created,
        answered,
        { threadId },
        { id: `e-answered-${threadId}` },
      );
    }
    const c = await countersOn(day);
    assert.equal(c.started_web, 1, JSON.stringify(c));
    const responses = Object.entries(c).filter(([k]) => k.startsWith("frt_"));
    assert.deepEqual(
      responses.map(([, n]) => n),
      [1],
      JSON.stringify(c),
    );
    assert.ok(responses[0]![0].endsWith("_3"), "7 minutes: the 5–10 min bucket");
  });

  it("a Business Messages delivery event delivered twice counts one reply that reached the visitor", async () => {
    const { noon, day } = await dayOfOurOwn();
    const threadId = uniqueId("bm_insights");
    const messageId = uniqueId("m");
    const pending = {
      from: "agent",
      text: "Your cake is ready",
      createdAt: noon,
      delivery: { channel: "bm", state: "pending", attempts: 0 },
    };
    const sent = { ...pending, delivery: { channel: "bm", state: "sent", attempts: 1 } };
    for (let i = 0; i < 2; i++) {
      await runDocumentWrite(
        onMessageWritten,
        `threads/${threadId}/messages/${messageId}`,
        pending,
        sent,
        { threadId, messageId },
        { time: noon.toISOString() },
      );
    }
    assert.deepEqual(await countersOn(day), { reached_bm: 1 });
  });

  it("the sweep counts a window that closed with no reply once, however often it runs", async () => {
    const { noon, day } = await dayOfOurOwn();
    const threadId = uniqueId("web_insights");
    const closesAt = new Date(noon.getTime() - 60 * 60_000);
    const wrote = new Date(closesAt.getTime() - 30 * DAY);
    await adminDb()
      .doc(`threads/${threadId}`)
      .set({ ...webThreadDoc(wrote), lastVisitorMessageAt: wrote, windows: { web: closesAt } });
    const first = await sweepFollowUps(() => noon);
    const second = await sweepFollowUps(() => new Date(noon.getTime() + 60 * 60_000));
    assert.equal(first.windowsClosed, 1);
    assert.equal(second.windowsClosed, 0);
    assert.deepEqual(await countersOn(day), { windowsClosed: 1 }, "closed an hour before noon: the same day");
  });

  it("50 facts a second for a minute (3,000, with 300 retried) are counted exactly, spread over every shard", async function () {
    this.timeout(180_000);
    const { noon, day, timeZone } = await dayOfOurOwn();
    const run = uniqueId("hot");
    const facts: Fact[] = Array.from({ length: 3000 }, (_, i) => ({
      id: `${run}:${i}`,
      at: new Date(noon.getTime() + Math.floor(i / 50) * 1000), // 50 per second for 60 seconds
      counters: { started_web: 1, ...(i % 3 === 0 ? { reached_push: 1 } : {}) },
    }));
    const deliveries = [...facts, ...facts.filter((_, i) => i % 10 === 0)]; // retried trigger events
    let next = 0;
    let counted = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < deliveries.length) if (await countFact(deliveries[next++]!, timeZone)) counted += 1;
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    assert.equal(counted, 3000);
    const { byDay, shards } = await readDailyCounters(day, day);
    assert.deepEqual(byDay.get(day), { started_web: 3000, reached_push: 1000 });
    assert.equal(shards, INSIGHT_SHARDS, "every shard took a share");
    console.log(`      ${deliveries.length} deliveries counted in ${seconds.toFixed(1)} s, over ${shards} shards`);
  });

  it("90 days open in ≤ 1 read per closed day + today's shards once folded; late and retried facts count once", async function () {
    this.timeout(15_000); // 2.4 s in a focused run
    const { noon, timeZone } = await dayOfOurOwn();
    const t0 = Date.now();
    const lap: number[] = [];
    const days = lastDays(noon, 90, timeZone);
    const today = days[89]!;
    const run = uniqueId("fold");
    const at = (day: string) => {
      const [y, m, d] = day.split("-").map(Number) as [number, number, number];
      return new Date(new TZDate(y, m - 1, d, 12, 0, timeZone).getTime());
    };
    // 2 facts on each closed day, 40 today (most of the 16 shards), 10 retried deliveries.
    const facts: Fact[] = days.flatMap((day, d) =>
      Array.from({ length: d === 89 ? 40 : 2 }, (_, i) => ({
        id: `${run}:${d}:${i}`,
        at: at(day),
        counters: { started_web: 1 },
      })),
    );
    const count = async (list: Fact[]) => {
      let next = 0;
      let counted = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < list.length) if (await countFact(list[next++]!, timeZone)) counted += 1;
        }),
      );
      return counted;
    };
    assert.equal(await count([...facts, ...facts.slice(0, 10)]), facts.length);
    const todayShards = new Set(facts.slice(-40).map((f) => shardOf(f.id, INSIGHT_SHARDS))).size;
    const total = (r: Awaited<ReturnType<typeof readDailyCounters>>) =>
      [...r.byDay.values()].reduce((sum, c) => sum + (c.started_web ?? 0), 0);

    lap.push(Date.now() - t0);
    const first = await readDailyCounters(days[0]!, today, today); // folds the 89 closed days
    lap.push(Date.now() - t0);
    assert.equal(total(first), 89 * 2 + 40);
    assert.equal(first.folded, 89);
    const second = await readDailyCounters(days[0]!, today, today);
    assert.equal(total(second), 89 * 2 + 40);
    assert.deepEqual([second.rollups, second.shards, second.folded], [89, todayShards, 0]);
    assert.equal(second.reads, 89 + todayShards);
    assert.ok(second.reads <= 90 + INSIGHT_SHARDS);

    // After the fold: a retried fact is refused by its marker, a late one (e.g. the backfill, or a
    // trigger retried after midnight), racing a fold of its day, counts once.
    const late: Fact[] = Array.from({ length: 12 }, (_, i) => ({
      id: `${run}:late:${i}`,
      at: at(days[10]!),
      counters: { started_web: 1 },
    }));
    const [counted] = await Promise.all([
      count([facts[0]!, late[0]!, facts[5]!, ...late.slice(1)]),
      readDailyCounters(days[0]!, today, today),
      foldDay(days[10]!),
    ]);
    assert.equal(counted, 12);
    lap.push(Date.now() - t0);
    const third = await readDailyCounters(days[0]!, today, today);
    assert.equal(total(third), 89 * 2 + 40 + 12);
    assert.equal(third.byDay.get(days[10]!)?.started_web, 14);
    const fourth = await readDailyCounters(days[0]!, today, today);
    assert.equal(total(fourth), 89 * 2 + 40 + 12);
    assert.equal(fourth.reads, 89 + todayShards, "the late shards were folded too");
    console.log(`      90 days: first open ${first.reads} reads (folding 89 days), then ${second.reads}; ms: ${lap}`);
  });

  it("readInsights: agents read a range (≤ 90 + 16 documents once closed days are folded); a bad range or no role is refused", async () => {
    const agent = await consoleUser("agent");
    const open = () =>
      callable<{ rows: Array<{ day: string }>; reads: number; timeZone: string }>(
        "readInsights",
        { rangeDays: 90 },
        agent.idToken,
      );
    const first = await open(); // may fold the closed days other suites counted on
    assert.equal(first.status, 200, JSON.stringify(first));
    const ok = await open();
    assert.equal(ok.result!.rows.length, 90);
    assert.ok(ok.result!.reads <= 90 + INSIGHT_SHARDS, `${ok.result!.reads} reads`);
    console.log(`      opening Insights for 90 days read ${first.result!.reads}, then ${ok.result!.reads} documents`);
    const bad = await callable("readInsights", { rangeDays: 5 }, agent.idToken);
    assert.equal(bad.error?.status, "INVALID_ARGUMENT");
    assert.match(bad.error!.message, /rangeDays is 7, 30 or 90/);
    const visitor = await anonymousVisitor();
    const refused = await callable("readInsights", { rangeDays: 7 }, visitor.idToken);
    assert.equal(refused.error?.status, "PERMISSION_DENIED");
  });

  it("the backfill rebuilds a legacy thread's figures once, beside what the live trigger counted", async () => {
    const { noon, day } = await dayOfOurOwn();
    const threadId = uniqueId("web_insights");
    const replyAt = new Date(noon.getTime() + 7 * 60_000);
    const db = adminDb();
    await db.doc(`threads/${threadId}/messages/m1`).set({ from: "visitor", text: "Cake?", createdAt: noon });
    await db.doc(`threads/${threadId}/messages/m2`).set({ from: "agent", text: "Yes!", createdAt: replyAt });
    await db.doc(`threads/${threadId}`).set(webThreadDoc(noon)); // no firstResponseAt: written before Insights
    // The emulator's own trigger counts the new thread; the backfill must not count it again.
    await waitUntil("the live trigger's count", async () => (await countersOn(day)).started_web === 1);
    // One bounded batch of one thread from a cursor just before ours (ids are in document-id order),
    // run twice as an interrupted run would be; the next batch resumes after ours.
    const before = threadId.slice(0, -1);
    const first = await backfillInsights(new Date(), { after: before, limit: 1 });
    const second = await backfillInsights(new Date(), { after: before, limit: 1 });
    assert.deepEqual([first.threads, first.next, second.next, second.counted], [1, threadId, threadId, 0]);
    const resumed = await backfillInsights(new Date(), { after: first.next!, limit: 1 });
    assert.notEqual(resumed.next, threadId, "the cursor moved past our thread");
    const c = await waitUntil("the first response counted", async () => {
      const counters = await countersOn(day);
      return Object.keys(counters).some((k) => k.startsWith("frt_")) ? counters : undefined;
    });
    assert.equal(c.started_web, 1, JSON.stringify(c));
    assert.deepEqual(
      Object.entries(c)
        .filter(([k]) => k.startsWith("frt_"))
        .map(([k, n]) => [k.replace(/^frt_(open|closed)_/, ""), n]),
      [["3", 1]],
    );
    assert.equal((await db.doc(`threads/${threadId}`).get()).get("firstResponseAt").toMillis(), replyAt.getTime());
  });
});

// Retention (issue 14, docs/privacy.md): settings/business.retentionDays makes the hourly sweep erase
// threads whose last activity is older than that, through the same erase as the visitor's. 1,000
// threads are seeded; a first sweep is stopped part-way (a batch limit, and an erase that died after
// its subcollections), the next sweeps (the emulator's /sweep, on the dev clock) finish the job.
import { strict as assert } from "node:assert";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../src/domain/time";
import { sweepRetention } from "../../src/lifecycle/retention";
import { deleteThreadDescendants } from "../../src/store/erase";
import { ops } from "../../src/store/ops";
import { BusinessSettings } from "../../src/contract/settings";
import { adminDb, callable, consoleUser, FUNCTIONS, uniqueId, type SignedIn } from "../support/emulators";

const RETENTION_DAYS = 400;
// 1,000 threads, most of them kept; 80 expire. Each erase sends thread.erased through the emulator's
// webhook function, one at a time behind the seed's own trigger work: this test does not wait for them
// (erase.test.ts checks that event), so it leaves less of a queue to the suites after it.
const EXPIRED = 60;
/** Expire only once the dev clock moves 2 hours on: the sweep reads the follow-ups' clock. */
const EXPIRING_SOON = 20;
const KEPT = 920;
/** The first sweep dies after FIRST_BATCHES batches of FIRST_BATCH threads. */
const FIRST_BATCH = 20;
const FIRST_BATCHES = 2;
const FIRST = FIRST_BATCH * FIRST_BATCHES;

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${FUNCTIONS}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A thread as the store keeps it, last active at `at`, with a note under it (no trigger listens to notes). */
function seedThread(batch: FirebaseFirestore.WriteBatch, id: string, at: Date): void {
  const db = adminDb();
  batch.set(db.doc(`threads/${id}`), {
    origin: "web",
    status: "open",
    visitor: { displayName: "Old visitor", email: `${id}@example.com` },
    visitorUids: [`uid-${id}`],
    reach: { bm: false, push: false, email: true },
    windows: {},
    lastActivityAt: at,
    unreadForAgents: 0,
    messageCount: 1,
    assignedTo: null,
    createdAt: at,
  });
  batch.set(db.doc(`threads/${id}/notes/n1`), { text: "lives at 12 Hang Bac", authorUid: "a", createdAt: at });
}

/**
 * Writes every thread in batches of 250 threads (500 writes, Firestore's batch limit), in parallel.
 * Each create runs the thread trigger in the emulator (a thread.created delivery, an Insights fact):
 * that queue drains behind this test, so it waits on nothing that queue carries.
 */
async function seed(threads: Array<[string, Date]>): Promise<void> {
  const commits: Promise<unknown>[] = [];
  for (let i = 0; i < threads.length; i += 250) {
    const batch = adminDb().batch();
    for (const [id, at] of threads.slice(i, i + 250)) seedThread(batch, id, at);
    commits.push(batch.commit());
  }
  await Promise.all(commits);
}

/** Which of these threads still exist, and which still have their note. */
async function present(ids: string[]): Promise<{ threads: number; notes: number }> {
  const db = adminDb();
  const threads = await db.getAll(...ids.map((id) => db.doc(`threads/${id}`)));
  const notes = await db.getAll(...ids.map((id) => db.doc(`threads/${id}/notes/n1`)));
  return { threads: threads.filter((s) => s.exists).length, notes: notes.filter((s) => s.exists).length };
}

const erasures = async () => (await adminDb().doc("stats/erasures").get()).data() ?? {};
const delta = (after: Record<string, unknown>, before: Record<string, unknown>, k: string) =>
  Number(after[k] ?? 0) - Number(before[k] ?? 0);

async function expiredCount(cutoff: Date): Promise<number> {
  const snap = await adminDb().collection("threads").where("lastActivityAt", "<", cutoff).count().get();
  return snap.data().count;
}

describe("retention (data lifecycle)", function () {
  this.timeout(900_000);
  let admin: SignedIn;
  let stored: FirebaseFirestore.DocumentData | undefined;

  before(async () => {
    admin = await consoleUser("admin");
    stored = (await adminDb().doc("settings/business").get()).data();
  });

  after(async () => {
    const ref = adminDb().doc("settings/business");
    await (stored ? ref.set(stored) : ref.delete());
    await post("devFollowUps/clock", { reset: true });
  });

  const saveRetention = (retentionDays: unknown) =>
    callable("updateSettings", { ...BusinessSettings.parse(stored ?? {}), retentionDays }, admin.idToken);

  it("refuses a retention period out of bounds with a readable reason, and keeps an empty one as null", async () => {
    for (const bad of [0, 3651, 1.5, "30"]) {
      const res = await saveRetention(bad);
      assert.equal(res.status, 400, `${JSON.stringify(bad)}: ${JSON.stringify(res)}`);
      assert.match(res.error!.message, /retention|number|integer/i, res.error!.message);
    }
    const kept = await saveRetention(null);
    assert.equal(kept.status, 200, JSON.stringify(kept.error));
    assert.equal((await adminDb().doc("settings/business").get()).get("retentionDays"), null);
    const sweep = await post("devFollowUps/sweep", {});
    assert.deepEqual(sweep.body.retention, { retentionDays: null, erased: 0, skipped: 0, batches: 0, done: true });
  });

  it("erases exactly the threads past the period, in batches; a sweep stopped part-way is finished by the next", async () => {
    await post("devFollowUps/clock", { reset: true });
    const prefix = uniqueId("ret");
    let mark = Date.now();
    const lap = (what: string) => {
      console.log(`      ${what}: ${Date.now() - mark} ms`);
      mark = Date.now();
    };
    const now = Date.now();
    const cutoff = now - RETENTION_DAYS * DAY_MS;
    const expired = Array.from({ length: EXPIRED }, (_, i) => `${prefix}x${i}`);
    const soon = Array.from({ length: EXPIRING_SOON }, (_, i) => `${prefix}s${i}`);
    const kept = Array.from({ length: KEPT }, (_, i) => `${prefix}k${i}`);
    await seed([
      ...expired.map((id, i): [string, Date] => [id, new Date(cutoff - HOUR_MS - i * MINUTE_MS)]),
      // Within the period by 1 hour (+ up to 10 s each): expired once the clock is 2 hours on.
      ...soon.map((id, i): [string, Date] => [id, new Date(cutoff + HOUR_MS + i * 100)]),
      ...kept.map((id, i): [string, Date] => [id, new Date(cutoff + 3 * HOUR_MS + i * MINUTE_MS)]),
    ]);
    lap("seed");
    assert.deepEqual(await present([...expired, ...soon, ...kept]), { threads: 1000, notes: 1000 });
    const saved = await saveRetention(RETENTION_DAYS);
    assert.equal(saved.status, 200, JSON.stringify(saved.error));
    const before = await erasures();
    // Expired by the end, whatever else the emulator holds: counted the way the sweep asks.
    const toErase = await expiredCount(new Date(cutoff + 2 * HOUR_MS));
    assert.ok(toErase >= EXPIRED + EXPIRING_SOON, `the seed is expired: ${toErase}`);

    // A sweep that stops after 2 batches, on the real clock (in this process: its ops are counted).
    ops.reset();
    const first = await sweepRetention(() => new Date(), { batchSize: FIRST_BATCH, maxBatches: FIRST_BATCHES });
    const counted = ops.snapshot();
    assert.deepEqual(first, {
      retentionDays: RETENTION_DAYS,
      erased: FIRST,
      skipped: 0,
      batches: FIRST_BATCHES,
      done: false,
    });
    const per1000 = 1000 / FIRST;
    console.log(
      `      ops of a retention sweep: ${counted.reads} reads, ${counted.writes} writes for ${FIRST} threads` +
        ` (1 note each): per 1,000 threads ${counted.reads * per1000} reads, ${counted.writes * per1000} writes`,
    );
    // The oldest go first (the last of the seed); an erase that died after its subcollections left a bare thread.
    assert.deepEqual(await present(expired.slice(-FIRST)), { threads: 0, notes: 0 });
    const halfErased = expired.slice(0, 3);
    for (const id of halfErased) await deleteThreadDescendants(id);
    assert.deepEqual(await present(expired.slice(0, -FIRST)), {
      threads: EXPIRED - FIRST,
      notes: EXPIRED - FIRST - 3,
    });
    const others = EXPIRING_SOON + KEPT;
    assert.deepEqual(await present([...soon, ...kept]), { threads: others, notes: others });
    lap(`first sweep (${FIRST} threads, in this process)`);

    // The next sweeps (the emulator's hourly sweep, on the dev clock 2 hours on) finish the job.
    assert.equal((await post("devFollowUps/clock", { offsetMs: 2 * HOUR_MS })).status, 200);
    let erased = first.erased;
    for (let run = 1; ; run++) {
      const res = await post("devFollowUps/sweep", {});
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const r = res.body.retention as { erased: number; skipped: number; done: boolean };
      assert.equal(r.skipped, 0, JSON.stringify(r));
      erased += r.erased;
      if (r.done) break;
      assert.ok(run < 30 && r.erased > 0, `each sweep moves on: ${JSON.stringify(r)}`);
    }
    lap("the next sweeps (devFollowUps /sweep)");
    assert.equal(erased, toErase, "every expired thread erased once");
    assert.deepEqual(await present([...expired, ...soon]), { threads: 0, notes: 0 });
    assert.deepEqual(await present(kept), { threads: KEPT, notes: KEPT }, "the others are untouched");
    for (const s of await adminDb().getAll(...kept.map((id) => adminDb().doc(`threads/${id}`))))
      assert.equal(s.get("visitor.email"), `${s.id}@example.com`);

    const after = await erasures();
    assert.equal(delta(after, before, "retention"), toErase, "counted in stats/erasures as retention");
    assert.equal(delta(after, before, "threads"), toErase);
    for (const key of Object.keys(after))
      assert.ok(["threads", "visitor", "admin", "retention", "lastErasedAt"].includes(key), `counts only: ${key}`);
    const again = await post("devFollowUps/sweep", {});
    assert.equal((again.body.retention as { erased: number }).erased, 0, "a second sweep finds nothing");
  });
});

// Retention (issue 14, docs/privacy.md): settings/business.retentionDays makes the hourly sweep erase
// threads whose last activity is older than that, through the same erase as the visitor's.
// At scale: 1,000 threads under a project id of their own, swept by the same code in a process of
// its own (no emulated trigger runs for their creates and deletes); a first sweep is stopped
// part-way (a batch limit, and an erase that died after its subcollections), the next sweeps finish
// the job. Through the emulators: the admin's setting and the emulator's hourly sweep, on a few threads.
import { strict as assert } from "node:assert";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../src/domain/time";
import { BusinessSettings } from "../../src/contract/settings";
import {
  adminDb,
  callable,
  consoleUser,
  FUNCTIONS,
  PROJECT_ID,
  sweepInProcess,
  uniqueId,
  type SignedIn,
} from "../support/emulators";

const RETENTION_DAYS = 400;
const SCALE_PROJECT = `${PROJECT_ID}-retention`;
// 1,000 threads, most of them kept; 80 expire.
const EXPIRED = 60;
/** Expire only on the next sweeps' clock, 2 hours on. */
const EXPIRING_SOON = 20;
const KEPT = 920;
/** The first sweep dies after FIRST_BATCHES batches of FIRST_BATCH threads. */
const FIRST_BATCH = 20;
const FIRST_BATCHES = 2;
const FIRST = FIRST_BATCH * FIRST_BATCHES;

function scaleDb(): Firestore {
  const app =
    getApps().find((a) => a.name === SCALE_PROJECT) ?? initializeApp({ projectId: SCALE_PROJECT }, SCALE_PROJECT);
  return getFirestore(app);
}

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${FUNCTIONS}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A thread as the store keeps it, last active at `at`, with a note under it (no trigger listens to notes). */
function seedThread(db: Firestore, batch: FirebaseFirestore.WriteBatch, id: string, at: Date): void {
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

/** Writes every thread in batches of 250 threads (500 writes, Firestore's batch limit), in parallel. */
async function seed(db: Firestore, threads: Array<[string, Date]>): Promise<void> {
  const commits: Promise<unknown>[] = [];
  for (let i = 0; i < threads.length; i += 250) {
    const batch = db.batch();
    for (const [id, at] of threads.slice(i, i + 250)) seedThread(db, batch, id, at);
    commits.push(batch.commit());
  }
  await Promise.all(commits);
}

/** Which of these threads still exist, and which still have their note. */
async function present(db: Firestore, ids: string[]): Promise<{ threads: number; notes: number }> {
  const threads = await db.getAll(...ids.map((id) => db.doc(`threads/${id}`)));
  const notes = await db.getAll(...ids.map((id) => db.doc(`threads/${id}/notes/n1`)));
  return { threads: threads.filter((s) => s.exists).length, notes: notes.filter((s) => s.exists).length };
}

const erasures = async (db: Firestore) => (await db.doc("stats/erasures").get()).data() ?? {};
const delta = (after: Record<string, unknown>, before: Record<string, unknown>, k: string) =>
  Number(after[k] ?? 0) - Number(before[k] ?? 0);

function assertCountsOnly(after: Record<string, unknown>): void {
  for (const key of Object.keys(after))
    assert.ok(["threads", "visitor", "admin", "retention", "lastErasedAt"].includes(key), `counts only: ${key}`);
}

async function expiredCount(cutoff: Date): Promise<number> {
  const snap = await adminDb().collection("threads").where("lastActivityAt", "<", cutoff).count().get();
  return snap.data().count;
}

describe("retention (data lifecycle)", function () {
  this.timeout(300_000);
  let admin: SignedIn;
  let stored: FirebaseFirestore.DocumentData | undefined;

  before(async () => {
    admin = await consoleUser("admin");
    stored = (await adminDb().doc("settings/business").get()).data();
  });

  after(async () => {
    const ref = adminDb().doc("settings/business");
    await (stored ? ref.set(stored) : ref.delete());
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

  it("at scale: erases exactly the 80 of 1,000 threads past the period, in batches; a sweep stopped part-way is finished by the next", async () => {
    const db = scaleDb();
    const prefix = uniqueId("ret");
    const now = Date.now();
    const cutoff = now - RETENTION_DAYS * DAY_MS;
    const expired = Array.from({ length: EXPIRED }, (_, i) => `${prefix}x${i}`);
    const soon = Array.from({ length: EXPIRING_SOON }, (_, i) => `${prefix}s${i}`);
    const kept = Array.from({ length: KEPT }, (_, i) => `${prefix}k${i}`);
    await seed(db, [
      ...expired.map((id, i): [string, Date] => [id, new Date(cutoff - HOUR_MS - i * MINUTE_MS)]),
      // Within the period by 1 hour (+ up to 2 s): expired on the next sweeps' clock, 2 hours on.
      ...soon.map((id, i): [string, Date] => [id, new Date(cutoff + HOUR_MS + i * 100)]),
      ...kept.map((id, i): [string, Date] => [id, new Date(cutoff + 3 * HOUR_MS + i * MINUTE_MS)]),
    ]);
    assert.deepEqual(await present(db, [...expired, ...soon, ...kept]), { threads: 1000, notes: 1000 });
    await db.doc("settings/business").set({ retentionDays: RETENTION_DAYS }, { merge: true });
    const before = await erasures(db);

    // A sweep that stops after 2 batches, on the real clock.
    const [first] = await sweepInProcess(SCALE_PROJECT, [
      { nowMs: now, options: { batchSize: FIRST_BATCH, maxBatches: FIRST_BATCHES } },
    ]);
    assert.deepEqual(first!.sweep, {
      retentionDays: RETENTION_DAYS,
      erased: FIRST,
      skipped: 0,
      batches: FIRST_BATCHES,
      done: false,
    });
    const per1000 = 1000 / FIRST;
    const { reads, writes } = first!.ops;
    console.log(
      `      ops of a retention sweep: ${reads} reads, ${writes} writes for ${FIRST} threads` +
        ` (1 note each): per 1,000 threads ${reads * per1000} reads, ${writes * per1000} writes`,
    );
    // The oldest go first (the last of the seed); an erase that died after its subcollections left a bare thread.
    assert.deepEqual(await present(db, expired.slice(-FIRST)), { threads: 0, notes: 0 });
    const halfErased = expired.slice(0, 3);
    for (const id of halfErased) await db.doc(`threads/${id}/notes/n1`).delete();
    assert.deepEqual(await present(db, expired.slice(0, -FIRST)), {
      threads: EXPIRED - FIRST,
      notes: EXPIRED - FIRST - 3,
    });
    const others = EXPIRING_SOON + KEPT;
    assert.deepEqual(await present(db, [...soon, ...kept]), { threads: others, notes: others });

    // The next sweeps, 2 hours on, 20 threads a batch, 1 batch a sweep: each moves on until done.
    const next = await sweepInProcess(SCALE_PROJECT, [
      { nowMs: now + 2 * HOUR_MS, options: { batchSize: FIRST_BATCH, maxBatches: 1 }, untilDone: true },
    ]);
    const erasedNext = next.reduce((n, r) => n + Number(r.sweep.erased), 0);
    assert.ok(
      next.every((r) => r.sweep.skipped === 0),
      JSON.stringify(next.map((r) => r.sweep)),
    );
    assert.equal(next.at(-1)!.sweep.done, true);
    assert.equal(FIRST + erasedNext, EXPIRED + EXPIRING_SOON, "every expired thread erased once");
    assert.deepEqual(await present(db, [...expired, ...soon]), { threads: 0, notes: 0 });
    assert.deepEqual(await present(db, kept), { threads: KEPT, notes: KEPT }, "the others are untouched");
    for (const s of await db.getAll(...kept.map((id) => db.doc(`threads/${id}`))))
      assert.equal(s.get("visitor.email"), `${s.id}@example.com`);

    const after = await erasures(db);
    assert.equal(delta(after, before, "retention"), EXPIRED + EXPIRING_SOON, "counted in stats/erasures as retention");
    assert.equal(delta(after, before, "threads"), EXPIRED + EXPIRING_SOON);
    assertCountsOnly(after);
    const [again] = await sweepInProcess(SCALE_PROJECT, [{ nowMs: now + 2 * HOUR_MS }]);
    assert.equal(again!.sweep.erased, 0, "a second sweep finds nothing");
  });

  it("the admin's setting drives the emulator's hourly sweep: past threads erased, the others kept", async () => {
    const prefix = uniqueId("rete");
    const cutoff = Date.now() - RETENTION_DAYS * DAY_MS;
    const expired = Array.from({ length: 4 }, (_, i) => `${prefix}x${i}`);
    const kept = Array.from({ length: 4 }, (_, i) => `${prefix}k${i}`);
    await seed(adminDb(), [
      ...expired.map((id, i): [string, Date] => [id, new Date(cutoff - HOUR_MS - i * MINUTE_MS)]),
      ...kept.map((id, i): [string, Date] => [id, new Date(cutoff + 3 * HOUR_MS + i * MINUTE_MS)]),
    ]);
    const saved = await saveRetention(RETENTION_DAYS);
    assert.equal(saved.status, 200, JSON.stringify(saved.error));
    const before = await erasures(adminDb());
    // Expired when the sweep runs, whatever else the emulator holds: counted the way the sweep asks.
    const toErase = await expiredCount(new Date(cutoff + HOUR_MS));
    assert.ok(toErase >= expired.length, `the seed is expired: ${toErase}`);

    const res = await post("devFollowUps/sweep", {});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const swept = res.body.retention as Record<string, unknown>;
    assert.deepEqual(
      { ...swept, batches: undefined },
      {
        retentionDays: RETENTION_DAYS,
        erased: toErase,
        skipped: 0,
        batches: undefined,
        done: true,
      },
    );
    assert.deepEqual(await present(adminDb(), expired), { threads: 0, notes: 0 });
    assert.deepEqual(await present(adminDb(), kept), { threads: kept.length, notes: kept.length });
    const after = await erasures(adminDb());
    assert.equal(delta(after, before, "retention"), toErase, "counted in stats/erasures as retention");
    assertCountsOnly(after);
  });
});

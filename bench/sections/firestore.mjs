// The floor: a bare firebase-admin transaction that creates one document and updates another, on
// the same emulator the functions use. Every webhook figure is read against it.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { root, PROJECT_ID } from "../../tools/proc.mjs";
import { ms, now, pool, summarize } from "../stats.mjs";

const require = createRequire(`${root}/functions/package.json`);

/** An admin Firestore client for a project on the emulator (one app per project id). */
export function adminDb(projectId = PROJECT_ID) {
  const { initializeApp, getApps } = require("firebase-admin/app");
  const { getFirestore } = require("firebase-admin/firestore");
  const app =
    getApps().find((a) => a.options.projectId === projectId) ??
    initializeApp({ projectId }, projectId === PROJECT_ID ? undefined : projectId);
  return getFirestore(app);
}

async function bareTransaction(db, parent, child) {
  await db.runTransaction(async (tx) => {
    const snap = await tx.get(db.doc(parent));
    tx.create(db.doc(child), { text: "floor", at: new Date() });
    tx.set(db.doc(parent), { n: (snap.get("n") ?? 0) + 1, at: new Date() });
  });
}

export async function measureFloor({ sequential = 200, total = 1000, concurrency = 20 } = {}) {
  const db = adminDb();
  const run = randomUUID().slice(0, 8);
  await bareTransaction(db, `bench-floor/warm-${run}`, `bench-floor/warm-${run}/c/0`);
  const latencies = [];
  for (let i = 0; i < sequential; i++) {
    const t = now();
    await bareTransaction(db, `bench-floor/seq-${run}`, `bench-floor/seq-${run}/c/${i}`);
    latencies.push(ms(t));
  }
  // Throughput: distinct parents (as distinct conversations), so contention does not decide it.
  const t = now();
  await pool(total, concurrency, (i) =>
    bareTransaction(db, `bench-floor/tp-${run}-${i % 50}`, `bench-floor/tp-${run}-${i % 50}/c/${i}`),
  );
  const seconds = ms(t) / 1000;
  return { latency: summarize(latencies), throughput: { total, concurrency, perSecond: total / seconds } };
}

// Firestore reads and writes per operation, counted by the store layer itself (store/ops.ts),
// calling the same store functions the endpoints call.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { root } from "../../tools/proc.mjs";
import { agentReply, visitorMessage } from "./conversation.mjs";

const require = createRequire(`${root}/functions/package.json`);

async function counted(ops, fn) {
  ops.reset();
  await fn();
  return ops.snapshot();
}

export async function measureOps() {
  const { ops } = require("./lib/store/ops.js");
  const threadId = `bench_ops_${randomUUID().slice(0, 8)}`;
  const firstMessage = await counted(ops, () => visitorMessage(threadId));
  const nextMessage = await counted(ops, () => visitorMessage(threadId));
  const agentReplied = await counted(ops, () => agentReply(threadId));
  const followUps = await followUpOps(ops, threadId);
  return {
    firstMessage,
    nextMessage,
    agentReply: agentReplied,
    ...followUps,
    ...(await eraseOps(ops, threadId)),
    retention: await retentionOps(ops),
  };
}

/**
 * The hourly retention sweep over 1,000 expired threads (one note under each): seeded eleven years
 * back with batched writes, erased with the longest retention period so nothing else is touched.
 */
async function retentionOps(ops, threads = 1000) {
  const { sweepRetention } = require("./lib/lifecycle/retention.js");
  const { adminDb } = await import("./firestore.mjs");
  const db = adminDb();
  const run = randomUUID().slice(0, 8);
  const at = new Date(Date.now() - 4000 * 86_400_000);
  for (let i = 0; i < threads; i += 250) {
    const batch = db.batch();
    for (let j = i; j < Math.min(threads, i + 250); j++) {
      const id = `bench_ret_${run}_${j}`;
      batch.set(db.doc(`threads/${id}`), { origin: "web", status: "open", visitorUids: [], lastActivityAt: at });
      batch.set(db.doc(`threads/${id}/notes/n1`), { text: "bench", createdAt: at });
    }
    await batch.commit();
  }
  const settings = db.doc("settings/business");
  const stored = (await settings.get()).data();
  await settings.set({ retentionDays: 3650 }, { merge: true });
  try {
    let result;
    const t = Date.now();
    const sweep = await counted(ops, async () => {
      result = await sweepRetention(() => new Date());
    });
    return { threads, erased: result.erased, done: result.done, ms: Date.now() - t, ...sweep };
  } finally {
    await (stored ? settings.set(stored) : settings.delete());
  }
}

/** Erasing the bench thread (its messages and follow-up), then erasing it again (nothing left). */
async function eraseOps(ops, threadId) {
  const { eraseThread } = require("./lib/lifecycle/erase.js");
  let result;
  const erase = await counted(ops, async () => {
    result = await eraseThread(threadId, { by: "admin", now: new Date() });
  });
  const eraseAgain = await counted(ops, () => eraseThread(threadId, { by: "admin", now: new Date() }));
  return { erase: { ...erase, documents: result.deleted }, eraseAgain };
}

/**
 * The thread trigger plans this thread's follow-up on its own; once it has, the plan is moved and
 * reviewed again here (what the sweep does for a lost task), then the due follow-up is sent.
 */
async function followUpOps(ops, threadId) {
  const { reviewThread } = require("./lib/followUps/review.js");
  const { deliverFollowUp } = require("./lib/followUps/deliver.js");
  const { getBusinessSettings } = require("./lib/store/settings.js");
  const { adminDb } = await import("./firestore.mjs");
  const thread = adminDb().doc(`threads/${threadId}`);
  for (let i = 0; (await thread.get()).get("followUp.state") !== "planned"; i++) {
    if (i > 480) throw new Error("the thread trigger did not plan a follow-up within 2 minutes");
    await new Promise((r) => setTimeout(r, 250));
  }
  await getBusinessSettings(); // cached per instance, as in a warm function
  const later = new Date(Date.now() + 10 * 86_400_000);
  await thread.update({ "followUp.dueAt": new Date(Date.now() + 5 * 86_400_000) });
  let review;
  const followUpPlan = await counted(ops, async () => {
    review = await reviewThread(threadId, later);
  });
  if (review.action !== "plan") return { followUpPlan };
  const followUpSend = await counted(ops, () => deliverFollowUp({ threadId, taskId: review.followUp.taskId }, later));
  return { followUpPlan, followUpSend };
}

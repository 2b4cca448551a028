import type { DocumentReference } from "firebase-admin/firestore";
import type { ChannelPolicy, Channel } from "../domain/channels";
import type { ContinuityState, Reply } from "../domain/continuity";
import { computeWindows, type ThreadState } from "../domain/thread";
import type { PushSubscription as PushSubscriptionJson } from "../contract/reach";
import { db, firestoreSdk, fromFirestore, toFirestore } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";
import { ThreadNotFound } from "./threads";
import { NotVisitorsThread } from "./visitorThreads";
import { mayUseThread } from "../domain/visitorAccess";

/**
 * Reach data beside the thread (functions only; the rules' default deny keeps clients out):
 * - threads/{id}/pushSubscriptions/{hash(endpoint)}: one document per browser subscription;
 * - threads/{id}/reach/state: continuity bookkeeping (what was notified, opt-outs).
 */
export type ReachThread = ThreadState & { visitorLastSeenAt?: Date };

const ref = (path: string): DocumentReference => db().doc(path);
const now = () => firestoreSdk().FieldValue.serverTimestamp();

function toThread(threadId: string, data: unknown): ReachThread {
  return fromFirestore<ReachThread>({ ...(data as object), id: threadId });
}

export async function readReachThread(threadId: string): Promise<ReachThread | undefined> {
  const snap = await ref(paths.thread(threadId)).get();
  ops.read();
  return snap.exists ? toThread(threadId, snap.data()) : undefined;
}

/** Stores a browser's subscription for a thread its visitor may read; turns on reach.push. */
export async function savePushSubscription(w: {
  threadId: string;
  subscriptionId: string;
  subscription: PushSubscriptionJson;
  visitorUid: string;
  userAgent?: string;
  policies?: Record<Channel, ChannelPolicy>;
  now: Date;
}): Promise<{ created: boolean }> {
  return db().runTransaction(async (tx) => {
    const threadSnap = await tx.get(ref(paths.thread(w.threadId)));
    const subRef = ref(paths.pushSubscription(w.threadId, w.subscriptionId));
    const existing = await tx.get(subRef);
    ops.read(2);
    const thread = threadSnap.exists ? toThread(w.threadId, threadSnap.data()) : undefined;
    if (!thread || !mayUseThread(thread, w.visitorUid, w.now)) throw new NotVisitorsThread(w.threadId);
    tx.set(
      subRef,
      toFirestore({
        endpoint: w.subscription.endpoint,
        keys: w.subscription.keys,
        expirationTime: w.subscription.expirationTime ?? null,
        visitorUid: w.visitorUid,
        userAgent: w.userAgent?.slice(0, 200),
        createdAt: existing.exists ? existing.get("createdAt") : now(),
        updatedAt: now(),
      }),
    );
    const withPush: ThreadState = { ...thread, reach: { ...thread.reach, push: true } };
    tx.update(threadSnap.ref, { "reach.push": true, windows: computeWindows(withPush, w.policies), updatedAt: now() });
    ops.write(2);
    return { created: !existing.exists };
  });
}

export interface StoredSubscription {
  id: string;
  subscription: PushSubscriptionJson;
}

export async function listPushSubscriptions(threadId: string): Promise<StoredSubscription[]> {
  const snap = await db().collection(paths.pushSubscriptions(threadId)).limit(20).get();
  ops.read(Math.max(1, snap.size));
  return snap.docs.map((d) => ({
    id: d.id,
    subscription: { endpoint: d.get("endpoint") as string, keys: d.get("keys") as PushSubscriptionJson["keys"] },
  }));
}

/** A dead subscription (404/410) is deleted; with none left the thread stops offering web push. */
export async function removePushSubscription(
  threadId: string,
  subscriptionId: string,
  policies?: Record<Channel, ChannelPolicy>,
): Promise<{ remaining: number }> {
  return db().runTransaction(async (tx) => {
    const rest = await tx.get(db().collection(paths.pushSubscriptions(threadId)).limit(21));
    const threadSnap = await tx.get(ref(paths.thread(threadId)));
    ops.read(Math.max(1, rest.size) + 1);
    const remaining = rest.docs.filter((d) => d.id !== subscriptionId).length;
    tx.delete(ref(paths.pushSubscription(threadId, subscriptionId)));
    ops.write();
    if (remaining === 0 && threadSnap.exists) {
      const thread = toThread(threadId, threadSnap.data());
      const withoutPush: ThreadState = { ...thread, reach: { ...thread.reach, push: false } };
      tx.update(threadSnap.ref, {
        "reach.push": false,
        windows: computeWindows(withoutPush, policies),
        updatedAt: now(),
      });
      ops.write();
    }
    return { remaining };
  });
}

export async function readContinuityState(
  threadId: string,
): Promise<ContinuityState & { sending?: { key: string; at: Date } }> {
  const snap = await ref(paths.reachState(threadId)).get();
  ops.read();
  return snap.exists ? fromFirestore(snap.data()) : {};
}

/** Agent and bot replies created after `since` (one range on createdAt: no composite index). */
export async function repliesSince(threadId: string, since: Date | undefined): Promise<Reply[]> {
  let query = db().collection(paths.messages(threadId)).orderBy("createdAt");
  if (since) query = query.where("createdAt", ">", since);
  const snap = await query.limit(100).get();
  ops.read(Math.max(1, snap.size));
  return snap.docs
    .map((d) => fromFirestore<Reply>({ ...d.data(), id: d.id }))
    .filter((m) => m.from === "agent" || m.from === "bot");
}

export type Claim = "claimed" | "already_sent" | "in_progress";

/** How long a claimed notification may be "being sent" before another delivery may take over. */
export const CLAIM_LEASE_MS = 2 * 60_000;

/**
 * Claims a notification before sending it (at-least-once delivery of tasks): a second delivery of
 * the same batch finds it sent, or being sent by a live holder, and does not send again.
 */
export async function claimNotification(
  threadId: string,
  key: string,
  notifiedThrough: Date,
  at: Date,
): Promise<Claim> {
  return db().runTransaction(async (tx) => {
    const stateRef = ref(paths.reachState(threadId));
    const snap = await tx.get(stateRef);
    ops.read();
    const state = snap.exists
      ? fromFirestore<ContinuityState & { sending?: { key: string; at: Date } }>(snap.data())
      : {};
    if (state.notifiedThrough && state.notifiedThrough.getTime() >= notifiedThrough.getTime()) return "already_sent";
    if (state.sending && state.sending.key === key && at.getTime() - state.sending.at.getTime() < CLAIM_LEASE_MS)
      return "in_progress";
    tx.set(stateRef, { sending: { key, at } }, { merge: true });
    ops.write();
    return "claimed";
  });
}

/**
 * Records a sent notification; `threads/{id}.lastContinuityAt` tells the follow-up planner (issue 6)
 * that the visitor was reached, so a visitor who writes back counts as a recovered lead.
 */
export async function completeNotification(
  threadId: string,
  w: { key: string; notifiedThrough: Date; channel: string; replyIds: string[]; at: Date },
): Promise<void> {
  const batch = db().batch();
  batch.set(
    ref(paths.reachState(threadId)),
    {
      notifiedThrough: w.notifiedThrough,
      sending: firestoreSdk().FieldValue.delete(),
      lastNotification: { key: w.key, channel: w.channel, replyIds: w.replyIds, at: w.at },
    },
    { merge: true },
  );
  batch.update(ref(paths.thread(threadId)), { lastContinuityAt: w.at, lastContinuityChannel: w.channel });
  await batch.commit();
  ops.write(2);
}

/** Gives up a claim after a failed send, so the task's retry may claim it at once. */
export async function releaseNotification(threadId: string, key: string): Promise<void> {
  await db().runTransaction(async (tx) => {
    const stateRef = ref(paths.reachState(threadId));
    const snap = await tx.get(stateRef);
    ops.read();
    if (snap.get("sending.key") !== key) return;
    tx.update(stateRef, { sending: firestoreSdk().FieldValue.delete() });
    ops.write();
  });
}

/** The email's unsubscribe link: no more continuity email for this thread (until they give an email again). */
export async function unsubscribeEmail(
  threadId: string,
  at: Date,
  policies?: Record<Channel, ChannelPolicy>,
): Promise<{ changed: boolean }> {
  return db().runTransaction(async (tx) => {
    const threadSnap = await tx.get(ref(paths.thread(threadId)));
    const stateRef = ref(paths.reachState(threadId));
    const state = await tx.get(stateRef);
    ops.read(2);
    if (!threadSnap.exists) throw new ThreadNotFound(threadId);
    if (state.get("emailUnsubscribedAt") && threadSnap.get("reach.email") === false) return { changed: false };
    const thread = toThread(threadId, threadSnap.data());
    const withoutEmail: ThreadState = { ...thread, reach: { ...thread.reach, email: false } };
    tx.update(threadSnap.ref, {
      "reach.email": false,
      windows: computeWindows(withoutEmail, policies),
      updatedAt: now(),
    });
    tx.set(stateRef, { emailUnsubscribedAt: at }, { merge: true });
    ops.write(2);
    return { changed: true };
  });
}

/** The last continuity decision for the thread (the console can say "not emailed: seen"; tests wait on it). */
export async function recordContinuityCheck(
  threadId: string,
  check: { messageId: string; action: "skip" | "sent"; reason?: string; channel?: string; at: Date },
): Promise<void> {
  await ref(paths.reachState(threadId)).set({ lastCheck: toFirestore(check) }, { merge: true });
  ops.write();
}

import type { DocumentReference } from "firebase-admin/firestore";
import { paths } from "../contract/paths";
import type { AlertState } from "../domain/agentAlerts";
import { db, fromFirestore, toFirestore } from "./db";
import { ops } from "./ops";

/**
 * Agent alerts' data (docs/console.md): the agents (agents/{uid}: email, emailWhenAway), their
 * console heartbeats (agents/{uid}/presence/console, written by the console itself), and each
 * agent's alert state per thread (threads/{id}/agentAlerts/{uid}, erased with the thread).
 */
const ref = (path: string): DocumentReference => db().doc(path);

export interface AlertAgent {
  uid: string;
  email: string;
  /** Their last console heartbeat, if any. */
  lastHeartbeat?: Date;
}

/** Agents with an address who have not turned alerts off, with their last heartbeat: N agents, 2N reads. */
export async function agentsWithAlertsOn(): Promise<AlertAgent[]> {
  const snap = await db().collection(paths.agents).get();
  ops.read(Math.max(1, snap.size));
  const agents = snap.docs
    .filter((d) => typeof d.get("email") === "string" && d.get("emailWhenAway") !== false)
    .map((d) => ({ uid: d.id, email: d.get("email") as string }));
  if (agents.length === 0) return [];
  const presence = await db().getAll(...agents.map((a) => ref(paths.agentPresence(a.uid))));
  ops.read(agents.length);
  return agents.map((a, i) => ({
    ...a,
    lastHeartbeat: presence[i]!.exists ? toDate(presence[i]!.get("at")) : undefined,
  }));
}

/** One agent, for the task: undefined when they left or turned alerts off since. */
export async function alertAgent(uid: string): Promise<AlertAgent | undefined> {
  const [agent, presence] = await db().getAll(ref(paths.agent(uid)), ref(paths.agentPresence(uid)));
  ops.read(2);
  const email = agent!.get("email") as unknown;
  if (!agent!.exists || typeof email !== "string" || agent!.get("emailWhenAway") === false) return undefined;
  return { uid, email, lastHeartbeat: presence!.exists ? toDate(presence!.get("at")) : undefined };
}

function toDate(value: unknown): Date | undefined {
  const v = fromFirestore<unknown>(value);
  return v instanceof Date ? v : undefined;
}

function toState(data: unknown): AlertState | undefined {
  return data ? fromFirestore<AlertState>(data) : undefined;
}

/**
 * Runs `plan` on an agent's alert state for the thread in a transaction and stores the time it
 * returns as the next email's due time. Nothing is written under a thread that no longer exists
 * (erased meanwhile). 2 reads, at most 1 write.
 */
export async function scheduleAlert(
  threadId: string,
  uid: string,
  plan: (state: AlertState | undefined) => Date | undefined,
): Promise<Date | undefined> {
  return db().runTransaction(async (tx) => {
    const [thread, state] = await Promise.all([
      tx.get(ref(paths.thread(threadId))),
      tx.get(ref(paths.agentAlert(threadId, uid))),
    ]);
    ops.read(2);
    if (!thread.exists) return undefined;
    const dueAt = plan(toState(state.data()));
    if (!dueAt) return undefined;
    tx.set(state.ref, { scheduledFor: dueAt }, { merge: true });
    ops.write();
    return dueAt;
  });
}

export async function readAlertState(threadId: string, uid: string): Promise<AlertState | undefined> {
  const snap = await ref(paths.agentAlert(threadId, uid)).get();
  ops.read();
  return toState(snap.data());
}

/**
 * Claims the email due at `dueAt` before sending it: only while that is still the scheduled one,
 * so a repeated task sends nothing. Returns the state before the claim (to release it if the send
 * fails), or undefined when another run claimed it. 2 reads, 1 write.
 */
export async function claimAlert(
  threadId: string,
  uid: string,
  w: { dueAt: Date; sentAt: Date; sentThrough: Date },
): Promise<AlertState | undefined> {
  return db().runTransaction(async (tx) => {
    const [thread, snap] = await Promise.all([
      tx.get(ref(paths.thread(threadId))),
      tx.get(ref(paths.agentAlert(threadId, uid))),
    ]);
    ops.read(2);
    // Erased meanwhile: write nothing under it.
    if (!thread.exists) return undefined;
    const state = toState(snap.data());
    if (state?.scheduledFor?.getTime() !== w.dueAt.getTime()) return undefined;
    tx.set(snap.ref, { lastSentAt: w.sentAt, sentThrough: w.sentThrough, scheduledFor: null }, { merge: true });
    ops.write();
    return state;
  });
}

/** The send failed: put the claimed state back so the task's retry finds its email still due. */
export async function releaseAlert(threadId: string, uid: string, before: AlertState): Promise<void> {
  await ref(paths.agentAlert(threadId, uid)).set(
    toFirestore({
      lastSentAt: before.lastSentAt ?? null,
      sentThrough: before.sentThrough ?? null,
      scheduledFor: before.scheduledFor ?? null,
    }),
  );
  ops.write();
}

/**
 * The visitor's messages after `since` (all of them without), oldest first: the newest `limit`
 * messages are read and the agents' own filtered out here, so no composite index is needed.
 */
export async function visitorMessagesSince(
  threadId: string,
  since: Date | undefined,
  limit = 50,
): Promise<Array<{ text: string; createdAt: Date }>> {
  let query = db().collection(paths.messages(threadId)).orderBy("createdAt", "desc");
  if (since) query = query.where("createdAt", ">", since);
  const snap = await query.limit(limit).get();
  ops.read(Math.max(1, snap.size));
  return snap.docs
    .map((d) => fromFirestore<{ from?: string; text?: string; createdAt: Date }>(d.data()))
    .filter((m) => m.from === "visitor")
    .map((m) => ({ text: m.text ?? "", createdAt: m.createdAt }))
    .reverse();
}

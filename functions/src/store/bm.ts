import { FieldValue, Timestamp, type DocumentReference } from "firebase-admin/firestore";
import { advanceDelivery, type Delivery, type DeliveryState } from "../domain/delivery";
import type { MessageRecord, ThreadState } from "../domain/thread";
import { db, fromFirestore, toFirestore } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";

/**
 * Business Messages state kept beside a thread. Paths (all under threads/{threadId}):
 *   signals/typing      visitor typing signal (never on the thread document: write rate)
 *   bmInbound/{id}      survey and authentication responses, keyed by requestId
 *   bm/sendRate         per-conversation send counter (Google allows 60 messages a minute)
 * and at the top level bmUnhandled/{id}: signed bodies we could not act on (capped, with a TTL).
 * and on outbound messages: `bm.messageIds` (the UUIDs sent) and `bm.receipts` (receipts seen).
 */
const ALREADY_EXISTS = 6;
export const BM_SEND_PER_MINUTE = 60;

const ref = (path: string): DocumentReference => db().doc(path);

function isAlreadyExists(err: unknown): boolean {
  return (err as { code?: unknown })?.code === ALREADY_EXISTS;
}

const RECEIPT_STATES: Record<string, DeliveryState> = { DELIVERED: "delivered", READ: "read" };

export interface ReceiptOutcome {
  applied: number;
  duplicates: number;
  unknown: number;
}

/**
 * Receipts for our outbound messages, in one transaction. Each (message, receipt type) is applied
 * once: it is remembered on the message, so a repeated receipt changes nothing.
 */
export async function recordBmReceipts(
  threadId: string,
  receipts: { messageId: string; receiptType: string }[],
  at: Date,
): Promise<ReceiptOutcome> {
  const wanted = receipts.filter((r) => RECEIPT_STATES[r.receiptType]);
  const outcome: ReceiptOutcome = { applied: 0, duplicates: 0, unknown: receipts.length - wanted.length };
  if (wanted.length === 0) return outcome;
  const result = await db().runTransaction(async (tx) => {
    const o: ReceiptOutcome = { ...outcome };
    const updates = new Map<string, { ref: DocumentReference; data: Record<string, unknown>; state: DeliveryState }>();
    const found = new Map<string, { ref: DocumentReference; data: Record<string, unknown> } | null>();
    for (const r of wanted) {
      if (!found.has(r.messageId)) {
        const q = await tx.get(
          db().collection(paths.messages(threadId)).where("bm.messageIds", "array-contains", r.messageId).limit(1),
        );
        ops.read(Math.max(1, q.size));
        const doc = q.docs[0];
        found.set(r.messageId, doc ? { ref: doc.ref, data: doc.data() } : null);
      }
      const hit = found.get(r.messageId);
      if (!hit) {
        o.unknown += 1;
        continue;
      }
      const pending = updates.get(hit.ref.path);
      const seen = (hit.data.bm as { receipts?: Record<string, Record<string, unknown>> } | undefined)?.receipts?.[
        r.messageId
      ]?.[r.receiptType];
      const key = `bm.receipts.${r.messageId}.${r.receiptType}`;
      if (seen || pending?.data[key]) {
        o.duplicates += 1;
        continue;
      }
      const current = pending?.state ?? (hit.data.delivery as Delivery | undefined)?.state ?? "sent";
      const next = advanceDelivery(current, RECEIPT_STATES[r.receiptType]!);
      const entry = pending ?? { ref: hit.ref, data: {}, state: current };
      entry.data[key] = at;
      entry.state = next;
      updates.set(hit.ref.path, entry);
      o.applied += 1;
    }
    for (const u of updates.values()) {
      tx.update(u.ref, { ...u.data, "delivery.state": u.state });
      ops.write();
    }
    return o;
  });
  return result;
}

/** The visitor's typing signal: one small document of its own, off the thread. */
export async function recordTypingSignal(threadId: string, isTyping: boolean, at: Date): Promise<void> {
  await ref(paths.visitorTyping(threadId)).set({ visitorTyping: isTyping, channel: "bm", at });
  ops.write();
}

/**
 * The visitor asked for a human: the thread is flagged (and created from the context when this
 * is the first thing we hear). Asking again while flagged writes nothing.
 */
export async function flagLiveAgentRequest(w: {
  threadId: string;
  createThread: () => ThreadState;
  refreshThread: (t: ThreadState) => ThreadState;
  at: Date;
}): Promise<{ changed: boolean }> {
  return db().runTransaction(async (tx) => {
    const snap = await tx.get(ref(paths.thread(w.threadId)));
    ops.read();
    const current = snap.exists ? fromFirestore<ThreadState>({ ...snap.data(), id: w.threadId }) : w.createThread();
    if (current.bm?.liveAgentRequestedAt) return { changed: false };
    const refreshed = w.refreshThread(current);
    const next: ThreadState = {
      ...refreshed,
      status: "open",
      bm: { ...refreshed.bm!, liveAgentRequestedAt: w.at },
      lastActivityAt: w.at.getTime() > refreshed.lastActivityAt.getTime() ? w.at : refreshed.lastActivityAt,
    };
    const { id: _id, ...doc } = next;
    tx.set(ref(paths.thread(w.threadId)), { ...toFirestore(doc), updatedAt: FieldValue.serverTimestamp() });
    ops.write();
    return { changed: true };
  });
}

/** Survey and authentication responses, stored once per requestId. */
export async function recordBmInbound(
  threadId: string,
  id: string,
  doc: Record<string, unknown>,
): Promise<{ duplicate: boolean }> {
  try {
    await ref(paths.bmInbound(threadId, id)).create(toFirestore(doc));
    ops.write();
    return { duplicate: false };
  } catch (err) {
    if (isAlreadyExists(err)) return { duplicate: true };
    throw err;
  }
}

export type RepresentativeEvent = "REPRESENTATIVE_JOINED" | "REPRESENTATIVE_LEFT";

export interface StoredOutbound {
  message: MessageRecord & {
    bm?: { messageIds?: string[]; transition?: RepresentativeEvent };
    delivery: Delivery & { partsSent?: number };
  };
  thread: ThreadState;
}

export type ClaimPlan =
  | {
      send: true;
      messageIds: string[];
      /** Who speaks in this message: becomes the thread's `bm.speaker`. */
      speaker: "BOT" | "HUMAN";
      /** The event to send first (kept on the message, so a retry still sends it once). */
      transition?: RepresentativeEvent;
    }
  | { send: false; reason: string };

export type ClaimOutcome =
  | { outcome: "skip"; why: string }
  | { outcome: "refused"; reason: string }
  | { outcome: "rate-limited" }
  | {
      outcome: "send";
      stored: StoredOutbound;
      messageIds: string[];
      partsSent: number;
      transition?: RepresentativeEvent;
    };

/**
 * Starts one delivery attempt in one transaction: only a pending `bm` message is sent; the plan
 * (window check, UUIDs) is decided against the data read here; the attempt and the UUIDs are
 * written before the call, so a receipt that beats our "sent" write still finds its message.
 */
export async function claimBmDelivery(w: {
  threadId: string;
  messageId: string;
  now: Date;
  plan: (s: StoredOutbound) => ClaimPlan;
}): Promise<ClaimOutcome> {
  return db().runTransaction(async (tx) => {
    const [threadSnap, messageSnap, rateSnap] = await tx.getAll(
      ref(paths.thread(w.threadId)),
      ref(paths.message(w.threadId, w.messageId)),
      ref(paths.bmSendRate(w.threadId)),
    );
    ops.read(3);
    if (!threadSnap!.exists || !messageSnap!.exists) return { outcome: "skip", why: "thread or message missing" };
    const message = fromFirestore<StoredOutbound["message"]>({ ...messageSnap!.data(), id: w.messageId });
    if (message.delivery?.channel !== "bm") return { outcome: "skip", why: "not a Business Messages delivery" };
    if (message.delivery.state !== "pending") return { outcome: "skip", why: `already ${message.delivery.state}` };
    const stored: StoredOutbound = {
      message,
      thread: fromFirestore<ThreadState>({ ...threadSnap!.data(), id: w.threadId }),
    };
    const plan = w.plan(stored);
    if (!plan.send) {
      tx.update(messageSnap!.ref, {
        "delivery.state": "failed",
        "delivery.error": plan.reason,
        "delivery.failedAt": w.now,
      });
      ops.write();
      return { outcome: "refused", reason: plan.reason };
    }
    const partsSent = message.delivery.partsSent ?? 0;
    const rate = rateSnap!.exists ? fromFirestore<{ windowStart: Date; count: number }>(rateSnap!.data()) : undefined;
    const fresh = !rate || w.now.getTime() - rate.windowStart.getTime() >= 60_000;
    const toSend = plan.messageIds.length - partsSent;
    if (!fresh && rate!.count + toSend > BM_SEND_PER_MINUTE) return { outcome: "rate-limited" };
    tx.set(
      rateSnap!.ref,
      fresh ? { windowStart: w.now, count: toSend } : { windowStart: rate!.windowStart, count: rate!.count + toSend },
    );
    tx.update(messageSnap!.ref, {
      "delivery.attempts": FieldValue.increment(1),
      "bm.messageIds": plan.messageIds,
      ...(plan.transition ? { "bm.transition": plan.transition } : {}),
    });
    ops.write(2);
    if (stored.thread.bm && stored.thread.bm.speaker !== plan.speaker) {
      tx.update(threadSnap!.ref, { "bm.speaker": plan.speaker, "bm.speakerBy": FieldValue.delete() });
      ops.write();
    }
    return { outcome: "send", stored, messageIds: plan.messageIds, partsSent, transition: plan.transition };
  });
}

/** Records progress of a split message, so a retry resumes after the parts Google already took. */
export async function recordBmPartsSent(threadId: string, messageId: string, partsSent: number): Promise<void> {
  await ref(paths.message(threadId, messageId)).update({ "delivery.partsSent": partsSent });
  ops.write();
}

/** Every part accepted: `sent`, unless a receipt already moved the state further. */
export async function markBmSent(threadId: string, messageId: string, at: Date): Promise<void> {
  await db().runTransaction(async (tx) => {
    const snap = await tx.get(ref(paths.message(threadId, messageId)));
    ops.read();
    const delivery = snap.get("delivery") as Delivery | undefined;
    if (!delivery) return;
    tx.update(snap.ref, {
      "delivery.state": advanceDelivery(delivery.state, "sent"),
      "delivery.sentAt": at,
      "delivery.error": FieldValue.delete(),
    });
    ops.write();
  });
}

/**
 * A permanent failure: the message is `failed` with a reason an agent can read. When Google says
 * the conversation is gone, the thread stops offering Business Messages until the visitor writes.
 */
export async function markBmFailed(
  threadId: string,
  messageId: string,
  reason: string,
  opts: { unreachable: boolean; at: Date },
): Promise<void> {
  await db().runTransaction(async (tx) => {
    const snap = await tx.get(ref(paths.message(threadId, messageId)));
    ops.read();
    const delivery = snap.get("delivery") as Delivery | undefined;
    if (!delivery) return;
    const state = advanceDelivery(delivery.state, "failed");
    if (state !== "failed") return;
    tx.update(snap.ref, { "delivery.state": state, "delivery.error": reason, "delivery.failedAt": opts.at });
    ops.write();
    if (opts.unreachable) {
      tx.update(ref(paths.thread(threadId)), { "reach.bm": false, "bm.unreachableSince": opts.at });
      ops.write();
    }
  });
}

/**
 * Claims the switch of who speaks on a Business Messages thread for a REPRESENTATIVE_JOINED / LEFT
 * event, in a transaction like the message deliveries that switch it too. True when this event
 * makes the switch (or made it, on a retry of the same event); false when the thread already has
 * that speaker, e.g. an agent's reply went out first, introduced by its own JOINED: the phone must
 * not show the agent joining twice. 1 read, at most 1 write.
 */
export async function claimBmSpeaker(threadId: string, speaker: "BOT" | "HUMAN", eventId: string): Promise<boolean> {
  return db().runTransaction(async (tx) => {
    const snap = await tx.get(ref(paths.thread(threadId)));
    ops.read();
    if (!snap.exists) return false;
    if (snap.get("bm.speaker") === speaker) return snap.get("bm.speakerBy") === eventId;
    tx.update(snap.ref, { "bm.speaker": speaker, "bm.speakerBy": eventId });
    ops.write();
    return true;
  });
}

/** The name an agent shows to visitors (agents/{uid}.displayName), for REPRESENTATIVE_JOINED. */
export async function agentDisplayName(uid: string): Promise<string | undefined> {
  const snap = await ref(paths.agent(uid)).get();
  ops.read();
  const name = snap.get("displayName");
  return typeof name === "string" && name ? name : undefined;
}

/** An agent's Business Messages avatar (agents/{uid}.avatarUrl, https only), for representative.avatarImage. */
export async function agentAvatarUrl(uid: string): Promise<string | undefined> {
  const snap = await ref(paths.agent(uid)).get();
  ops.read();
  const url = snap.get("avatarUrl");
  return typeof url === "string" && url.startsWith("https://") ? url : undefined;
}

/** How many unhandled bodies are kept (the newest), and for how long at most (TTL policy on expireAt). */
export const BM_UNHANDLED_KEEP = 100;
export const BM_UNHANDLED_TTL_MS = 7 * 86_400_000;
/** The stored body is for a person to look at, not an archive. */
const BM_UNHANDLED_BODY_MAX = 8 * 1024;

/**
 * Keeps a signed body we could not act on, for inspection: once per id (a redelivery changes
 * nothing), then prunes everything beyond the newest BM_UNHANDLED_KEEP. Such bodies are rare,
 * so the prune query costs nothing in practice; the TTL bounds them even if pruning fails.
 */
export async function recordBmUnhandled(
  id: string,
  entry: { reason: string; kinds: string[]; conversationId?: string; requestId?: string; body: string },
  at: Date,
): Promise<{ duplicate: boolean; pruned: number }> {
  const body = entry.body.length > BM_UNHANDLED_BODY_MAX ? entry.body.slice(0, BM_UNHANDLED_BODY_MAX) : entry.body;
  try {
    await ref(paths.bmUnhandledEntry(id)).create({
      reason: entry.reason,
      kinds: entry.kinds,
      ...(entry.conversationId ? { conversationId: entry.conversationId } : {}),
      ...(entry.requestId ? { requestId: entry.requestId } : {}),
      body,
      bodyTruncated: body.length < entry.body.length,
      receivedAt: at,
      expireAt: Timestamp.fromMillis(at.getTime() + BM_UNHANDLED_TTL_MS),
    });
    ops.write();
  } catch (err) {
    if (isAlreadyExists(err)) return { duplicate: true, pruned: 0 };
    throw err;
  }
  const old = await db()
    .collection(paths.bmUnhandled)
    .orderBy("receivedAt", "desc")
    .offset(BM_UNHANDLED_KEEP)
    .limit(50)
    .select()
    .get();
  ops.read(Math.max(1, old.size));
  if (old.empty) return { duplicate: false, pruned: 0 };
  const batch = db().batch();
  for (const d of old.docs) batch.delete(d.ref);
  await batch.commit();
  ops.write(old.size);
  return { duplicate: false, pruned: old.size };
}

import type { DocumentReference, Transaction } from "firebase-admin/firestore";
import { paths } from "../contract/paths";
import { hashId } from "../domain/ids";
import type { ThreadState } from "../domain/thread";
import {
  admitDevice,
  canAdmitDevice,
  mayUseThread,
  signOutOthers,
  type DeviceVia,
  type LinkDevice,
} from "../domain/visitorAccess";
import { db, firestoreSdk, fromFirestore, toFirestore } from "./db";
import { ops } from "./ops";
import { ThreadNotFound } from "./threads";

/**
 * Devices admitted to a thread by an emailed link or a handoff code (docs/reach.md). A link or a
 * code is exchanged ONCE, for one device: what is stored is its hash (never the link or the code),
 * the thread and the device that used it. The documents carry `expireAt` (TTL policy in
 * firestore.indexes.json) so they go once they could no longer be presented.
 */
export type DeviceThread = ThreadState & { linkDevices?: Record<string, LinkDevice> };

/** The link or code was already exchanged by another device. */
export class AlreadyUsed extends Error {}
/** The code is unknown or too old (said the same way: nothing about why leaks). */
export class CodeInvalid extends Error {}
/** The thread's reach window is closed: a new device would get access that has already ended. */
export class WindowClosed extends Error {}

const ref = (path: string): DocumentReference => db().doc(path);

async function readThread(tx: Transaction, threadId: string): Promise<DeviceThread> {
  const snap = await tx.get(ref(paths.thread(threadId)));
  ops.read();
  if (!snap.exists) throw new ThreadNotFound(threadId);
  return fromFirestore<DeviceThread>({ ...snap.data(), id: threadId });
}

/** Adds the device to the thread inside `tx`; false when it was already there. */
function admit(tx: Transaction, thread: DeviceThread, uid: string, via: DeviceVia, now: Date): boolean {
  const fields = admitDevice(thread, uid, via, now);
  if (!fields) return false;
  tx.update(ref(paths.thread(thread.id)), {
    visitorUids: fields.visitorUids,
    linkDevices: toFirestore(fields.linkDevices),
    updatedAt: firestoreSdk().FieldValue.serverTimestamp(),
  });
  ops.write();
  return true;
}

/**
 * Exchanges a verified resume link for this device's access: one transaction (2 reads, ≤ 2 writes).
 * The same device may present the same link again (a reload); another device may not.
 */
export async function exchangeLink(w: {
  threadId: string;
  nonce: string;
  linkExpiresAt: Date;
  uid: string;
  now: Date;
}): Promise<{ attached: boolean; accessUntil?: Date }> {
  return db().runTransaction(async (tx) => {
    const useRef = ref(paths.linkUse(hashId("link", w.nonce)));
    const use = await tx.get(useRef);
    const thread = await readThread(tx, w.threadId);
    ops.read();
    const usedBy = use.get("uid") as string | undefined;
    if (usedBy && usedBy !== w.uid) throw new AlreadyUsed();
    if (!mayUseThread(thread, w.uid, w.now) && !canAdmitDevice(thread, w.now)) throw new WindowClosed();
    if (!use.exists) {
      tx.create(useRef, { threadId: w.threadId, uid: w.uid, at: w.now, expireAt: w.linkExpiresAt });
      ops.write();
    }
    const attached = admit(tx, thread, w.uid, "link", w.now);
    return { attached, accessUntil: thread.windows.web };
  });
}

/** How long a handoff code may wait in the URL before it is redeemed. */
export const HANDOFF_TTL_MS = 10 * 60_000;

/** A one-time code for the business's own site, made by a device that may use the thread. */
export async function createHandoff(w: {
  threadId: string;
  uid: string;
  code: string;
  now: Date;
}): Promise<{ expiresAt: Date }> {
  return db().runTransaction(async (tx) => {
    const thread = await readThread(tx, w.threadId);
    if (!mayUseThread(thread, w.uid, w.now)) throw new ThreadNotFound(w.threadId);
    const expiresAt = new Date(w.now.getTime() + HANDOFF_TTL_MS);
    tx.create(ref(paths.handoffCode(hashId("handoff", w.code))), {
      threadId: w.threadId,
      by: w.uid,
      at: w.now,
      expireAt: expiresAt,
    });
    ops.write();
    return { expiresAt };
  });
}

/** Redeems a handoff code for this device: single use, before it expires, while the window is open. */
export async function redeemHandoff(w: { code: string; uid: string; now: Date }): Promise<{ threadId: string }> {
  return db().runTransaction(async (tx) => {
    const codeRef = ref(paths.handoffCode(hashId("handoff", w.code)));
    const snap = await tx.get(codeRef);
    ops.read();
    if (!snap.exists) throw new CodeInvalid();
    const code = fromFirestore<{ threadId: string; expireAt: Date; usedBy?: string }>(snap.data());
    if (code.usedBy && code.usedBy !== w.uid) throw new CodeInvalid();
    if (!code.usedBy && w.now.getTime() >= code.expireAt.getTime()) throw new CodeInvalid();
    const thread = await readThread(tx, code.threadId);
    if (!canAdmitDevice(thread, w.now)) throw new CodeInvalid();
    if (!code.usedBy) {
      tx.update(codeRef, { usedBy: w.uid, usedAt: w.now });
      ops.write();
    }
    admit(tx, thread, w.uid, "handoff", w.now);
    return { threadId: code.threadId };
  });
}

/** "Sign out other devices" (domain/visitorAccess.ts `signOutOthers`): one transaction, 1 read, ≤ 1 write. */
export async function signOutOtherDevices(w: { threadId: string; uid: string; now: Date }): Promise<number> {
  return db().runTransaction(async (tx) => {
    const thread = await readThread(tx, w.threadId);
    if (!mayUseThread(thread, w.uid, w.now)) throw new ThreadNotFound(w.threadId);
    const next = signOutOthers(thread, w.uid);
    if (!next) return 0;
    tx.update(ref(paths.thread(w.threadId)), {
      visitorUids: next.visitorUids,
      linkDevices: toFirestore(next.linkDevices),
      updatedAt: firestoreSdk().FieldValue.serverTimestamp(),
    });
    ops.write();
    return next.removed;
  });
}

/** How long a confirmation link for a new email address stays valid. */
export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60_000;

/** A new address asked for from a link device, waiting for its confirmation (keyed by the code's hash). */
export async function recordEmailChange(w: {
  code: string;
  threadId: string;
  email: string;
  locale: string;
  uid: string;
  now: Date;
}): Promise<void> {
  await ref(paths.emailChange(hashId("email", w.code))).create({
    threadId: w.threadId,
    email: w.email,
    locale: w.locale,
    uid: w.uid,
    at: w.now,
    expireAt: new Date(w.now.getTime() + EMAIL_CHANGE_TTL_MS),
  });
  ops.write();
}

/**
 * The new address's owner opened the confirmation: the change takes effect (one transaction). Unknown,
 * used and expired codes are CodeInvalid alike.
 */
export async function confirmEmailChange(
  code: string,
  now: Date,
  apply: (thread: ThreadState, change: { email: string; locale: string; at: Date }) => Record<string, unknown>,
): Promise<{ threadId: string }> {
  return db().runTransaction(async (tx) => {
    const codeRef = ref(paths.emailChange(hashId("email", code)));
    const snap = await tx.get(codeRef);
    ops.read();
    if (!snap.exists) throw new CodeInvalid();
    const change = fromFirestore<{ threadId: string; email: string; locale: string; expireAt: Date; usedAt?: Date }>(
      snap.data(),
    );
    if (change.usedAt || now.getTime() >= change.expireAt.getTime()) throw new CodeInvalid();
    const thread = await readThread(tx, change.threadId);
    tx.update(ref(paths.thread(change.threadId)), {
      ...toFirestore(apply(thread, { email: change.email, locale: change.locale, at: now })),
      updatedAt: firestoreSdk().FieldValue.serverTimestamp(),
    });
    tx.update(codeRef, { usedAt: now });
    ops.write(2);
    return { threadId: change.threadId };
  });
}

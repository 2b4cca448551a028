import type { DocumentReference, Transaction } from "firebase-admin/firestore";
import { NotFound, Refused } from "../domain/errors";
import type { SendDecision } from "../domain/channels";
import type { Delivery } from "../domain/delivery";
import { applyAgentMessage, applyVisitorMessage, type MessageRecord, type ThreadState } from "../domain/thread";
import type { Channel, ChannelPolicy } from "../domain/channels";
import { db, firestoreSdk, fromFirestore, toFirestore } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";

const ALREADY_EXISTS = 6;

function threadRef(threadId: string): DocumentReference {
  return db().doc(paths.thread(threadId));
}

function messageRef(threadId: string, messageId: string): DocumentReference {
  return db().doc(paths.message(threadId, messageId));
}

async function readThread(tx: Transaction, threadId: string): Promise<ThreadState | undefined> {
  const snap = await tx.get(threadRef(threadId));
  ops.read();
  return snap.exists ? fromFirestore<ThreadState>({ ...snap.data(), id: threadId }) : undefined;
}

function threadDoc(thread: ThreadState): Record<string, unknown> {
  const { id: _id, ...rest } = thread;
  return { ...toFirestore(rest), updatedAt: firestoreSdk().FieldValue.serverTimestamp() };
}

function messageDoc(message: MessageRecord): Record<string, unknown> {
  const { id: _id, ...rest } = message;
  return toFirestore(rest);
}

function isAlreadyExists(err: unknown): boolean {
  return (err as { code?: unknown })?.code === ALREADY_EXISTS;
}

export interface VisitorMessageWrite {
  threadId: string;
  /** Builds the thread when this is the visitor's first message. */
  createThread: () => ThreadState;
  /** Changes to an existing thread carried by this message (context, identity). */
  refreshThread?: (thread: ThreadState) => ThreadState;
  message: MessageRecord;
  anchor: Date;
  receivedAt: Date;
  policies?: Record<Channel, ChannelPolicy>;
}

export type VisitorMessageResult = { duplicate: false; thread: ThreadState } | { duplicate: true };

/**
 * One transaction, one read, two writes: the message is created under its deterministic id
 * (a retry fails the create and changes nothing) and the thread is rolled forward.
 */
export async function recordVisitorMessage(w: VisitorMessageWrite): Promise<VisitorMessageResult> {
  try {
    const thread = await db().runTransaction(async (tx) => {
      const current = (await readThread(tx, w.threadId)) ?? w.createThread();
      const refreshed = w.refreshThread ? w.refreshThread(current) : current;
      const next = applyVisitorMessage(
        refreshed,
        { text: w.message.text, anchor: w.anchor, receivedAt: w.receivedAt },
        w.policies,
      );
      tx.create(messageRef(w.threadId, w.message.id), messageDoc(w.message));
      tx.set(threadRef(w.threadId), threadDoc(next));
      return next;
    });
    ops.write(2);
    return { duplicate: false, thread };
  } catch (err) {
    if (isAlreadyExists(err)) return { duplicate: true };
    throw err;
  }
}

export class SendRefused extends Refused {
  constructor(readonly decision: Extract<SendDecision, { allowed: false }>) {
    super(decision.code, decision.reason);
  }
}

export class ThreadNotFound extends NotFound {
  constructor(readonly threadId: string) {
    super(`Thread ${threadId} does not exist.`);
  }
}

export interface AgentMessageWrite {
  threadId: string;
  messageId: string;
  text: string;
  from: "agent" | "bot";
  agentUid?: string;
  authorName?: string;
  suggestions?: MessageRecord["suggestions"];
  richCard?: MessageRecord["richCard"];
  imageContent?: MessageRecord["imageContent"];
  now: Date;
  /** Decides the channel against the thread as read inside the transaction. */
  decide: (thread: ThreadState) => SendDecision;
  /** Initial delivery for the chosen channel. */
  delivery: (channel: Channel) => Delivery;
  /** Further changes to the thread in the same write (e.g. marking the follow-up that sent this message). */
  amendThread?: (next: ThreadState, before: ThreadState, message: MessageRecord) => ThreadState;
}

export type AgentMessageResult = {
  duplicate: boolean;
  message: MessageRecord;
  decision: Extract<SendDecision, { allowed: true }>;
};

/** Stores an agent or bot message after checking the window inside the same transaction. */
export async function recordAgentMessage(w: AgentMessageWrite): Promise<AgentMessageResult> {
  return db().runTransaction(async (tx) => {
    const thread = await readThread(tx, w.threadId);
    if (!thread) throw new ThreadNotFound(w.threadId);
    const existing = await tx.get(messageRef(w.threadId, w.messageId));
    ops.read();
    const decision = w.decide(thread);
    if (!decision.allowed) throw new SendRefused(decision);
    if (existing.exists) {
      return {
        duplicate: true,
        decision,
        message: fromFirestore<MessageRecord>({ ...existing.data(), id: w.messageId }),
      };
    }
    const message: MessageRecord = {
      id: w.messageId,
      from: w.from,
      text: w.text,
      createdAt: w.now,
      agentUid: w.agentUid,
      authorName: w.authorName,
      ...(w.suggestions?.length ? { suggestions: w.suggestions } : {}),
      ...(w.richCard ? { richCard: w.richCard } : {}),
      ...(w.imageContent ? { imageContent: w.imageContent } : {}),
      delivery: w.delivery(decision.channel),
    };
    tx.create(messageRef(w.threadId, w.messageId), messageDoc(message));
    const next = applyAgentMessage(thread, { text: w.text, from: w.from, at: w.now });
    tx.set(threadRef(w.threadId), threadDoc(w.amendThread ? w.amendThread(next, thread, message) : next));
    ops.write(2);
    return { duplicate: false, decision, message };
  });
}

export async function getThread(threadId: string): Promise<ThreadState | undefined> {
  const snap = await threadRef(threadId).get();
  ops.read();
  return snap.exists ? fromFirestore<ThreadState>({ ...snap.data(), id: threadId }) : undefined;
}

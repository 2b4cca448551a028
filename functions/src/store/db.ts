import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp, type Firestore } from "firebase-admin/firestore";

let firestore: Firestore | undefined;

/** Lazily created so importing a function's module stays cheap (cold start). */
export function db(): Firestore {
  if (!firestore) {
    // firebase-functions' event triggers create an app of their own: look for the default one.
    if (!getApps().some((app) => app.name === "[DEFAULT]")) initializeApp();
    firestore = getFirestore();
  }
  return firestore;
}

export const paths = {
  threads: "threads",
  thread: (threadId: string) => `threads/${threadId}`,
  messages: (threadId: string) => `threads/${threadId}/messages`,
  message: (threadId: string, messageId: string) => `threads/${threadId}/messages/${messageId}`,
  businessSettings: "settings/business",
  agent: (uid: string) => `agents/${uid}`,
} as const;

/** Firestore Timestamps → Dates, recursively, so the domain only ever sees Dates. */
export function fromFirestore<T>(value: unknown): T {
  if (value instanceof Timestamp) return value.toDate() as T;
  if (Array.isArray(value)) return value.map((v) => fromFirestore(v)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromFirestore(v);
    return out as T;
  }
  return value as T;
}

/** Drops undefined fields (Firestore rejects them) from a plain object tree. */
export function toFirestore(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    out[k] = v && typeof v === "object" && !(v instanceof Date) && !Array.isArray(v) ? toFirestore(v) : v;
  }
  return out;
}

import { getApps, initializeApp } from "firebase-admin/app";
import type { Firestore } from "firebase-admin/firestore";

type FirestoreModule = typeof import("firebase-admin/firestore");
let firestoreModule: FirestoreModule | undefined;
let firestore: Firestore | undefined;

/**
 * The Firestore SDK is loaded on first use, not at import: a function that never touches
 * Firestore (or hasn't yet) does not pay for it in its cold start.
 */
export function firestoreSdk(): FirestoreModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  firestoreModule ??= require("firebase-admin/firestore") as FirestoreModule;
  return firestoreModule;
}

export function db(): Firestore {
  if (!firestore) {
    // firebase-functions creates its own named app for Firestore triggers: look for the default one.
    if (!getApps().some((app) => app.name === "[DEFAULT]")) initializeApp();
    firestore = firestoreSdk().getFirestore();
  }
  return firestore;
}

function isTimestamp(value: object): value is { toDate(): Date } {
  return typeof (value as { toDate?: unknown }).toDate === "function" && "seconds" in value && "nanoseconds" in value;
}

/** Firestore Timestamps → Dates, recursively, so the domain only ever sees Dates. */
export function fromFirestore<T>(value: unknown): T {
  if (value && typeof value === "object" && isTimestamp(value)) return value.toDate() as T;
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

// The console's connection to Firebase: Auth, Firestore listeners built from query specs, callables.
import type { Auth } from "firebase/auth";
import { collection, limit, orderBy, query, Timestamp, where, type Firestore, type Query } from "firebase/firestore";
import type { FirebaseApp } from "firebase/app";
import { firebaseServices, isLocal } from "../shared/firebase";
import type { QuerySpec } from "./queries";

export interface Backend {
  app: FirebaseApp;
  auth: Auth;
  db: Firestore;
}

export let backend: Backend;

export async function connect(): Promise<Backend> {
  backend = await firebaseServices();
  return backend;
}

export function toQuery(spec: QuerySpec): Query {
  return query(
    collection(backend.db, spec.path),
    ...spec.where.map((w) => where(w.field, w.op, w.value)),
    ...spec.orderBy.map((o) => orderBy(o.field, o.direction)),
    ...(spec.limit ? [limit(spec.limit)] : []),
  );
}

/** Firestore Timestamps → Dates, recursively (the shared domain functions work on Dates). */
export function revive<T>(value: unknown): T {
  if (value instanceof Timestamp) return value.toDate() as T;
  if (Array.isArray(value)) return value.map((v) => revive(v)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = revive(v);
    return out as T;
  }
  return value as T;
}

export class CallError extends Error {
  constructor(
    /** The callable protocol's status, e.g. PERMISSION_DENIED, FAILED_PRECONDITION; UNAVAILABLE when unreachable. */
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

function callableUrl(name: string): string {
  const projectId = backend.app.options.projectId;
  return isLocal()
    ? `http://127.0.0.1:5001/${projectId}/us-central1/${name}`
    : `https://us-central1-${projectId}.cloudfunctions.net/${name}`;
}

/** Calls an onCall function over its HTTP protocol (a few lines instead of the functions SDK). */
export async function call<T>(name: string, data: unknown): Promise<T> {
  const user = backend.auth.currentUser;
  if (!user) throw new CallError("UNAUTHENTICATED", "Please sign in again.");
  let res: Response;
  try {
    res = await fetch(callableUrl(name), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await user.getIdToken()}` },
      body: JSON.stringify({ data }),
    });
  } catch {
    throw new CallError("UNAVAILABLE", "The server could not be reached. Check your connection and try again.");
  }
  const body = (await res.json().catch(() => ({}))) as { result?: T; error?: { status?: string; message?: string } };
  if (!res.ok || body.error) {
    const status = body.error?.status ?? (res.status === 404 ? "NOT_FOUND" : "INTERNAL");
    throw new CallError(status, body.error?.message ?? `The server answered HTTP ${res.status}.`);
  }
  return body.result as T;
}

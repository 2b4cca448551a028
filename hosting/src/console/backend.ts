// The console's connection to Firebase: Auth, Firestore listeners built from query specs, typed callables.
import type { Auth } from "firebase/auth";
import { collection, limit, orderBy, query, Timestamp, where, type Firestore, type Query } from "firebase/firestore";
import type { FirebaseApp } from "firebase/app";
import { connectFunctionsEmulator, getFunctions, httpsCallable, type Functions } from "firebase/functions";
import type { CallableName, CallableRequest, CallableResponse } from "../../../functions/src/contract/callables";
import { EMULATOR_PORTS, REGION } from "../../../functions/src/contract/deployment";
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
    /** The callable protocol's code: "failed-precondition", "not-found", "unavailable" when unreachable… */
    readonly code: string,
    message: string,
    /** A refusal's machine code (failed-precondition), from the contract's RefusalDetails. */
    readonly refusal?: string,
  ) {
    super(message);
  }
}

let functions: Functions | undefined;

function functionsOf(): Functions {
  if (!functions) {
    functions = getFunctions(backend.app, REGION);
    if (LOCAL_BUILD && isLocal()) connectFunctionsEmulator(functions, "127.0.0.1", EMULATOR_PORTS.functions);
  }
  return functions;
}

/** Calls a console callable by name, typed by the contract (functions/src/contract/callables.ts). */
export async function call<N extends CallableName>(name: N, data: CallableRequest<N>): Promise<CallableResponse<N>> {
  try {
    const result = await httpsCallable<CallableRequest<N>, CallableResponse<N>>(functionsOf(), name)(data);
    return result.data;
  } catch (err) {
    const e = err as { code?: string; message?: string; details?: { code?: string } };
    const code = String(e.code ?? "internal").replace(/^functions\//, "");
    const message =
      code === "unavailable" || (code === "internal" && !e.message)
        ? "The server could not be reached. Check your connection and try again."
        : (e.message ?? "The call failed.");
    throw new CallError(code, message, e.details?.code);
  }
}

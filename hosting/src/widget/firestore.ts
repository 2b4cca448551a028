import { threadPath } from "../../../functions/src/contract/paths";
import type { Env } from "./env";

/**
 * Reads the visitor's own thread through the Firestore REST API with the visitor's ID token,
 * so the security rules decide (request.auth.uid in threads/{id}.visitorUids). Polling instead
 * of the Firestore SDK's realtime listener: the SDK alone weighs ~90 KB gzipped (docs/widget.md).
 */
type Value = Record<string, unknown>;
export type Doc = Record<string, unknown> & { id: string; updateTime?: string };

function decode(v: Value): unknown {
  if ("stringValue" in v) return v.stringValue;
  if ("integerValue" in v) return Number(v.integerValue);
  if ("doubleValue" in v) return v.doubleValue;
  if ("booleanValue" in v) return v.booleanValue;
  if ("timestampValue" in v) return new Date(v.timestampValue as string);
  if ("mapValue" in v) return decodeFields((v.mapValue as { fields?: Record<string, Value> }).fields);
  if ("arrayValue" in v) return ((v.arrayValue as { values?: Value[] }).values ?? []).map(decode);
  return null;
}

function decodeFields(fields: Record<string, Value> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in fields) out[k] = decode(fields[k]);
  return out;
}

function toDoc(d: { name: string; fields?: Record<string, Value>; updateTime?: string }): Doc {
  return { ...decodeFields(d.fields), id: d.name.slice(d.name.lastIndexOf("/") + 1), updateTime: d.updateTime };
}

export class ReadError extends Error {
  constructor(readonly status: number) {
    super(`firestore HTTP ${status}`);
  }
}

async function call<T>(env: Env, token: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${env.firestoreBase}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new ReadError(res.status);
  return res.json() as Promise<T>;
}

/** Several documents in one request; missing ones come back undefined. */
export async function getDocs(env: Env, token: string, paths: string[]): Promise<(Doc | undefined)[]> {
  const root = env.firestoreBase.replace(/^https?:\/\/[^/]+\/v1\//, "");
  const rows = await call<{ found?: { name: string }; missing?: string }[]>(env, token, ":batchGet", {
    documents: paths.map((p) => `${root}/${p}`),
  });
  const byName = new Map(rows.filter((r) => r.found).map((r) => [r.found!.name, toDoc(r.found!)]));
  return paths.map((p) => byName.get(`${root}/${p}`));
}

/** A thread's messages created at or after `since`, oldest first. */
export async function messagesSince(
  env: Env,
  token: string,
  threadId: string,
  since: Date,
  limit = 300,
): Promise<Doc[]> {
  const rows = await call<{ document?: { name: string } }[]>(env, token, `/${threadPath(threadId)}:runQuery`, {
    structuredQuery: {
      from: [{ collectionId: "messages" }],
      where: {
        fieldFilter: {
          field: { fieldPath: "createdAt" },
          op: "GREATER_THAN_OR_EQUAL",
          value: { timestampValue: since.toISOString() },
        },
      },
      orderBy: [{ field: { fieldPath: "createdAt" }, direction: "ASCENDING" }],
      limit,
    },
  });
  return rows.filter((r) => r.document).map((r) => toDoc(r.document!));
}

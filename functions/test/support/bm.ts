// Business Messages test helpers: fixtures with placeholders, Google-style signing, the simulator.
import { createHmac, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";

export const BM_TOKEN = "local-client-token";
export const SIMULATOR = "http://127.0.0.1:5055";
export const WEBHOOK = "http://127.0.0.1:5000/api/bm/webhook";
const FIXTURES = `${__dirname}/../fixtures/bm`;

export const fixtureNames = (): string[] => readdirSync(FIXTURES).map((f) => f.replace(/\.json$/, ""));

/** A fixture with its placeholders filled: CONVERSATION_ID, OUR_MESSAGE_ID, and a fresh requestId. */
export function fixture(
  name: string,
  vars: { conversationId?: string; ourMessageId?: string; requestId?: string } = {},
): Record<string, unknown> {
  const raw = readFileSync(`${FIXTURES}/${name}.json`, "utf8")
    .replaceAll("CONVERSATION_ID", vars.conversationId ?? "conv-fixture")
    .replaceAll("OUR_MESSAGE_ID", vars.ourMessageId ?? "00000000-0000-5000-8000-000000000000");
  const json = JSON.parse(raw) as Record<string, unknown>;
  if (vars.requestId && "requestId" in json) json.requestId = vars.requestId;
  return json;
}

export function sign(body: Buffer | string, key = BM_TOKEN): string {
  return createHmac("sha512", key).update(body).digest("base64");
}

export function uniqueConversation(): string {
  return `conv-${randomUUID()}`;
}

/** POSTs a body to the webhook through Hosting, signed unless told otherwise. */
export async function postWebhook(
  body: unknown,
  opts: { signature?: string | null; raw?: Buffer | string; method?: string; contentType?: string } = {},
) {
  const raw = opts.raw ?? Buffer.from(JSON.stringify(body ?? null));
  const headers: Record<string, string> = { "content-type": opts.contentType ?? "application/json" };
  const signature = opts.signature === undefined ? sign(raw) : opts.signature;
  if (signature !== null) headers["x-goog-signature"] = signature;
  const res = await fetch(WEBHOOK, {
    method: opts.method ?? "POST",
    headers,
    body: opts.method === "GET" ? undefined : raw,
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, contentType: res.headers.get("content-type") ?? "" };
}

export async function sim<T = Record<string, unknown>>(
  path: string,
  body?: unknown,
  method = body === undefined ? "GET" : "POST",
): Promise<T> {
  const res = await fetch(`${SIMULATOR}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

export interface SimRequest {
  op: string;
  conversationId: string;
  status: number;
  hasAuthorization: boolean;
  /** The bearer was an access token the simulator's /token issued (and not expired). */
  authenticated: boolean;
  body: {
    messageId?: string;
    text?: string;
    representative?: { representativeType: string; displayName?: string; avatarImage?: string };
    fallback?: string;
    richCard?: unknown;
    image?: unknown;
    suggestions?: unknown[];
  };
  query: Record<string, string>;
}

export async function simRequests(conversationId: string, op?: string): Promise<SimRequest[]> {
  const r = await sim<{ requests: SimRequest[] }>(`/sim/requests?conversationId=${encodeURIComponent(conversationId)}`);
  return r.requests.filter((x) => !op || x.op === op);
}

export interface WebhookDelivery {
  seq: number;
  requestId?: string;
  kind?: string;
  attempt: number;
  status: number;
  outcome?: string;
  ackLost?: boolean;
}

export async function webhookLog(conversationId: string): Promise<WebhookDelivery[]> {
  const r = await sim<{ deliveries: WebhookDelivery[] }>(
    `/sim/webhook-log?conversationId=${encodeURIComponent(conversationId)}`,
  );
  return r.deliveries;
}

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { GoogleAuth } from "google-auth-library";
import type { BM_EVENT_TYPES, Representative } from "../../contract/tasks";
import type { BmMessageBody } from "./outbound";

/**
 * A hand-written client for the four Business Messages calls we make. The `googleapis` package
 * has no Business Messages surface and the generated `businessmessages` package declares no
 * dependencies (it needs googleapis-common at run time), so: fetch + google-auth-library.
 */
export const BM_SCOPE = "https://www.googleapis.com/auth/businessmessages";

export type EventType = (typeof BM_EVENT_TYPES)[number];

export class BmApiError extends Error {
  constructor(
    readonly status: number,
    readonly googleStatus: string | undefined,
    readonly googleMessage: string | undefined,
  ) {
    super(`Business Messages API answered ${status}${googleStatus ? ` ${googleStatus}` : ""}`);
  }
}

/** Network failure or timeout: we do not know whether Google got the request (retry with the same ids). */
export class BmNetworkError extends Error {}

export interface BmApi {
  createMessage(conversationId: string, body: BmMessageBody): Promise<void>;
  createEvent(
    conversationId: string,
    eventId: string,
    eventType: EventType,
    representative: Representative,
  ): Promise<void>;
  updateReceipt(conversationId: string, messageId: string): Promise<void>;
  createSurvey(conversationId: string, surveyId: string): Promise<void>;
}

export type AuthHeaders = () => Promise<Record<string, string>>;

/** Where google-auth-library sends a service account's JWT assertion, whatever the key's token_uri says. */
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

/**
 * google-auth-library (v10) posts every service-account assertion to Google's fixed token URL and
 * ignores the key's `token_uri`. A key whose `token_uri` names another endpoint (the local simulator's)
 * gets a fetch that sends exactly those requests there instead; everything else is untouched.
 */
export function tokenUriFetch(tokenUri: string): typeof fetch {
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    return fetch(url === GOOGLE_TOKEN_URL ? tokenUri : input, init);
  };
}

function authFor(keyFile: string): GoogleAuth {
  if (!keyFile) return new GoogleAuth({ scopes: [BM_SCOPE] });
  const path = resolve(keyFile);
  const key = JSON.parse(readFileSync(path, "utf8")) as { token_uri?: string };
  const redirect = key.token_uri && key.token_uri !== GOOGLE_TOKEN_URL ? key.token_uri : undefined;
  return new GoogleAuth({
    scopes: [BM_SCOPE],
    keyFile: path,
    ...(redirect ? { clientOptions: { transporterOptions: { fetchImplementation: tokenUriFetch(redirect) } } } : {}),
  });
}

const auths = new Map<string, GoogleAuth>();

/**
 * An OAuth 2.0 access token for the BM scope from google-auth-library (cached and refreshed by it):
 * application default credentials (the function's service account), or the key file given.
 */
export function googleAuthHeaders(keyFile = ""): AuthHeaders {
  return async () => {
    let auth = auths.get(keyFile);
    if (!auth) {
      auth = authFor(keyFile);
      auths.set(keyFile, auth);
    }
    const client = await auth.getClient();
    const headers: unknown = await client.getRequestHeaders();
    const authorization =
      headers instanceof Headers ? headers.get("authorization") : (headers as Record<string, string>).Authorization;
    if (!authorization) throw new BmNetworkError("no access token from the service account");
    return { authorization };
  };
}

const seg = (s: string) => encodeURIComponent(s);

export function bmApiClient(opts: { baseUrl: string; authHeaders: AuthHeaders; timeoutMs?: number }): BmApi {
  const base = `${opts.baseUrl.replace(/\/+$/, "")}/v1`;

  async function call(method: "POST" | "PATCH", path: string, body: unknown): Promise<void> {
    const headers = { "content-type": "application/json", ...(await opts.authHeaders()) };
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new BmNetworkError(err instanceof Error ? err.message : String(err));
    }
    if (res.ok) {
      await res.arrayBuffer();
      return;
    }
    const text = await res.text();
    let error: { status?: string; message?: string } | undefined;
    try {
      error = (JSON.parse(text) as { error?: { status?: string; message?: string } }).error;
    } catch {
      error = undefined;
    }
    throw new BmApiError(res.status, error?.status, error?.message);
  }

  return {
    createMessage: (c, body) => call("POST", `/conversations/${seg(c)}/messages`, body),
    createEvent: (c, eventId, eventType, representative) =>
      call("POST", `/conversations/${seg(c)}/events?eventId=${seg(eventId)}`, { eventType, representative }),
    updateReceipt: (c, m) =>
      call("PATCH", `/conversations/${seg(c)}/messages/${seg(m)}/receipt`, { receiptType: "READ" }),
    createSurvey: (c, surveyId) => call("POST", `/conversations/${seg(c)}/surveys?surveyId=${seg(surveyId)}`, {}),
  };
}

import type { PushSubscription as PushSubscriptionJson } from "../../contract/reach";

/**
 * The standard Web Push protocol (RFC 8030 + RFC 8291 aes128gcm encryption + RFC 8292 VAPID),
 * vendor-neutral: the `web-push` package builds the encrypted, VAPID-signed request and we send it
 * with fetch (so a timeout and the response status are ours to handle, and a local http push
 * service can stand in for the browser vendor's during tests).
 */
export interface Vapid {
  subject: string;
  publicKey: string;
  privateKey: string;
}

export interface PushPayload {
  title: string;
  body: string;
  /** Opened by the service worker on click (a resume link to the thread). */
  url: string;
  threadId: string;
}

export type PushResult =
  | { outcome: "sent"; status: number }
  /** 404/410: the browser unsubscribed or the subscription expired: delete it. */
  | { outcome: "gone"; status: number }
  /** Other 4xx: this request can never succeed (bad VAPID key, payload too large...). */
  | { outcome: "rejected"; status: number };

/** 429 and 5xx: the push service asks us to come back later (the task queue retries). */
export class PushRetryLater extends Error {
  constructor(readonly status: number) {
    super(`push service answered ${status}`);
  }
}

const TIMEOUT_MS = 10_000;
/** A continuity push is stale after a day: the email (or the thread) has it by then. */
const TTL_SECONDS = 24 * 3600;

type WebPush = typeof import("web-push");

/** Loaded on first use (cold start); a CommonJS module, so its API may sit under `default`. */
async function loadWebPush(): Promise<WebPush> {
  const loaded: unknown = await import("web-push");
  return ((loaded as { default?: WebPush }).default ?? loaded) as WebPush;
}

export async function sendPush(
  subscription: PushSubscriptionJson,
  payload: PushPayload,
  vapid: Vapid,
): Promise<PushResult> {
  const webpush = await loadWebPush();
  const details = webpush.generateRequestDetails(
    { endpoint: subscription.endpoint, keys: subscription.keys },
    JSON.stringify(payload),
    {
      vapidDetails: vapid,
      TTL: TTL_SECONDS,
      urgency: "high",
      topic: payload.threadId.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32), // a newer push replaces an undelivered one
      contentEncoding: "aes128gcm",
    },
  );
  // fetch sets Content-Length itself from the body.
  const { "Content-Length": _length, ...headers } = details.headers as Record<string, string>;
  const res = await fetch(details.endpoint, {
    method: details.method,
    headers,
    body: details.body ?? undefined,
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: "error",
  });
  await res.arrayBuffer().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return { outcome: "sent", status: res.status };
  if (res.status === 404 || res.status === 410) return { outcome: "gone", status: res.status };
  if (res.status === 429 || res.status >= 500) throw new PushRetryLater(res.status);
  return { outcome: "rejected", status: res.status };
}

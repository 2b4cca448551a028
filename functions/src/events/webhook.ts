import type { AfterchatEvent } from "../domain/events";
import { DELIVERY_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signWebhook } from "../domain/webhookSignature";

export interface WebhookTarget {
  url: string;
  secret: string;
}

export type WebhookResult =
  | { delivered: true; attempts: number }
  | { delivered: false; attempts: number; status: number | string; permanent: boolean };

const ATTEMPTS = 3;
const BACKOFF_MS = [500, 2000];
const TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 4xx other than 408/429 is the receiver refusing this event: retrying will not help. */
function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * Why a request got no answer, in words an admin can look up: the network's code (ECONNREFUSED,
 * ENOTFOUND, CERT_HAS_EXPIRED, …) or "timeout". fetch itself only says "TypeError: fetch failed".
 */
function networkFailure(err: unknown): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) return "timeout";
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (typeof code === "string") return code;
  return err instanceof Error ? err.name : "network error";
}

/**
 * POSTs one event, signed, with its id as the delivery id (the same on every retry, so the
 * receiver can de-duplicate). A few quick retries with backoff here; Pub/Sub redelivers the
 * event with its own backoff when these run out.
 */
export async function postEvent(
  target: WebhookTarget,
  event: AfterchatEvent,
  { now = () => new Date(), backoffMs = BACKOFF_MS }: { now?: () => Date; backoffMs?: number[] } = {},
): Promise<WebhookResult> {
  const body = JSON.stringify(event);
  let last: number | string = "no attempt";
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const res = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: signWebhook(target.secret, body, now()),
          [DELIVERY_HEADER]: event.id,
          [EVENT_TYPE_HEADER]: event.type,
          "user-agent": "Afterchat-Events/1",
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.ok) return { delivered: true, attempts: attempt };
      last = res.status;
      if (isPermanent(res.status)) return { delivered: false, attempts: attempt, status: res.status, permanent: true };
    } catch (err) {
      last = networkFailure(err);
    }
    if (attempt < ATTEMPTS) await sleep(backoffMs[attempt - 1] ?? 0);
  }
  return { delivered: false, attempts: ATTEMPTS, status: last, permanent: false };
}

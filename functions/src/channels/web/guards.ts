import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { runningInEmulator } from "../../config";
import { judgeOrigin } from "../../domain/origins";
import { bucketsFor, type Bucket, type RateLimit, type Subjects } from "../../domain/rateLimit";
import { HttpError } from "../../http/errors";
import { logs } from "../../logs";
import { db } from "../../store/db";
import { consumeRateLimits } from "../../store/rateLimits";

/** A 429 that tells the widget which limit was hit and when to try again. */
export class RateLimited extends HttpError {
  constructor(
    readonly rule: RateLimit,
    readonly retryAfterSeconds: number,
  ) {
    super(
      429,
      "too many requests; please wait a moment and try again",
      { code: "rate_limited", rule: rule.name, retryAfterSeconds },
      { "Retry-After": String(retryAfterSeconds) },
    );
  }
}

/** Hosts that are our own site: the one the browser asked (through Hosting) and the public URL's. */
function ownHosts(req: Request, publicUrl: string): string[] {
  const hosts = [req.get("x-forwarded-host"), req.get("host")].filter((h): h is string => Boolean(h));
  try {
    hosts.push(new URL(publicUrl).host);
  } catch {
    /* an unset or malformed PUBLIC_URL only narrows what counts as our own origin */
  }
  return hosts;
}

/**
 * CORS for the business's listed origins only. A refused origin gets 403 and no CORS headers;
 * a preflight from an allowed origin is answered here. Returns true when the response is done.
 */
export function applyCors(req: Request, res: Response, allowedOrigins: readonly string[], publicUrl: string): boolean {
  const origin = req.get("origin");
  const verdict = judgeOrigin(origin, { allowedOrigins, ownHosts: ownHosts(req, publicUrl) });
  if (verdict === "refused") {
    logs.widgetOriginRefused(String(origin).slice(0, 200));
    throw new HttpError(403, "this site is not allowed to use the chat");
  }
  if (verdict === "allowed" && origin) {
    res.set("Access-Control-Allow-Origin", origin);
    res.set("Vary", "Origin");
  }
  if (req.method === "OPTIONS") {
    res.set("Access-Control-Allow-Methods", "GET, POST");
    res.set("Access-Control-Allow-Headers", "authorization, content-type, x-firebase-appcheck");
    res.set("Access-Control-Max-Age", "3600");
    res.status(204).end();
    return true;
  }
  return false;
}

/**
 * Proxies between the visitor and us that append to X-Forwarded-For: Firebase Hosting's edge
 * (Google's front end in front of the function appends the address it saw, the hosting edge).
 */
const TRUSTED_PROXY_HOPS = 1;
const UNKNOWN_IP = "unknown";

function forwardedFor(req: Request): string[] {
  return (req.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The visitor's address for per-IP limits. Entries on the left of X-Forwarded-For are whatever
 * the client sent, so we count from the right, skipping the proxies we trust.
 */
export function clientIp(req: Request): string {
  const forwarded = forwardedFor(req);
  const index = Math.max(0, forwarded.length - 1 - TRUSTED_PROXY_HOPS);
  return forwarded[index] ?? req.ip ?? req.socket?.remoteAddress ?? UNKNOWN_IP;
}

/**
 * The address that connected to Google's front end: the last X-Forwarded-For entry, which that front
 * end appends itself. Through Hosting it is a Hosting edge; a caller that went around Hosting (and
 * forged the entries on the left to pose as many visitors) is counted here under its real address.
 */
export function peerIp(req: Request): string {
  return forwardedFor(req).at(-1) ?? req.ip ?? req.socket?.remoteAddress ?? UNKNOWN_IP;
}

/** The rate-limit subjects of a visitor's request. */
export function subjectsOf(req: Request, visitor: string): Subjects {
  return { visitor, ip: clientIp(req), peer: peerIp(req) };
}

/**
 * Hosts the widget API is served under: Firebase Hosting's default domains for this project and
 * PUBLIC_URL's host (a custom domain). Hosting sets X-Forwarded-Host to the one the browser asked.
 * The local Hosting emulator answers on loopback under any name.
 */
function hostingHosts(publicUrl: string, projectId: string | undefined): Set<string> {
  const hosts = new Set<string>();
  if (projectId) for (const domain of ["web.app", "firebaseapp.com"]) hosts.add(`${projectId}.${domain}`);
  try {
    const url = new URL(publicUrl);
    hosts.add(url.host);
    if (runningInEmulator()) for (const name of ["127.0.0.1", "localhost", "[::1]"]) hosts.add(`${name}:${url.port}`);
  } catch {
    /* an unset PUBLIC_URL leaves only the default domains (startup checks report it) */
  }
  return hosts;
}

/**
 * Refuses requests that did not come through Firebase Hosting (the function's own URL): there the
 * caller controls every X-Forwarded-For entry, and the site's headers and rewrites do not apply.
 */
export function requireHosting(req: Request, publicUrl: string, projectId = process.env.GCLOUD_PROJECT): void {
  const host = req.get("x-forwarded-host")?.toLowerCase();
  if (host && hostingHosts(publicUrl, projectId).has(host)) return;
  throw new HttpError(403, "the chat API answers only through the site's own address");
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Per-address limits do not apply to local traffic in the emulator: every local test and tool shares
 * 127.0.0.1, and the functions emulator hands requests to its workers without the client's address
 * (so it reads as unknown). Tests exercise them with X-Forwarded-For; per-visitor limits always apply.
 */
function appliesTo(subjects: Subjects): (b: Bucket) => boolean {
  const local = (address: string) => runningInEmulator() && (address === UNKNOWN_IP || LOOPBACK.test(address));
  return (b) => b.rule.scope === "visitor" || !local(subjects[b.rule.scope]);
}

export async function enforceRateLimits(
  actions: RateLimit["action"][],
  subjects: Subjects,
  nowMs: number,
  newThread?: { threadId: string },
): Promise<void> {
  const applies = appliesTo(subjects);
  const decision = await consumeRateLimits({
    buckets: bucketsFor(actions, subjects, nowMs).filter(applies),
    newThreadBuckets: newThread
      ? { threadId: newThread.threadId, buckets: bucketsFor(["newThread"], subjects, nowMs).filter(applies) }
      : undefined,
    nowMs,
  });
  if (!decision.allowed) {
    logs.widgetRateLimited(decision.rule.name, decision.rule.scope);
    throw new RateLimited(decision.rule, decision.retryAfterSeconds);
  }
}

/** Optional App Check (param WIDGET_APP_CHECK): a missing or invalid token is a 401. */
export async function requireAppCheck(req: Request): Promise<void> {
  const token = req.get("x-firebase-appcheck");
  if (!token) throw new HttpError(401, "app check token required");
  db(); // initializes the admin app
  try {
    // Loaded on first use: deployments without App Check never pay for it in a cold start.
    const { getAppCheck } = await import("firebase-admin/app-check");
    await getAppCheck().verifyToken(token);
  } catch {
    throw new HttpError(401, "invalid app check token");
  }
}

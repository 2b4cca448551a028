import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { onRequest } from "firebase-functions/https";
import { z } from "zod";
import { LINK_SIGNING_SECRET, PUSH_HTTP_ORIGINS, REGION, VAPID_PUBLIC_KEY } from "../config";
import { endpointAllowed, PushSubscriptionSchema, subscriptionId } from "../channels/push/subscription";
import { channelPolicies } from "../domain/channels";
import { LINK_REFUSALS, verifyLink, type LinkPurpose, type LinkVerdict } from "../domain/resumeLinks";
import { HttpError, parseOr400, sendError } from "../http/errors";
import { requireVisitor } from "../http/visitorAuth";
import { logs, reachLogs } from "../logs";
import { reachClock } from "../reach/clock";
import { escapeHtml } from "../channels/email/template";
import { attachVisitor, NotThreadVisitor, savePushSubscription, ThreadMissing, unsubscribeEmail } from "../store/reach";
import { getBusinessSettings } from "../store/settings";

const BODY_MAX_BYTES = 8 * 1024;
const ThreadId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "threadId is malformed");
const Token = z.string().min(1, "token is missing").max(512, "token is too long");

const Subscribe = z.object({ threadId: ThreadId, subscription: PushSubscriptionSchema });
const Resume = z.object({ token: Token });

/** A refused link: 400 malformed, 401 forged or altered (or used for the wrong thing), 410 expired. */
class LinkRefused extends HttpError {
  constructor(readonly verdict: Exclude<LinkVerdict, { ok: true }>) {
    super(
      verdict.reason === "malformed" ? 400 : verdict.reason === "expired" ? 410 : 401,
      LINK_REFUSALS[verdict.reason],
    );
  }
}

function verified(token: string, purpose: LinkPurpose): string {
  const verdict = verifyLink(LINK_SIGNING_SECRET.value(), token, { now: reachClock(), purpose });
  if (!verdict.ok) {
    reachLogs.linkRefused(purpose, verdict.reason);
    throw new LinkRefused(verdict);
  }
  return verdict.claims.threadId;
}

/** GET /api/push/config: what the push window needs to subscribe (the VAPID public key). */
function pushConfig(_req: Request, res: Response): void {
  const key = VAPID_PUBLIC_KEY.value();
  res.set("Cache-Control", "public, max-age=300");
  res.json({ enabled: Boolean(key), vapidPublicKey: key || null });
}

/** POST /api/push/subscriptions {threadId, subscription}: the visitor's browser, for their own thread. */
async function subscribe(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(Subscribe, req.body);
  if (!VAPID_PUBLIC_KEY.value()) throw new HttpError(503, "web push is not configured on this site");
  const httpOrigins = PUSH_HTTP_ORIGINS.value()
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!endpointAllowed(body.subscription.endpoint, httpOrigins))
    throw new HttpError(400, "subscription.endpoint must be a push service https URL");
  const id = subscriptionId(body.subscription.endpoint);
  const settings = await getBusinessSettings(reachClock().getTime());
  try {
    const { created } = await savePushSubscription({
      threadId: body.threadId,
      subscriptionId: id,
      subscription: body.subscription,
      visitorUid: visitor.uid,
      userAgent: req.get("user-agent"),
      policies: channelPolicies(settings),
    });
    reachLogs.pushSubscriptionSaved(body.threadId, id, created);
    res.status(created ? 201 : 200).json({ ok: true, subscriptionId: id });
  } catch (err) {
    if (err instanceof NotThreadVisitor) throw new HttpError(404, "no such thread for this visitor");
    throw err;
  }
}

/** POST /api/resume {token}: attaches the caller's device (Auth uid) to the link's thread. */
async function resume(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(Resume, req.body);
  const threadId = verified(body.token, "resume");
  try {
    const { attached } = await attachVisitor(threadId, visitor.uid);
    reachLogs.threadResumed(threadId, attached);
    res.json({ threadId, attached });
  } catch (err) {
    if (err instanceof ThreadMissing) throw new HttpError(410, "This conversation no longer exists.");
    throw err;
  }
}

function page(title: string, text: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title></head><body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem">` +
    `<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`
  );
}

/**
 * /api/email/unsubscribe?token=…: GET shows a page (a person clicked the link), POST is the
 * RFC 8058 one-click request a mail client sends. Both stop continuity email for the thread.
 */
async function unsubscribe(req: Request, res: Response): Promise<void> {
  const asPage = req.method === "GET";
  let result: { threadId: string; changed: boolean };
  try {
    const threadId = verified(parseOr400(Token, req.query.token), "unsubscribe");
    const settings = await getBusinessSettings(reachClock().getTime());
    result = { threadId, ...(await unsubscribeEmail(threadId, reachClock(), channelPolicies(settings))) };
  } catch (err) {
    const refusal = err instanceof ThreadMissing ? new HttpError(410, "This conversation no longer exists.") : err;
    if (!asPage || !(refusal instanceof HttpError)) throw refusal;
    logs.requestRejected("reachApi", refusal.status, refusal.reason);
    res.status(refusal.status).type("html").send(page("This link cannot be used", refusal.reason));
    return;
  }
  reachLogs.emailUnsubscribed(result.threadId, result.changed);
  if (asPage)
    res.type("html").send(page("You're unsubscribed", "We won't email you replies about this conversation any more."));
  else res.json({ ok: true });
}

type Handler = (req: Request, res: Response) => Promise<void> | void;
const ROUTES: Record<string, Partial<Record<"GET" | "POST", Handler>>> = {
  "/push/config": { GET: pushConfig },
  "/push/subscriptions": { POST: subscribe },
  "/resume": { POST: resume },
  "/email/unsubscribe": { GET: unsubscribe, POST: unsubscribe },
};

/** Push routes a business's own site may call when it hosts the service worker itself (docs/reach.md). */
const CROSS_ORIGIN_ROUTES = new Set(["/push/config", "/push/subscriptions"]);

/** CORS for settings/business.allowedOrigins on the push routes; true when a preflight was answered. */
async function cors(req: Request, res: Response, path: string): Promise<boolean> {
  const origin = req.get("origin");
  if (!origin || !CROSS_ORIGIN_ROUTES.has(path)) return false;
  const settings = await getBusinessSettings(reachClock().getTime());
  res.set("Vary", "Origin");
  if (!settings.allowedOrigins.includes(origin)) return false;
  res.set("Access-Control-Allow-Origin", origin);
  if (req.method !== "OPTIONS") return false;
  res.set("Access-Control-Allow-Methods", "GET, POST");
  res.set("Access-Control-Allow-Headers", "authorization, content-type");
  res.set("Access-Control-Max-Age", "3600");
  res.status(204).end();
  return true;
}

async function route(req: Request, res: Response): Promise<void> {
  // Reached as /api/<route> through Hosting, or /<route> on the function's own URL.
  const path = req.path.replace(/^\/api/, "") || "/";
  const target = ROUTES[path];
  if (!target) throw new HttpError(404, "no such route");
  if (await cors(req, res, path)) return;
  const handler = target[req.method as "GET" | "POST"];
  if (!handler) throw new HttpError(405, `use ${Object.keys(target).join(" or ")}`);
  if ((req.rawBody?.length ?? 0) > BODY_MAX_BYTES) throw new HttpError(413, "request body too large");
  await handler(req, res);
}

/** Web push subscriptions, resume links and email unsubscribe (docs/reach.md). Same-origin only: our pages call it. */
export const reachApi = onRequest({ region: REGION, secrets: [LINK_SIGNING_SECRET] }, async (req, res) => {
  try {
    await route(req, res);
  } catch (err) {
    if (err instanceof HttpError) {
      logs.requestRejected("reachApi", err.status, err.reason);
      if (err instanceof LinkRefused) {
        res.status(err.status).json({ error: err.reason, code: err.verdict.reason });
        return;
      }
      return sendError(res, err);
    }
    logs.unexpectedError("reachApi", err);
    sendError(res, new HttpError(500, "internal error"));
  }
});

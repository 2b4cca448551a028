import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { LINK_SIGNING_SECRET, PUSH_HTTP_ORIGINS, VAPID_PUBLIC_KEY } from "../config";
import { endpointAllowed, subscriptionId } from "../channels/push/subscription";
import { escapeHtml } from "../channels/email/template";
import { clock } from "../clock";
import { LinkToken, Resume, Subscribe, type PushConfig, type ResumeResult } from "../contract/reach";
import { channelPolicies } from "../domain/channels";
import { LINK_REFUSALS, verifyLink, type LinkPurpose, type LinkVerdict } from "../domain/resumeLinks";
import { defineHttpApi } from "../http/api";
import { HttpError, parseOr400 } from "../http/errors";
import { requireVisitor } from "../http/visitorAuth";
import { logs, reachLogs } from "../logs";
import { attachVisitor, savePushSubscription, unsubscribeEmail } from "../store/reach";
import { getBusinessSettings } from "../store/settings";
import { ThreadNotFound } from "../store/threads";
import { NotVisitorsThread } from "../store/visitorThreads";

const GONE = "This conversation no longer exists.";

/** A refused link: 400 malformed, 401 forged or altered (or used for the wrong thing), 410 expired. */
function linkRefused(verdict: Exclude<LinkVerdict, { ok: true }>): HttpError {
  const status = verdict.reason === "malformed" ? 400 : verdict.reason === "expired" ? 410 : 401;
  return new HttpError(status, LINK_REFUSALS[verdict.reason], { code: verdict.reason });
}

function verified(token: string, purpose: LinkPurpose, now: Date): string {
  const verdict = verifyLink(LINK_SIGNING_SECRET.value(), token, { now, purpose });
  if (!verdict.ok) {
    reachLogs.linkRefused(purpose, verdict.reason);
    throw linkRefused(verdict);
  }
  return verdict.claims.threadId;
}

/** GET /api/push/config: what the push window needs to subscribe (the VAPID public key). */
function pushConfig(_req: Request, res: Response): void {
  const key = VAPID_PUBLIC_KEY.value();
  const config: PushConfig = { enabled: Boolean(key), vapidPublicKey: key || null };
  res.set("Cache-Control", "public, max-age=300");
  res.json(config);
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
  const settings = await getBusinessSettings((await clock.now(body.threadId)).getTime());
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
    if (err instanceof NotVisitorsThread) throw new HttpError(404, "no such thread for this visitor");
    throw err;
  }
}

/** POST /api/resume {token}: attaches the caller's device (Auth uid) to the link's thread. */
async function resume(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(Resume, req.body);
  const threadId = verified(body.token, "resume", await clock.now());
  try {
    const { attached } = await attachVisitor(threadId, visitor.uid);
    reachLogs.threadResumed(threadId, attached);
    const answer: ResumeResult = { threadId, attached };
    res.json(answer);
  } catch (err) {
    if (err instanceof ThreadNotFound) throw new HttpError(410, GONE);
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
    const now = await clock.now();
    const threadId = verified(parseOr400(LinkToken, req.query.token), "unsubscribe", now);
    const settings = await getBusinessSettings(now.getTime());
    result = { threadId, ...(await unsubscribeEmail(threadId, now, channelPolicies(settings))) };
  } catch (err) {
    const refusal = err instanceof ThreadNotFound ? new HttpError(410, GONE) : err;
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

/** Push routes a business's own site may call when it hosts the service worker itself (docs/reach.md). */
const CROSS_ORIGIN_ROUTES = new Set(["/push/config", "/push/subscriptions"]);

/** CORS for settings/business.allowedOrigins on the push routes; true when a preflight was answered. */
async function cors(req: Request, res: Response, path: string): Promise<boolean> {
  const origin = req.get("origin");
  if (!origin || !CROSS_ORIGIN_ROUTES.has(path)) return false;
  const settings = await getBusinessSettings((await clock.now()).getTime());
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

/** Web push subscriptions, resume links and email unsubscribe (docs/reach.md). */
export const reachApi = defineHttpApi(
  "reachApi",
  { secrets: [LINK_SIGNING_SECRET] },
  {
    prefix: /^\/api/,
    bodyMaxBytes: 8 * 1024,
    before: cors,
    routes: {
      "/push/config": { GET: pushConfig },
      "/push/subscriptions": { POST: subscribe },
      "/resume": { POST: resume },
      "/email/unsubscribe": { GET: unsubscribe, POST: unsubscribe },
    },
  },
);

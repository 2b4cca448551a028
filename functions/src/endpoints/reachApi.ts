import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { EMAIL_FROM, LINK_SIGNING_SECRET, PUBLIC_URL, SMTP_URL, VAPID_PUBLIC_KEY } from "../config";
import { endpointRefusal, subscriptionId } from "../channels/push/subscription";
import { PUSH_ENDPOINT_REFUSALS } from "../domain/pushEndpoints";
import { escapeHtml, renderFreshLinkEmail } from "../channels/email/template";
import { sendEmail } from "../channels/email/send";
import { clientIp, enforceRateLimits, peerIp } from "../channels/web/guards";
import { clock } from "../clock";
import {
  LinkToken,
  RenewLink,
  Resume,
  Subscribe,
  type PushConfig,
  type RenewLinkResult,
  type ResumeResult,
} from "../contract/reach";
import { hashId } from "../domain/ids";
import { channelPolicies } from "../domain/channels";
import { LINK_REFUSALS, verifyLink, type LinkClaims, type LinkPurpose, type LinkVerdict } from "../domain/resumeLinks";
import { resumeUrl, unsubscribeUrl } from "../reach/links";
import { AlreadyUsed, CodeInvalid, confirmEmailChange, exchangeLink, WindowClosed } from "../store/devices";
import { withVisitorEmail } from "../domain/visitorContact";
import { defineHttpApi } from "../http/api";
import { HttpError, parseOr400 } from "../http/errors";
import { requireVisitor } from "../http/visitorAuth";
import { logs, reachLogs } from "../logs";
import { readReachThread, savePushSubscription, unsubscribeEmail } from "../store/reach";
import { getBusinessSettings } from "../store/settings";
import { ThreadNotFound } from "../store/threads";
import { NotVisitorsThread } from "../store/visitorThreads";

const GONE = "This conversation no longer exists.";

/** A refused link: 400 malformed, 401 forged or altered (or used for the wrong thing), 410 expired. */
function linkRefused(verdict: Exclude<LinkVerdict, { ok: true }>): HttpError {
  const status = verdict.reason === "malformed" ? 400 : verdict.reason === "expired" ? 410 : 401;
  return new HttpError(status, LINK_REFUSALS[verdict.reason], { code: verdict.reason });
}

function verifiedClaims(token: string, purpose: LinkPurpose, now: Date): LinkClaims {
  const verdict = verifyLink(LINK_SIGNING_SECRET.value(), token, { now, purpose });
  if (!verdict.ok) {
    reachLogs.linkRefused(purpose, verdict.reason);
    throw linkRefused(verdict);
  }
  return verdict.claims;
}

function verified(token: string, purpose: LinkPurpose, now: Date): string {
  return verifiedClaims(token, purpose, now).threadId;
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
  const refusal = endpointRefusal(body.subscription.endpoint);
  if (refusal) throw new HttpError(400, PUSH_ENDPOINT_REFUSALS[refusal], { code: refusal });
  const id = subscriptionId(body.subscription.endpoint);
  const now = await clock.now(body.threadId);
  const settings = await getBusinessSettings(now.getTime());
  try {
    const { created } = await savePushSubscription({
      now,
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

/**
 * POST /api/resume {token}: EXCHANGES the link for the caller's device (its Auth uid), once. The same
 * device may present it again (a reload); any other device gets 410 `used`. The access ends with the
 * reach window (domain/visitorAccess.ts), so a forwarded link buys nothing lasting.
 */
async function resume(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(Resume, req.body);
  const now = await clock.now();
  const claims = verifiedClaims(body.token, "resume", now);
  try {
    const { attached, accessUntil } = await exchangeLink({
      threadId: claims.threadId,
      nonce: claims.nonce,
      linkExpiresAt: claims.expiresAt,
      uid: visitor.uid,
      now,
    });
    reachLogs.threadResumed(claims.threadId, attached);
    const answer: ResumeResult = {
      threadId: claims.threadId,
      attached,
      accessUntil: accessUntil?.toISOString() ?? null,
    };
    res.json(answer);
  } catch (err) {
    if (err instanceof ThreadNotFound) throw new HttpError(410, GONE);
    if (err instanceof AlreadyUsed) {
      reachLogs.linkRefused("resume", "used");
      throw new HttpError(410, LINK_REFUSALS.used, { code: "used" });
    }
    if (err instanceof WindowClosed) throw new HttpError(410, LINK_REFUSALS.expired, { code: "expired" });
    throw err;
  }
}

/**
 * POST /api/resume/renew {token}: from the page of an expired or used-up link, a fresh link is mailed
 * to the address already on file for the thread, if there is one. The answer is the same either way
 * (202): the page learns nothing about the thread. Only genuine links qualify (forged or altered ones
 * name no thread we can trust); counted per thread and per IP.
 */
async function renewLink(req: Request, res: Response): Promise<void> {
  const body = parseOr400(RenewLink, req.body);
  const now = await clock.now();
  const verdict = verifyLink(LINK_SIGNING_SECRET.value(), body.token, { now, purpose: "resume" });
  const claims = verdict.ok ? verdict.claims : verdict.reason === "expired" ? verdict.claims : undefined;
  if (!claims) throw linkRefused(verdict as Exclude<LinkVerdict, { ok: true }>);
  await enforceRateLimits(
    ["renewLink"],
    { visitor: claims.threadId, ip: clientIp(req), peer: peerIp(req) },
    now.getTime(),
  );
  const thread = await readReachThread(claims.threadId);
  const email = thread?.reach.email ? thread.visitor.email : undefined;
  if (thread && email) {
    const settings = await getBusinessSettings(now.getTime());
    const publicUrl = PUBLIC_URL.value();
    const key = LINK_SIGNING_SECRET.value();
    const domain = EMAIL_FROM.value().split("@")[1] ?? "afterchat.local";
    await sendEmail({
      smtpUrl: SMTP_URL.value(),
      from: { name: settings.name, address: EMAIL_FROM.value() },
      to: email,
      email: renderFreshLinkEmail({
        businessName: settings.name,
        resumeUrl: resumeUrl(publicUrl, key, thread.id, now),
        unsubscribeUrl: unsubscribeUrl(publicUrl, key, thread.id, now),
      }),
      messageId: `<fresh-link.${hashId(thread.id, String(now.getTime()))}@${domain}>`,
    });
  }
  reachLogs.freshLinkRequested(claims.threadId, Boolean(thread && email));
  const answer: RenewLinkResult = { ok: true };
  res.status(202).json(answer);
}

/**
 * Headers of the pages this API serves (a refused link, the unsubscribe button, the outcome): nothing
 * may frame them (a hidden button to click), they run no script, and they send no referrer (their
 * address may carry a link token).
 */
function pageHeaders(res: Response): void {
  res.set(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  res.set("Cache-Control", "no-store");
}

function page(title: string, text: string, extra = ""): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem">` +
    `<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${extra}</body></html>`
  );
}

function sendPage(res: Response, status: number, html: string): void {
  pageHeaders(res);
  res.status(status).type("html").send(html);
}

/** A refused link as a page: the reason a person can read, with the status the API would answer. */
function refusedPage(res: Response, refusal: HttpError): void {
  logs.requestRejected("reachApi", refusal.status, refusal.reason);
  sendPage(res, refusal.status, page("This link cannot be used", refusal.reason));
}

/**
 * The form's button posts the token in the body, to an address without it: the press never puts the
 * token in request logs. The hidden field is what an RFC 8058 one-click request sends.
 */
function unsubscribeForm(token: string): string {
  return (
    `<form method="post" action="/api/email/unsubscribe">` +
    `<input type="hidden" name="token" value="${escapeHtml(token)}">` +
    `<input type="hidden" name="List-Unsubscribe" value="One-Click">` +
    `<button type="submit">Unsubscribe</button></form>`
  );
}

/**
 * GET /api/email/unsubscribe?token=…: the link in the email was opened, by the visitor or by a mail
 * scanner that follows every link. Only a page with a button: opening a link never changes anything.
 */
async function unsubscribePage(req: Request, res: Response): Promise<void> {
  let token: string;
  try {
    token = parseOr400(LinkToken, req.query.token);
    verified(token, "unsubscribe", await clock.now());
  } catch (err) {
    if (err instanceof HttpError) return refusedPage(res, err);
    throw err;
  }
  sendPage(
    res,
    200,
    page(
      "Stop these emails?",
      "You will no longer get an email when there is a reply in this conversation.",
      unsubscribeForm(token),
    ),
  );
}

/**
 * POST /api/email/unsubscribe: the page's button (a browser form: answered with a page), or the
 * RFC 8058 one-click request a mail client sends to the List-Unsubscribe address (answered with
 * JSON). Stops continuity email for the thread. The token comes from the form body, else the address.
 */
async function unsubscribe(req: Request, res: Response): Promise<void> {
  const asPage = req.accepts(["json", "html"]) === "html";
  const fromBody = (req.body as { token?: unknown } | undefined)?.token;
  let result: { threadId: string; changed: boolean };
  try {
    const now = await clock.now();
    const threadId = verified(parseOr400(LinkToken, fromBody ?? req.query.token), "unsubscribe", now);
    const settings = await getBusinessSettings(now.getTime());
    result = { threadId, ...(await unsubscribeEmail(threadId, now, channelPolicies(settings))) };
  } catch (err) {
    const refusal = err instanceof ThreadNotFound ? new HttpError(410, GONE) : err;
    if (!asPage || !(refusal instanceof HttpError)) throw refusal;
    return refusedPage(res, refusal);
  }
  reachLogs.emailUnsubscribed(result.threadId, result.changed);
  if (asPage)
    sendPage(res, 200, page("You're unsubscribed", "We won't email you replies about this conversation any more."));
  else res.json({ ok: true });
}

const CONFIRM_CODE = /^[A-Za-z0-9_-]{43}$/;
const CONFIRM_INVALID =
  "This confirmation link has expired or was already used. Give your address again in the chat to get a new one.";

/** GET /api/email/confirm?code=…: only a page with a button (mail scanners follow links; opening one changes nothing). */
function confirmEmailPage(req: Request, res: Response): void {
  const code = String(req.query.code ?? "");
  if (!CONFIRM_CODE.test(code)) return sendPage(res, 400, page("This link is incomplete", CONFIRM_INVALID));
  sendPage(
    res,
    200,
    page(
      "Confirm your email address?",
      "Replies in this conversation will be emailed to this address.",
      `<form method="post" action="/api/email/confirm"><input type="hidden" name="code" value="${escapeHtml(code)}">` +
        `<button type="submit">Confirm this address</button></form>`,
    ),
  );
}

/** POST /api/email/confirm (form body `code`): the new address takes effect on the thread. */
async function confirmEmail(req: Request, res: Response): Promise<void> {
  const code = String((req.body as { code?: unknown } | undefined)?.code ?? "");
  if (!CONFIRM_CODE.test(code)) return sendPage(res, 400, page("This link is incomplete", CONFIRM_INVALID));
  const now = await clock.now();
  const settings = await getBusinessSettings(now.getTime());
  try {
    const { threadId } = await confirmEmailChange(code, now, (thread, change) => {
      const next = withVisitorEmail(thread, change, channelPolicies(settings));
      return { visitor: next.visitor, reach: next.reach, windows: next.windows, consent: next.consent };
    });
    logs.visitorEmailSaved(threadId);
  } catch (err) {
    if (err instanceof CodeInvalid || err instanceof ThreadNotFound)
      return sendPage(res, 410, page("This link cannot be used", CONFIRM_INVALID));
    throw err;
  }
  sendPage(res, 200, page("Your email address is confirmed", "Replies in this conversation will be emailed to it."));
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
  { secrets: [LINK_SIGNING_SECRET, SMTP_URL] },
  {
    prefix: /^\/api/,
    bodyMaxBytes: 8 * 1024,
    before: cors,
    routes: {
      "/push/config": { GET: pushConfig },
      "/push/subscriptions": { POST: subscribe },
      "/resume": { POST: resume },
      "/resume/renew": { POST: renewLink },
      "/email/unsubscribe": { GET: unsubscribePage, POST: unsubscribe },
      "/email/confirm": { GET: confirmEmailPage, POST: confirmEmail },
    },
  },
);

import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { randomBytes } from "node:crypto";
import { clock } from "../../clock";
import {
  EMAIL_FROM,
  PUBLIC_URL,
  runningInEmulator,
  SMTP_URL,
  WIDGET_APP_CHECK,
  WIDGET_APP_CHECK_SITE_KEY,
} from "../../config";
import { renderEmailConfirmation } from "../email/template";
import { sendEmail } from "../email/send";
import { hashId } from "../../domain/ids";
import { siteUrlOf } from "../../contract/settings";
import {
  EraseConversation,
  type EraseConversationResult,
  MarkSeen,
  SaveEmail,
  type SaveEmailResult,
  SendMessage,
  type SendMessageResult,
  type WidgetConfig,
} from "../../contract/widget";
import { channelPolicies } from "../../domain/channels";
import { availability } from "../../domain/hours";
import { messageIdFor, webThreadIdFor } from "../../domain/ids";
import { MESSAGE_TEXT_MAX, newThread, type ThreadState } from "../../domain/thread";
import { EMAIL_CONSENT_VERSION, withVisitorEmail } from "../../domain/visitorContact";
import { mayUseThread, type WithDevices } from "../../domain/visitorAccess";
import { HttpError, parseOr400 } from "../../http/errors";
import { requireVisitor } from "../../http/visitorAuth";
import { eraseThread } from "../../lifecycle/erase";
import { lifecycleLogs, logs } from "../../logs";
import { getBusinessSettings } from "../../store/settings";
import { recordVisitorMessage } from "../../store/threads";
import { NotVisitorsThread, updateVisitorThread } from "../../store/visitorThreads";
import { recordEmailChange } from "../../store/devices";
import { enforceRateLimits, subjectsOf } from "./guards";

/** GET /config: what the widget shows before the visitor writes (cached by the CDN for a minute). */
export async function getConfig(_req: Request, res: Response): Promise<void> {
  const now = await clock.now();
  const settings = await getBusinessSettings(now.getTime());
  const { open, nextOpenAt } = availability(settings.hours, now);
  const config: WidgetConfig = {
    name: settings.name,
    greeting: settings.greeting,
    awayMessage: settings.awayMessage,
    open,
    nextOpenAt: nextOpenAt?.toISOString() ?? null,
    timeZone: settings.hours?.timeZone ?? null,
    messageMax: MESSAGE_TEXT_MAX,
    emailConsentVersion: EMAIL_CONSENT_VERSION,
    appCheckSiteKey: (WIDGET_APP_CHECK.value() && WIDGET_APP_CHECK_SITE_KEY.value()) || null,
    siteUrl: siteUrlOf(settings, runningInEmulator()),
    accentColor: settings.accentColor && /^#[0-9a-fA-F]{6}$/.test(settings.accentColor) ? settings.accentColor : null,
  };
  res.set("Cache-Control", "public, max-age=60, s-maxage=60");
  res.json(config);
}

/** POST /messages: the visitor's message, stored once per clientMessageId. */
export async function sendMessage(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(SendMessage, req.body);
  const ownThreadId = webThreadIdFor(visitor.uid);
  const threadId = body.threadId ?? ownThreadId;
  const resumed = threadId !== ownThreadId;
  const now = await clock.now(threadId);
  const settings = await getBusinessSettings(now.getTime());
  await enforceRateLimits(["message"], subjectsOf(req, visitor.uid), now.getTime(), { threadId });
  const messageId = messageIdFor("web", `${visitor.uid}:${body.clientMessageId}`);
  const result = await recordVisitorMessage({
    threadId,
    // Another thread is only joined through a resume link (which attaches the uid), never created.
    refreshThread: resumed ? (thread) => requireAttached(thread, visitor.uid, now) : undefined,
    createThread: () =>
      resumed
        ? notAttached()
        : newThread({
            id: threadId,
            origin: "web",
            visitor: { displayName: body.displayName || "Website visitor", locale: body.locale ?? "en" },
            visitorUids: [visitor.uid],
            now,
          }),
    message: { id: messageId, from: "visitor", text: body.text, createdAt: now },
    anchor: now,
    receivedAt: now,
    policies: channelPolicies(settings),
  });
  if (result.duplicate) logs.visitorMessageDuplicate(threadId, messageId);
  else logs.visitorMessageStored(threadId, messageId, "web");
  const answer: SendMessageResult = { threadId, messageId, duplicate: result.duplicate, createdAt: now.toISOString() };
  res.status(result.duplicate ? 200 : 201).json(answer);
}

function requireAttached(thread: ThreadState, uid: string, now: Date): ThreadState {
  if (!mayUseThread(thread as WithDevices, uid, now)) notAttached();
  return thread;
}

function notAttached(): never {
  throw new HttpError(403, "this conversation is not open on this device; use the link from your email");
}

async function onOwnThread<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof NotVisitorsThread) throw new HttpError(404, "no such thread for this visitor");
    throw err;
  }
}

/**
 * POST /email, "Get the reply by email": stored on the thread with the consent version and time. From a
 * device that came in through a link (it may be a forwarded one), a new address takes effect only once
 * its owner confirms it: a confirmation goes to the new address and the answer says `pending`.
 */
export async function saveEmail(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(SaveEmail, req.body);
  const now = await clock.now(body.threadId);
  const settings = await getBusinessSettings(now.getTime());
  await enforceRateLimits(["contact"], subjectsOf(req, visitor.uid), now.getTime());
  let pending = false;
  await onOwnThread(() =>
    updateVisitorThread(
      body.threadId,
      visitor.uid,
      (thread) => {
        const fromLink = Boolean((thread as WithDevices).linkDevices?.[visitor.uid]);
        if (fromLink && thread.visitor.email !== body.email) return void (pending = true);
        const contact = { email: body.email, locale: body.locale, at: now };
        const next = withVisitorEmail(thread, contact, channelPolicies(settings));
        return { visitor: next.visitor, reach: next.reach, windows: next.windows, consent: next.consent };
      },
      now,
    ),
  );
  if (pending) {
    await askToConfirmEmail({ threadId: body.threadId, email: body.email, locale: body.locale, uid: visitor.uid, now });
    const answer: SaveEmailResult = { ok: true, pending: true };
    return void res.status(202).json(answer);
  }
  logs.visitorEmailSaved(body.threadId);
  const answer: SaveEmailResult = { ok: true };
  res.json(answer);
}

async function askToConfirmEmail(w: { threadId: string; email: string; locale: string; uid: string; now: Date }) {
  const code = randomBytes(32).toString("base64url");
  await recordEmailChange({ ...w, code });
  const settings = await getBusinessSettings(w.now.getTime());
  const from = EMAIL_FROM.value();
  await sendEmail({
    smtpUrl: SMTP_URL.value(),
    from: { name: settings.name, address: from },
    to: w.email,
    email: renderEmailConfirmation({
      businessName: settings.name,
      confirmUrl: `${PUBLIC_URL.value().replace(/\/$/, "")}/api/email/confirm?code=${code}`,
    }),
    messageId: `<email-change.${hashId(code)}@${from.split("@")[1] ?? "afterchat.local"}>`,
  });
}

/**
 * POST /seen: the visitor has seen the thread up to now (drives "read" for agents and skips
 * continuity emails). Written only when something newer than the last mark exists: at most once per reply.
 */
export async function markSeen(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(MarkSeen, req.body);
  const now = await clock.now(body.threadId);
  const written = await onOwnThread(() =>
    updateVisitorThread(
      body.threadId,
      visitor.uid,
      (thread) => {
        const seen = (thread as { visitorLastSeenAt?: Date }).visitorLastSeenAt;
        const last = thread.lastMessage?.at;
        if (!last || (seen && seen.getTime() >= last.getTime())) return undefined;
        return { visitorLastSeenAt: now };
      },
      now,
    ),
  );
  res.json({ ok: true, updated: Boolean(written) });
}

/**
 * POST /erase, "Delete conversation": erases the thread and everything under it, only for a
 * visitor attached to it (its visitorUids; clients can never delete through the rules). A thread
 * that is gone, or not this visitor's, is a 404 either way: erasing twice changes nothing.
 */
export async function eraseConversation(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(EraseConversation, req.body);
  const now = await clock.now(body.threadId);
  await enforceRateLimits(["erase"], subjectsOf(req, visitor.uid), now.getTime());
  lifecycleLogs.eraseRequested(body.threadId, "visitor", visitor.uid);
  const result = await onOwnThread(() =>
    eraseThread(body.threadId, {
      by: "visitor",
      now,
      // As for every other visitor route: a device that came in through a link only while the window is open.
      check: (thread) => {
        if (!mayUseThread(thread, visitor.uid, now)) throw new NotVisitorsThread(body.threadId);
      },
    }),
  );
  if (result.status === "not_found") throw new HttpError(404, "no such thread for this visitor");
  const answer: EraseConversationResult = { ok: true, erased: true };
  res.json(answer);
}

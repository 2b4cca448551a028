import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { z } from "zod";
import { channelPolicies } from "../../domain/channels";
import { availability } from "../../domain/hours";
import { messageIdFor, webThreadIdFor } from "../../domain/ids";
import { MESSAGE_TEXT_MAX, newThread, type ThreadState } from "../../domain/thread";
import { systemClock } from "../../domain/time";
import { EMAIL_CONSENT_VERSION, withVisitorEmail } from "../../domain/visitorContact";
import { HttpError, parseOr400 } from "../../http/errors";
import { requireVisitor } from "../../http/visitorAuth";
import { logs } from "../../logs";
import type { BusinessSettings } from "../../store/settings";
import { recordVisitorMessage } from "../../store/threads";
import { NotVisitorsThread, updateVisitorThread } from "../../store/visitorThreads";
import { clientIp, enforceRateLimits } from "./guards";

const Locale = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/, "locale must be a language tag");
const ThreadId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "threadId is malformed");

const SendMessage = z.object({
  text: z
    .string()
    .trim()
    .min(1, "message is empty")
    .max(MESSAGE_TEXT_MAX, `message is longer than ${MESSAGE_TEXT_MAX} characters`),
  /** Chosen by the widget per message, so a retried send is stored once. */
  clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "clientMessageId must be 8-64 letters, digits, - or _"),
  displayName: z.string().trim().max(80).optional(),
  locale: Locale.optional(),
  /** The thread the widget shows: its own, or one it was attached to by a resume link. */
  threadId: ThreadId.optional(),
});

const SaveEmail = z.object({
  threadId: ThreadId,
  email: z.email("that does not look like an email address").max(254),
  /** The visitor ticked the consent shown next to the field; without it nothing is stored. */
  consent: z.literal(true, "consent is required to email you"),
  locale: Locale.default("en"),
});

const MarkSeen = z.object({ threadId: ThreadId });

interface Context {
  req: Request;
  res: Response;
  settings: BusinessSettings;
}

/** Public: what the widget shows before the visitor writes (cached by the CDN for a minute). */
export function getConfig({ res, settings }: Context): void {
  const now = systemClock();
  const { open, nextOpenAt } = availability(settings.hours, now);
  res.set("Cache-Control", "public, max-age=60, s-maxage=60");
  res.json({
    name: settings.name,
    greeting: settings.greeting,
    awayMessage: settings.awayMessage,
    open,
    nextOpenAt: nextOpenAt?.toISOString() ?? null,
    timeZone: settings.hours?.timeZone ?? null,
    messageMax: MESSAGE_TEXT_MAX,
    emailConsentVersion: EMAIL_CONSENT_VERSION,
  });
}

export async function sendMessage({ req, res, settings }: Context): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(SendMessage, req.body);
  const now = systemClock();
  const ownThreadId = webThreadIdFor(visitor.uid);
  const threadId = body.threadId ?? ownThreadId;
  const resumed = threadId !== ownThreadId;
  await enforceRateLimits(["message"], { visitor: visitor.uid, ip: clientIp(req) }, now.getTime(), { threadId });
  const messageId = messageIdFor("web", `${visitor.uid}:${body.clientMessageId}`);
  const result = await recordVisitorMessage({
    threadId,
    // Another thread is only joined through a resume link (which attaches the uid), never created.
    refreshThread: resumed ? (thread) => requireAttached(thread, visitor.uid) : undefined,
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
  res
    .status(result.duplicate ? 200 : 201)
    .json({ threadId, messageId, duplicate: result.duplicate, createdAt: now.toISOString() });
}

function requireAttached(thread: ThreadState, uid: string): ThreadState {
  if (!thread.visitorUids.includes(uid)) notAttached();
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

/** "Get the reply by email": stored on the thread with the consent version and time. */
export async function saveEmail({ req, res, settings }: Context): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(SaveEmail, req.body);
  const now = systemClock();
  await enforceRateLimits(["contact"], { visitor: visitor.uid, ip: clientIp(req) }, now.getTime());
  await onOwnThread(() =>
    updateVisitorThread(body.threadId, visitor.uid, (thread) => {
      const next = withVisitorEmail(
        thread,
        { email: body.email, locale: body.locale, at: now },
        channelPolicies(settings),
      );
      return { visitor: next.visitor, reach: next.reach, windows: next.windows, consent: next.consent };
    }),
  );
  logs.visitorEmailSaved(body.threadId);
  res.json({ ok: true });
}

/**
 * The visitor has seen the thread up to now (drives "read" for agents and skips continuity
 * emails). Written only when something newer than the last mark exists: at most once per reply.
 */
export async function markSeen({ req, res }: Context): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(MarkSeen, req.body);
  const now = systemClock();
  const written = await onOwnThread(() =>
    updateVisitorThread(body.threadId, visitor.uid, (thread) => {
      const seen = (thread as { visitorLastSeenAt?: Date }).visitorLastSeenAt;
      const last = thread.lastMessage?.at;
      if (!last || (seen && seen.getTime() >= last.getTime())) return undefined;
      return { visitorLastSeenAt: now };
    }),
  );
  res.json({ ok: true, updated: Boolean(written) });
}

import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { onRequest } from "firebase-functions/https";
import { z } from "zod";
import { REGION } from "../config";
import { channelPolicies } from "../domain/channels";
import { messageIdFor, webThreadIdFor } from "../domain/ids";
import { MESSAGE_TEXT_MAX, newThread } from "../domain/thread";
import { systemClock } from "../domain/time";
import { HttpError, parseOr400, sendError } from "../http/errors";
import { requireVisitor } from "../http/visitorAuth";
import { logs } from "../logs";
import { getBusinessSettings } from "../store/settings";
import { recordVisitorMessage } from "../store/threads";

const BODY_MAX_BYTES = 32 * 1024;

const SendMessage = z.object({
  text: z.string().trim().min(1, "message is empty").max(MESSAGE_TEXT_MAX, `message is longer than ${MESSAGE_TEXT_MAX} characters`),
  /** Chosen by the widget per message, so a retried send is stored once. */
  clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "clientMessageId must be 8-64 letters, digits, - or _"),
  displayName: z.string().trim().max(80).optional(),
  locale: z.string().max(35).optional(),
});

async function sendMessage(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(SendMessage, req.body);
  const now = systemClock();
  const settings = await getBusinessSettings(now.getTime());
  const threadId = webThreadIdFor(visitor.uid);
  const messageId = messageIdFor("web", `${visitor.uid}:${body.clientMessageId}`);
  const result = await recordVisitorMessage({
    threadId,
    createThread: () =>
      newThread({
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
  res.status(result.duplicate ? 200 : 201).json({ threadId, messageId, duplicate: result.duplicate });
}

async function route(req: Request, res: Response): Promise<void> {
  // Reached as /api/widget/<route> through Hosting, or /<route> on the function's own URL.
  const path = req.path.replace(/^\/api\/widget/, "") || "/";
  if (path === "/messages") {
    if (req.method !== "POST") throw new HttpError(405, "use POST");
    if ((req.rawBody?.length ?? 0) > BODY_MAX_BYTES) throw new HttpError(413, "request body too large");
    return sendMessage(req, res);
  }
  throw new HttpError(404, "no such widget route");
}

/** The widget's HTTP API (the chat app runs on our own origin, in an iframe). */
export const widgetApi = onRequest({ region: REGION }, async (req, res) => {
  try {
    await route(req, res);
  } catch (err) {
    if (err instanceof HttpError) {
      logs.requestRejected("widgetApi", err.status, err.reason);
      return sendError(res, err);
    }
    logs.unexpectedError("widgetApi", err);
    sendError(res, new HttpError(500, "internal error"));
  }
});

import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { onRequest } from "firebase-functions/https";
import { PUBLIC_URL, REGION, WIDGET_APP_CHECK } from "../config";
import { applyCors, RateLimited, requireAppCheck } from "../channels/web/guards";
import { getConfig, markSeen, saveEmail, sendMessage } from "../channels/web/routes";
import { systemClock } from "../domain/time";
import { HttpError, sendError } from "../http/errors";
import { logs } from "../logs";
import { getBusinessSettings } from "../store/settings";

const BODY_MAX_BYTES = 32 * 1024;

type Handler = typeof sendMessage;
const ROUTES: Record<string, { method: "GET" | "POST"; handler: Handler; appCheck: boolean }> = {
  "/config": { method: "GET", handler: async (c) => getConfig(c), appCheck: false },
  "/messages": { method: "POST", handler: sendMessage, appCheck: true },
  "/email": { method: "POST", handler: saveEmail, appCheck: true },
  "/seen": { method: "POST", handler: markSeen, appCheck: true },
};

async function route(req: Request, res: Response): Promise<void> {
  // Reached as /api/widget/<route> through Hosting, or /<route> on the function's own URL.
  const path = req.path.replace(/^\/api\/widget/, "") || "/";
  const settings = await getBusinessSettings(systemClock().getTime());
  if (applyCors(req, res, settings.allowedOrigins, PUBLIC_URL.value())) return;
  const target = ROUTES[path];
  if (!target) throw new HttpError(404, "no such widget route");
  if (req.method !== target.method) throw new HttpError(405, `use ${target.method}`);
  if ((req.rawBody?.length ?? 0) > BODY_MAX_BYTES) throw new HttpError(413, "request body too large");
  if (target.appCheck && WIDGET_APP_CHECK.value()) await requireAppCheck(req);
  await target.handler({ req, res, settings });
}

/**
 * The widget's HTTP API (the chat app runs on our own origin, in an iframe). CORS is ours
 * (applyCors, per the business's allowed origins): `cors: false` also stops the emulator's
 * permissive default from answering preflights before we do.
 */
export const widgetApi = onRequest({ region: REGION, cors: false }, async (req, res) => {
  try {
    await route(req, res);
  } catch (err) {
    if (err instanceof HttpError) {
      logs.requestRejected("widgetApi", err.status, err.reason);
      if (err instanceof RateLimited) {
        res.set("Retry-After", String(err.retryAfterSeconds));
        res.status(429).json({
          error: err.reason,
          code: "rate_limited",
          rule: err.rule.name,
          retryAfterSeconds: err.retryAfterSeconds,
        });
        return;
      }
      return sendError(res, err);
    }
    logs.unexpectedError("widgetApi", err);
    sendError(res, new HttpError(500, "internal error"));
  }
});

import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { PUBLIC_URL, SMTP_URL, WIDGET_APP_CHECK } from "../config";
import { applyCors, requireAppCheck, requireHosting } from "../channels/web/guards";
import { createHandoffCode, redeemHandoffCode, signOutDevices } from "../channels/web/deviceRoutes";
import { eraseConversation, getConfig, markSeen, saveEmail, sendMessage } from "../channels/web/routes";
import { clock } from "../clock";
import { defineHttpApi, type Handler } from "../http/api";
import { getBusinessSettings } from "../store/settings";

/** Optional App Check (param WIDGET_APP_CHECK) on every visitor call that writes. */
const checked =
  (handler: Handler): Handler =>
  async (req, res) => {
    if (WIDGET_APP_CHECK.value()) await requireAppCheck(req);
    await handler(req, res);
  };

/**
 * Before any route: only traffic through Hosting, then CORS for the business's listed origins
 * (settings/business.allowedOrigins).
 */
async function guard(req: Request, res: Response): Promise<boolean> {
  requireHosting(req, PUBLIC_URL.value());
  const settings = await getBusinessSettings((await clock.now()).getTime());
  return applyCors(req, res, settings.allowedOrigins, PUBLIC_URL.value());
}

/**
 * The widget's HTTP API (the chat app runs on our own origin, in an iframe). CORS is ours
 * (applyCors): `cors: false` also stops the emulator's permissive default from answering
 * preflights before we do.
 */
export const widgetApi = defineHttpApi(
  "widgetApi",
  { cors: false, secrets: [SMTP_URL] }, // SMTP: a new address from a link device is confirmed by email
  {
    prefix: /^\/api\/widget/,
    bodyMaxBytes: 32 * 1024,
    before: guard,
    routes: {
      "/config": { GET: getConfig },
      "/messages": { POST: checked(sendMessage) },
      "/email": { POST: checked(saveEmail) },
      "/seen": { POST: checked(markSeen) },
      "/erase": { POST: checked(eraseConversation) },
      "/handoff": { POST: checked(createHandoffCode) },
      "/handoff/redeem": { POST: checked(redeemHandoffCode) },
      "/devices/signout": { POST: checked(signOutDevices) },
    },
  },
);

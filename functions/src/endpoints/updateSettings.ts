import { onCall } from "firebase-functions/https";
import { z } from "zod";
import { REGION } from "../config";
import { parseOrInvalid, requireRole } from "../http/consoleAuth";
import { logs } from "../logs";
import { BusinessSettingsSchema, saveBusinessSettings } from "../store/settings";

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Stricter than the reader's schema: what an admin saves must be well formed. */
const SettingsInput = BusinessSettingsSchema.extend({
  name: z.string().trim().min(1, "business name is empty").max(100),
  greeting: z.string().trim().max(500),
  awayMessage: z.string().trim().max(500),
  allowedOrigins: z
    .array(z.string().regex(/^https?:\/\/[^/\s]+$/, "an allowed origin looks like https://shop.example"))
    .max(50),
  followUpTemplate: z.string().trim().min(1, "follow-up template is empty").max(1000),
  hours: z
    .object({
      timeZone: z.string().refine(isTimeZone, "unknown time zone"),
      days: z.array(z.object({ open: z.string().regex(HHMM), close: z.string().regex(HHMM) }).nullable()).length(7),
    })
    .optional(),
}).superRefine((s, ctx) => {
  const seen = new Set<string>();
  for (const c of s.cannedReplies) {
    if (seen.has(c.shortcut)) ctx.addIssue({ code: "custom", message: `canned reply /${c.shortcut} appears twice` });
    seen.add(c.shortcut);
  }
});

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Admins replace the business settings (validated here, so every reader can trust the document). */
export const updateSettings = onCall({ region: REGION }, async (request) => {
  const caller = requireRole(request, ["admin"]);
  const settings = parseOrInvalid(SettingsInput, request.data);
  await saveBusinessSettings(settings);
  logs.settingsUpdated(caller.uid);
  return { settings };
});

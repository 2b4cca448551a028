import { defineCallable } from "../http/callable";
import { logs } from "../logs";
import { saveBusinessSettings } from "../store/settings";

/** Admins replace the business settings (validated by the contract, so every reader can trust the document). */
export const updateSettings = defineCallable("updateSettings", { roles: ["admin"] }, async (settings, admin) => {
  await saveBusinessSettings(settings);
  logs.settingsUpdated(admin.uid);
  return { settings };
});

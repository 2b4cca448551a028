import { clock } from "../clock";
import { defineCallable } from "../http/callable";
import { eraseThread as erase } from "../lifecycle/erase";
import { lifecycleLogs } from "../logs";

/** Admins erase one thread and everything under it; a thread already gone answers `not_found`. */
export const eraseThread = defineCallable(
  "eraseThread",
  { roles: ["admin"], timeoutSeconds: 300 },
  async ({ threadId }, admin) => {
    lifecycleLogs.eraseRequested(threadId, "admin", admin.uid);
    return erase(threadId, { by: "admin", now: await clock.now(threadId) });
  },
);

import { clock } from "../clock";
import { defineCallable } from "../http/callable";
import { eraseByEmail } from "../lifecycle/erase";

/** Admins erase every thread that carries a visitor's email (an erasure request by a person). */
export const eraseVisitorData = defineCallable(
  "eraseVisitorData",
  { roles: ["admin"], timeoutSeconds: 540 },
  async ({ email }, admin) => ({ erased: await eraseByEmail(email, { now: await clock.now(), adminUid: admin.uid }) }),
);

import { onSchedule } from "firebase-functions/scheduler";
import { REGION } from "../config";
import { followUpClock } from "../followUps/clock";
import { sweepFollowUps } from "../followUps/sweep";

/** Hourly safety net: plans missing follow-ups and re-plans overdue ones (idempotent). */
export const followUpSweep = onSchedule({ region: REGION, schedule: "every 60 minutes", timeoutSeconds: 540 }, async () => {
  await sweepFollowUps(await followUpClock());
});

import { onSchedule } from "firebase-functions/scheduler";
import { clock } from "../clock";
import { REGION } from "../config";
import { sweepFollowUps } from "../followUps/sweep";
import { wakeOverdueSnoozes } from "../snooze/wake";

/**
 * Hourly safety net: plans missing follow-ups, re-plans overdue ones, and wakes snoozes whose
 * wake-up task was lost (idempotent).
 */
export const followUpSweep = onSchedule(
  { region: REGION, schedule: "every 60 minutes", timeoutSeconds: 540 },
  async () => {
    const reading = await clock.reading();
    await sweepFollowUps(reading);
    await wakeOverdueSnoozes(reading);
  },
);

import { onSchedule } from "firebase-functions/scheduler";
import { REGION } from "../config";
import { followUpClock } from "../followUps/clock";
import { wakeOverdueSnoozes } from "../snooze/wake";
import { sweepFollowUps } from "../followUps/sweep";

/**
 * Hourly safety net: plans missing follow-ups, re-plans overdue ones, and wakes snoozes whose
 * wake-up task was lost (idempotent).
 */
export const followUpSweep = onSchedule(
  { region: REGION, schedule: "every 60 minutes", timeoutSeconds: 540 },
  async () => {
    const clock = await followUpClock();
    await sweepFollowUps(clock);
    await wakeOverdueSnoozes(clock);
  },
);

import { onSchedule } from "firebase-functions/scheduler";
import { clock } from "../clock";
import { REGION } from "../config";
import { sweepRetention } from "../lifecycle/retention";
import { sweepFollowUps } from "../followUps/sweep";
import { wakeOverdueSnoozes } from "../snooze/wake";

const TIMEOUT_S = 540;
/** Left for the retention sweep to finish its last batch and log before the timeout. */
const MARGIN_MS = 90_000;

/**
 * Hourly safety net: plans missing follow-ups, re-plans overdue ones, and wakes snoozes whose
 * wake-up task was lost (idempotent). Then erases threads past the retention period with the time
 * left: what does not fit goes next hour (the sweep is resumable).
 */
export const followUpSweep = onSchedule(
  { region: REGION, schedule: "every 60 minutes", timeoutSeconds: TIMEOUT_S },
  async () => {
    const startedAt = Date.now();
    const reading = await clock.reading();
    await sweepFollowUps(reading);
    await wakeOverdueSnoozes(reading);
    await sweepRetention(reading, { budgetMs: TIMEOUT_S * 1000 - MARGIN_MS - (Date.now() - startedAt) });
  },
);

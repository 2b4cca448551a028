// The emulator-only devFollowUps endpoint (/api/dev/followups/…): tests and the local demo move time.
import { z } from "zod";
import { ThreadId } from "./ids";

/** POST /clock: shift the dev clock, globally or for one thread, or reset it. */
export const DevClockChange = z.union([
  z.object({ reset: z.literal(true) }),
  z.object({ offsetMs: z.number().int(), threadId: ThreadId.optional() }),
]);
export type DevClockChange = z.input<typeof DevClockChange>;

/** POST /run-due: send planned follow-ups now (one thread's, or every thread's). */
export const RunDue = z.object({ threadId: ThreadId.optional() });
export type RunDue = z.input<typeof RunDue>;

/** POST /insights-backfill: one bounded batch of the backfill, from a cursor (the last thread id done). */
export const InsightsBackfillBatch = z.object({
  after: ThreadId.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});
export type InsightsBackfillBatch = z.input<typeof InsightsBackfillBatch>;

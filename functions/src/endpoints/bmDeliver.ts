import { onTaskDispatched } from "firebase-functions/tasks";
import { z } from "zod";
import { REGION } from "../config";
import { BM_RETRY, runBmTask, type BmTask } from "../channels/businessMessages/tasks";
import { channelPolicies } from "../domain/channels";
import { systemClock } from "../domain/time";
import { logs } from "../logs";
import { getBusinessSettings } from "../store/settings";

const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,256}$/);
const Representative = z.object({
  representativeType: z.enum(["HUMAN", "BOT"]),
  displayName: z.string().max(100).optional(),
});
const Task = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("message"), threadId: id, messageId: id }),
  z.object({
    kind: z.literal("event"),
    threadId: id,
    conversationId: id,
    eventId: id,
    eventType: z.enum(["TYPING_STARTED", "TYPING_STOPPED", "REPRESENTATIVE_JOINED", "REPRESENTATIVE_LEFT"]),
    representative: Representative,
  }),
  z.object({ kind: z.literal("receipt"), threadId: id, conversationId: id, messageId: id }),
  z.object({ kind: z.literal("survey"), threadId: id, conversationId: id, surveyId: id }),
]);

/**
 * The Business Messages outbox: one task per API call (message, event, receipt, survey).
 * Throwing makes Cloud Tasks retry with exponential backoff (429/5xx); permanent failures return.
 */
export const bmDeliver = onTaskDispatched<BmTask>(
  { region: REGION, retryConfig: { ...BM_RETRY }, rateLimits: { maxConcurrentDispatches: 20 }, timeoutSeconds: 60 },
  async (req) => {
    const parsed = Task.safeParse(req.data);
    if (!parsed.success) {
      logs.requestRejected("bmDeliver", 400, "malformed task");
      return;
    }
    const now = systemClock();
    const settings = await getBusinessSettings(now.getTime());
    await runBmTask(parsed.data, { now, retryCount: req.retryCount ?? 0, policies: channelPolicies(settings) });
  },
);

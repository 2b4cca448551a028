import { HttpsError, onCall } from "firebase-functions/https";
import { z } from "zod";
import { REGION } from "../config";
import { MESSAGE_TEXT_MAX } from "../domain/thread";
import { scheduleAgentFollowUp } from "../followUps/agent";
import { requireAgent } from "../followUps/agentAuth";
import { nowFor } from "../followUps/clock";
import { ThreadNotFound } from "../store/threads";

const Schedule = z
  .object({
    threadId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "threadId is not a thread id"),
    text: z.string().trim().min(1, "text is empty").max(MESSAGE_TEXT_MAX),
    /** "Send this at …" (ISO 8601 with a time zone offset). */
    sendAt: z.iso.datetime({ offset: true, message: "sendAt must be an ISO 8601 date-time" }).optional(),
    /** "Follow up in N days if there is no reply". */
    afterDays: z.number().positive().max(365).optional(),
    /** Skip it if the visitor writes first (default: true with afterDays, false with sendAt). */
    ifNoReply: z.boolean().optional(),
  })
  .refine((d) => (d.sendAt === undefined) !== (d.afterDays === undefined), {
    message: "give exactly one of sendAt or afterDays",
  });

/** The console schedules a follow-up; refused with a reason if it would fire after the window closes. */
export const scheduleFollowUp = onCall({ region: REGION }, async (request) => {
  const agent = requireAgent(request);
  const parsed = Schedule.safeParse(request.data);
  if (!parsed.success) throw new HttpsError("invalid-argument", parsed.error.issues[0]?.message ?? "invalid follow-up");
  const d = parsed.data;
  const when = d.sendAt !== undefined ? { sendAt: new Date(d.sendAt) } : { afterDays: d.afterDays! };
  try {
    const plan = await scheduleAgentFollowUp(
      d.threadId,
      {
        ...when,
        text: d.text,
        agentUid: agent.uid,
        authorName: agent.name,
        ifNoReply: d.ifNoReply ?? d.afterDays !== undefined,
      },
      await nowFor(d.threadId),
    );
    if (!plan.ok) throw new HttpsError("failed-precondition", plan.reason, { code: plan.code });
    return {
      taskId: plan.followUp.taskId,
      dueAt: plan.followUp.dueAt.toISOString(),
      windowClosesAt: plan.closesAt.toISOString(),
      ifNoReply: plan.followUp.ifNoReply,
    };
  } catch (err) {
    if (err instanceof ThreadNotFound) throw new HttpsError("not-found", err.message);
    throw err;
  }
});

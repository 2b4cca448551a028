import { clock } from "../clock";
import { Refused } from "../domain/errors";
import { scheduleAgentFollowUp } from "../followUps/agent";
import { defineCallable } from "../http/callable";

/** The console schedules a follow-up; refused with a reason if it would fire after the window closes. */
export const scheduleFollowUp = defineCallable("scheduleFollowUp", { roles: ["agent", "admin"] }, async (d, agent) => {
  const when = d.sendAt !== undefined ? { sendAt: new Date(d.sendAt) } : { afterDays: d.afterDays! };
  const plan = await scheduleAgentFollowUp(
    d.threadId,
    {
      ...when,
      text: d.text,
      agentUid: agent.uid,
      authorName: agent.name,
      ifNoReply: d.ifNoReply ?? d.afterDays !== undefined,
    },
    await clock.now(d.threadId),
  );
  if (!plan.ok) throw new Refused(plan.code, plan.reason);
  return {
    taskId: plan.followUp.taskId,
    dueAt: plan.followUp.dueAt.toISOString(),
    windowClosesAt: plan.closesAt.toISOString(),
    ifNoReply: plan.followUp.ifNoReply,
  };
});

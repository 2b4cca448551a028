import {
  cancelByAgent,
  planAgentFollowUp,
  type AgentFollowUpPlan,
  type AgentFollowUpRequest,
  type FollowUpReview,
} from "../domain/followUps";
import { followUpLogs } from "../logs";
import { changeFollowUp } from "../store/followUps";
import { ThreadNotFound } from "../store/threads";
import { applyTasks, followUpSettings } from "./review";

/** An agent schedules a follow-up: validated against the window inside the transaction, then enqueued. */
export async function scheduleAgentFollowUp(
  threadId: string,
  req: AgentFollowUpRequest,
  now: Date,
): Promise<AgentFollowUpPlan> {
  const { policies } = await followUpSettings();
  const plan = await changeFollowUp<AgentFollowUpPlan>(threadId, (thread) => {
    if (!thread) throw new ThreadNotFound(threadId);
    const result = planAgentFollowUp(thread, req, now, policies);
    // The text and author go to the agents-only details document, in the same batch as the slot.
    return result.ok ? { followUp: result.followUp, details: result.details, result } : { result };
  });
  if (plan.ok) await applyTasks(threadId, plan, now);
  else followUpLogs.agentScheduleRefused(threadId, plan.code);
  return plan;
}

/** An agent cancels the planned follow-up (automatic or scheduled). */
export async function cancelAgentFollowUp(threadId: string, agentUid: string, now: Date): Promise<FollowUpReview> {
  const review = await changeFollowUp<FollowUpReview>(threadId, (thread) => {
    if (!thread) throw new ThreadNotFound(threadId);
    const result = cancelByAgent(thread, agentUid);
    return result.action === "keep"
      ? { result }
      : { followUp: result.followUp, details: result.action === "stop" ? result.details : undefined, result };
  });
  if (review.action !== "keep") await applyTasks(threadId, review, now);
  return review;
}

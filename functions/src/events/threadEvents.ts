import { aboutAgentFollowUp, threadEvents, type AfterchatEvent } from "../domain/events";
import { followUpPlanId, type FollowUp, type FollowUpThread } from "../domain/followUps";
import { getFollowUpDetails } from "../store/followUps";

/**
 * `threadEvents`, with the agent who scheduled a follow-up named in its followup.* events (the
 * documented `agentUid`). The uid lives in the plan's agents-only details, not on the thread its
 * visitor reads, so this costs 1 read per agent plan involved — only for the writes that publish an
 * agent follow-up event (scheduled, sent, cancelled); every other thread write costs nothing.
 */
export async function threadEventsWithAgents(
  threadId: string,
  before: FollowUpThread | undefined,
  after: FollowUpThread | undefined,
  now: Date,
): Promise<AfterchatEvent[]> {
  const events = threadEvents(threadId, before, after, now);
  if (!aboutAgentFollowUp(events)) return events;
  const plans = new Map<string, FollowUp>();
  for (const f of [before?.followUp, after?.followUp]) if (f?.kind === "agent") plans.set(followUpPlanId(f), f);
  const agents = new Map<string, string | undefined>();
  await Promise.all(
    [...plans].map(async ([id, f]) => agents.set(id, (await getFollowUpDetails(threadId, f))?.agentUid)),
  );
  return threadEvents(threadId, before, after, now, (f) => agents.get(followUpPlanId(f)));
}

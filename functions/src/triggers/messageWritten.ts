import { enqueueBmTask } from "../channels/businessMessages/tasks";
import type { Fact } from "../domain/insights";
import { messageReactions, type MessageReaction, type MessageWrite } from "../domain/reactions";
import { publishEvents } from "../events/publisher";
import { planContinuity } from "../reach/onReply";
import { alertAwayAgents } from "../reach/agentAlerts";
import { clock } from "../clock";
import { countFacts } from "../store/insights";
import { getBusinessSettings } from "../store/settings";
import { settleAll } from "./settle";

/** Every message write: runs what domain/reactions.ts says it causes. */
export async function onMessageWrite(write: MessageWrite): Promise<void> {
  await settleAll(messageReactions(write).map((reaction) => run(write, reaction)));
}

function run({ threadId, messageId }: MessageWrite, reaction: MessageReaction): Promise<void> {
  switch (reaction.kind) {
    case "publish":
      return publishEvents(reaction.events);
    case "deliverBm":
      return enqueueBmTask({ kind: "message", threadId, messageId });
    case "planContinuity":
      return planContinuity(threadId, messageId, reaction.replyAt);
    case "alertAgents":
      return clock.now(threadId).then((now) => alertAwayAgents(threadId, now));
    case "countInsights":
      return countInsights(reaction.facts);
  }
}

async function countInsights(facts: Fact[]): Promise<void> {
  const settings = await getBusinessSettings();
  await countFacts(facts, settings.hours?.timeZone ?? "UTC");
}

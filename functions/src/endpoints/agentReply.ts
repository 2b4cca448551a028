import { clock } from "../clock";
import { channelPolicies } from "../domain/channels";
import type { Delivery } from "../domain/delivery";
import { hashId } from "../domain/ids";
import { channelOrderOf, chooseReplyChannel } from "../domain/reply";
import { defineCallable } from "../http/callable";
import { logs } from "../logs";
import { getBusinessSettings } from "../store/settings";
import { recordAgentMessage, SendRefused } from "../store/threads";

/** The live widget needs no transport: storing the reply is delivering it. */
function initialDelivery(channel: Delivery["channel"]): Delivery {
  return channel === "web" ? { channel, state: "sent", attempts: 1 } : { channel, state: "pending", attempts: 0 };
}

/** An agent replies from the console: window checked on the channel it will use, reply stored. */
export const agentReply = defineCallable("agentReply", { roles: ["agent", "admin"] }, async (input, agent) => {
  const { threadId, text, clientMessageId, suggestions, richCard, image } = input;
  const now = await clock.now(threadId);
  const settings = await getBusinessSettings(now.getTime());
  const policies = channelPolicies(settings);
  try {
    const result = await recordAgentMessage({
      threadId,
      messageId: `agent_${hashId(agent.uid, clientMessageId)}`,
      text,
      from: "agent",
      agentUid: agent.uid,
      authorName: agent.name,
      suggestions,
      richCard,
      imageContent: image,
      now,
      decide: (thread) => chooseReplyChannel(thread, { now, policies, order: channelOrderOf(settings) }),
      delivery: initialDelivery,
    });
    logs.agentReplyStored(threadId, result.message.id, result.decision.channel);
    return {
      messageId: result.message.id,
      channel: result.decision.channel,
      windowClosesAt: result.decision.closesAt.toISOString(),
      duplicate: result.duplicate,
    };
  } catch (err) {
    if (err instanceof SendRefused) logs.agentReplyRefused(threadId, err.decision.code);
    throw err;
  }
});

import { HttpsError, onCall } from "firebase-functions/https";
import { z } from "zod";
import { REGION } from "../config";
import { channelPolicies } from "../domain/channels";
import type { Delivery } from "../domain/delivery";
import { hashId } from "../domain/ids";
import { channelOrderOf, chooseReplyChannel } from "../domain/reply";
import { MESSAGE_TEXT_MAX } from "../domain/thread";
import { systemClock } from "../domain/time";
import { logs } from "../logs";
import { getBusinessSettings } from "../store/settings";
import { recordAgentMessage, SendRefused, ThreadNotFound } from "../store/threads";

const AgentReply = z.object({
  threadId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  text: z.string().trim().min(1, "reply is empty").max(MESSAGE_TEXT_MAX),
  clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
});

export const AGENT_ROLES = ["agent", "admin"] as const;

/** The live widget needs no transport: storing the reply is delivering it. */
function initialDelivery(channel: Delivery["channel"]): Delivery {
  return channel === "web" ? { channel, state: "sent", attempts: 1 } : { channel, state: "pending", attempts: 0 };
}

/** An agent replies from the console: claims checked, window checked, reply stored. */
export const agentReply = onCall({ region: REGION }, async (request) => {
  const role = request.auth?.token.role;
  if (!request.auth || !AGENT_ROLES.includes(role)) {
    throw new HttpsError("permission-denied", "Only agents can reply.");
  }
  const parsed = AgentReply.safeParse(request.data);
  if (!parsed.success) throw new HttpsError("invalid-argument", parsed.error.issues[0]?.message ?? "invalid reply");
  const { threadId, text, clientMessageId } = parsed.data;
  const now = systemClock();
  const settings = await getBusinessSettings(now.getTime());
  const policies = channelPolicies(settings);
  try {
    const result = await recordAgentMessage({
      threadId,
      messageId: `agent_${hashId(request.auth.uid, clientMessageId)}`,
      text,
      from: "agent",
      agentUid: request.auth.uid,
      authorName: (request.auth.token.name as string | undefined) ?? request.auth.token.email ?? "Agent",
      now,
      decide: (thread) =>
        chooseReplyChannel(thread, { sender: "human", now, policies, order: channelOrderOf(settings) }),
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
    if (err instanceof SendRefused) {
      logs.agentReplyRefused(threadId, err.decision.code);
      throw new HttpsError("failed-precondition", err.decision.reason, { code: err.decision.code });
    }
    if (err instanceof ThreadNotFound) throw new HttpsError("not-found", err.message);
    throw err;
  }
});

// A bench conversation written through the store functions the endpoints call (no HTTP, no auth):
// what ops.mjs counts and what insights.mjs lets the emulator's triggers count.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { root } from "../../tools/proc.mjs";

const require = createRequire(`${root}/functions/package.json`);

/** A visitor's message into `threadId`, creating the thread on the first one. */
export function visitorMessage(threadId, origin = "web") {
  const { recordVisitorMessage } = require("./lib/store/threads.js");
  const { newThread } = require("./lib/domain/thread.js");
  const at = new Date();
  return recordVisitorMessage({
    threadId,
    createThread: () =>
      newThread({
        id: threadId,
        origin,
        visitor: { displayName: "Bench", locale: "en" },
        visitorUids: ["bench"],
        now: at,
      }),
    message: { id: `m_${randomUUID()}`, from: "visitor", text: "hello", createdAt: at },
    anchor: at,
    receivedAt: at,
  });
}

/** An agent's reply, recorded as sent on whichever channel the reply rules choose. */
export function agentReply(threadId) {
  const { recordAgentMessage } = require("./lib/store/threads.js");
  const { chooseReplyChannel } = require("./lib/domain/reply.js");
  const at = new Date();
  return recordAgentMessage({
    threadId,
    messageId: `a_${randomUUID()}`,
    text: "reply",
    from: "agent",
    agentUid: "bench-agent",
    now: at,
    decide: (thread) => chooseReplyChannel(thread, { sender: "human", now: at }),
    delivery: (channel) => ({ channel, state: "sent", attempts: 1 }),
  });
}

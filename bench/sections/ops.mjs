// Firestore reads and writes per operation, counted by the store layer itself (store/ops.ts),
// calling the same store functions the endpoints call.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { root } from "../../tools/proc.mjs";

const require = createRequire(`${root}/functions/package.json`);

async function counted(ops, fn) {
  ops.reset();
  await fn();
  return ops.snapshot();
}

export async function measureOps() {
  const { ops } = require("./lib/store/ops.js");
  const { recordVisitorMessage, recordAgentMessage } = require("./lib/store/threads.js");
  const { newThread } = require("./lib/domain/thread.js");
  const { chooseReplyChannel } = require("./lib/domain/reply.js");
  const threadId = `bench_ops_${randomUUID().slice(0, 8)}`;
  const visitorMessage = () => {
    const at = new Date();
    return recordVisitorMessage({
      threadId,
      createThread: () => newThread({ id: threadId, origin: "web", visitor: { displayName: "Bench", locale: "en" }, visitorUids: ["bench"], now: at }),
      message: { id: `m_${randomUUID()}`, from: "visitor", text: "hello", createdAt: at },
      anchor: at,
      receivedAt: at,
    });
  };
  const firstMessage = await counted(ops, visitorMessage);
  const nextMessage = await counted(ops, visitorMessage);
  const agentReply = await counted(ops, () => {
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
  });
  return { firstMessage, nextMessage, agentReply };
}

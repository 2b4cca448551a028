// Signed Business Messages text messages against POST /api/bm/webhook (through Hosting, as Google
// would reach a deployed project): ack latency, sustained throughput, and loss/duplicate checks.
import { createHmac, randomUUID } from "node:crypto";
import { ms, now, pool, summarize } from "../stats.mjs";
import { adminDb } from "./firestore.mjs";

const WEBHOOK = "http://127.0.0.1:5000/api/bm/webhook";
const CLIENT_TOKEN = "local-client-token";
const RETRIES = 5;

export function textMessage(conversationId, text, requestId = randomUUID()) {
  const sendTime = new Date().toISOString();
  return {
    requestId,
    conversationId,
    customAgentId: "bench",
    agent: "brands/bench/agents/bench",
    sendTime,
    context: {
      entryPoint: "PLACESHEET",
      userInfo: { displayName: "Bench User", userDeviceLocale: "en" },
      resolvedLocale: "en",
    },
    message: {
      messageId: requestId,
      name: `conversations/${conversationId}/messages/${requestId}`,
      text,
      createTime: sendTime,
    },
  };
}

export async function postSigned(payload, url = WEBHOOK) {
  const body = Buffer.from(JSON.stringify(payload));
  const signature = createHmac("sha512", CLIENT_TOKEN).update(body).digest("base64");
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-signature": signature },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

export async function webhookAvailable() {
  try {
    return (await postSigned({ clientToken: CLIENT_TOKEN, secret: "probe" })) === 200;
  } catch {
    return false;
  }
}

export async function measureWebhook({
  url = WEBHOOK,
  projectId,
  sequential = 200,
  total = 1000,
  concurrency = 20,
  conversations = 50,
} = {}) {
  const run = randomUUID().slice(0, 8);
  await postSigned(textMessage(`bench-warm-${run}`, "warm up"), url);
  const latencies = [];
  let errors = 0;
  for (let i = 0; i < sequential; i++) {
    const t = now();
    const status = await postSigned(textMessage(`bench-seq-${run}`, `sequential ${i}`), url);
    latencies.push(ms(t));
    if (status !== 200) errors++;
  }
  const t = now();
  await pool(total, concurrency, async (i) => {
    // Like Google: the same request again (same requestId) until it is acknowledged.
    const message = textMessage(`bench-tp-${run}-${i % conversations}`, `burst ${i}`);
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      if ((await postSigned(message, url)) === 200) return;
      errors++;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  });
  const seconds = ms(t) / 1000;
  const stored = await countStored(adminDb(projectId), run, conversations);
  return {
    latency: summarize(latencies),
    throughput: { total, concurrency, conversations, perSecond: total / seconds },
    errors,
    stored,
    lost: total - stored,
  };
}

async function countStored(db, run, conversations) {
  const snap = await db
    .collection("threads")
    .where("bm.conversationId", ">=", `bench-tp-${run}-`)
    .where("bm.conversationId", "<", `bench-tp-${run}-~`)
    .get();
  let messages = 0;
  for (const doc of snap.docs)
    messages += (await db.collection(`threads/${doc.id}/messages`).count().get()).data().count;
  if (snap.size !== conversations)
    console.error(`webhook bench: ${snap.size} of ${conversations} conversations have a thread`);
  return messages;
}

// Webhook ack latency: N sequential signed Business Messages text messages through Hosting
// (POST /api/bm/webhook), timed from send to the 200. Needs the emulators running (npm start);
// run it under the shared emulator lock. Usage: node bench/bmWebhookLatency.mjs [count=200]
import { createHmac, randomUUID } from "node:crypto";

const URL_ = process.env.BM_WEBHOOK_URL ?? "http://127.0.0.1:5000/api/bm/webhook";
const TOKEN = process.env.BM_CLIENT_TOKEN ?? "local-client-token";
const COUNT = Number(process.argv[2] ?? 200);
const WARMUP = 5;

function body(conversationId, i) {
  return JSON.stringify({
    requestId: randomUUID(),
    conversationId,
    agent: "brands/bench/agents/bench",
    sendTime: new Date().toISOString(),
    context: { entryPoint: "PLACESHEET", userInfo: { displayName: "Bench user", userDeviceLocale: "en" } },
    message: { messageId: randomUUID(), text: `bench message ${i}`, createTime: new Date().toISOString() },
  });
}

async function post(raw) {
  const started = process.hrtime.bigint();
  const res = await fetch(URL_, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-goog-signature": createHmac("sha512", TOKEN).update(raw).digest("base64"),
    },
    body: raw,
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const conversationId = `bench-${randomUUID()}`;
for (let i = 0; i < WARMUP; i++) await post(body(conversationId, -i));
const times = [];
for (let i = 0; i < COUNT; i++) times.push(await post(body(conversationId, i)));
const sorted = [...times].sort((a, b) => a - b);
const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(
  `bm webhook ack latency, ${COUNT} sequential signed messages (after ${WARMUP} warm-up), one conversation: ` +
    `p50 ${fmt(pct(sorted, 50))}, p90 ${fmt(pct(sorted, 90))}, p99 ${fmt(pct(sorted, 99))}, max ${fmt(sorted[sorted.length - 1])}`,
);

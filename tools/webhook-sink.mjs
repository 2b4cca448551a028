// Local stand-in for a business's integration endpoint: receives the signed event webhook
// (EVENTS_WEBHOOK_URL in functions/.env.local), verifies it with the recipe in docs/events.md and
// keeps the last deliveries in memory so you (and the tests) can look at them.
//   GET  /deliveries        what arrived: [{ deliveryId, type, signature, timestamp, verified, body }]
//   POST /fail-next?count=N answer 503 to the next N deliveries (to watch the retries)
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

export const SINK_PORT = Number(process.env.WEBHOOK_SINK_PORT ?? 5077);
const SECRET = process.env.EVENTS_WEBHOOK_SECRET ?? "local-webhook-secret";
// Enough for a retention sweep's burst of thread.erased (retention.test.ts waits for every one of them).
const KEEP = 5000;
const deliveries = [];
let failNext = 0;

/** The documented recipe: HMAC-SHA256(secret, `${t}.${rawBody}`), hex, constant-time compare, 5-minute tolerance. */
function verify(header, rawBody) {
  const m = /^t=(\d+),v1=([a-f0-9]{64})$/.exec(header ?? "");
  if (!m) return false;
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return false;
  const expected = createHmac("sha256", SECRET).update(`${m[1]}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], "hex"));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://localhost");
  const json = (status, body) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  if (req.method === "GET" && url.pathname === "/health") return json(200, { ok: true });
  if (req.method === "GET" && url.pathname === "/deliveries") return json(200, deliveries);
  if (req.method === "POST" && url.pathname === "/fail-next") {
    failNext = Number(url.searchParams.get("count") ?? 1);
    return json(200, { failNext });
  }
  if (req.method === "POST" && url.pathname === "/afterchat-events") {
    const body = await readBody(req);
    const signature = req.headers["afterchat-signature"];
    const record = {
      deliveryId: req.headers["afterchat-delivery"],
      type: req.headers["afterchat-event"],
      signature,
      verified: verify(signature, body),
      receivedAt: new Date().toISOString(),
      body,
    };
    if (failNext > 0) {
      failNext--;
      deliveries.push({ ...record, answered: 503 });
      return json(503, { error: "failing on purpose" });
    }
    deliveries.push({ ...record, answered: record.verified ? 204 : 401 });
    while (deliveries.length > KEEP) deliveries.shift();
    return record.verified ? res.writeHead(204).end() : json(401, { error: "bad signature" });
  }
  json(404, { error: "not found" });
});

server.listen(SINK_PORT, "127.0.0.1", () =>
  console.log(`webhook sink on http://127.0.0.1:${SINK_PORT}/afterchat-events`),
);
process.on("SIGTERM", () => server.close(() => process.exit(0)));

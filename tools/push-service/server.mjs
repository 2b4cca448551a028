// Local stand-in for a browser vendor's push service (the endpoint of a PushSubscription).
// It speaks the receiving side of the Web Push protocol (RFC 8030) and checks the VAPID
// authorization (RFC 8292) as a real push service does; it never decrypts anything (it cannot:
// only the browser holds the subscription's private key). Tests read what it recorded and decrypt
// the payload themselves with the subscription's keys.
//   POST /push/<id>      201 Created, recorded         (a live subscription)
//   POST /gone/<id>      410 Gone, recorded            (the browser unsubscribed)
//   POST /missing/<id>   404 Not Found, recorded       (expired subscription)
//   GET  /requests?endpoint=<url>   JSON of recorded requests (body base64)
//   GET  /health
import { createPublicKey, verify } from "node:crypto";
import { createServer } from "node:http";

export const PORT = Number(process.env.PUSH_SERVICE_PORT ?? 5090);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const KEEP = 500;
const recorded = [];

const b64url = (s) => Buffer.from(s, "base64url");

/** `vapid t=<jwt>, k=<p256 public key>`: ES256 over the JWT, audience = our origin, not expired. */
export function checkVapid(header, now = Date.now()) {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) return "missing or malformed vapid authorization";
  const [head, payload, sig] = m[1].split(".");
  if (!head || !payload || !sig) return "malformed JWT";
  const point = b64url(m[2]);
  if (point.length !== 65 || point[0] !== 4) return "k is not an uncompressed P-256 point";
  const key = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const ok = verify("sha256", Buffer.from(`${head}.${payload}`), { key, dsaEncoding: "ieee-p1363" }, b64url(sig));
  if (!ok) return "bad JWT signature";
  const claims = JSON.parse(b64url(payload).toString("utf8"));
  if (claims.aud !== ORIGIN) return `aud must be ${ORIGIN}`;
  if (typeof claims.exp !== "number" || claims.exp * 1000 < now || claims.exp * 1000 > now + 24 * 3600_000 + 60_000)
    return "exp out of range";
  return null;
}

const server = createServer((req, res) => {
  const url = new URL(req.url, ORIGIN);
  if (url.pathname === "/health") return json(res, 200, { ok: true, recorded: recorded.length });
  if (url.pathname === "/requests" && req.method === "GET") {
    const endpoint = url.searchParams.get("endpoint");
    return json(res, 200, endpoint ? recorded.filter((r) => r.endpoint === endpoint) : recorded);
  }
  const m = /^\/(push|gone|missing)\/([A-Za-z0-9_-]{1,128})$/.exec(url.pathname);
  if (!m) return json(res, 404, { error: "no such endpoint" });
  if (req.method !== "POST") return json(res, 405, { error: "use POST" });
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const vapidError = checkVapid(req.headers.authorization);
    const status = vapidError ? 403 : body.length > 4096 ? 413 : m[1] === "gone" ? 410 : m[1] === "missing" ? 404 : 201;
    recorded.push({
      endpoint: `${ORIGIN}${url.pathname}`,
      receivedAt: new Date().toISOString(),
      status,
      vapidError,
      headers: {
        ttl: req.headers.ttl ?? null,
        urgency: req.headers.urgency ?? null,
        topic: req.headers.topic ?? null,
        contentEncoding: req.headers["content-encoding"] ?? null,
        contentType: req.headers["content-type"] ?? null,
        authorization: req.headers.authorization ?? null,
      },
      body: body.toString("base64"),
    });
    if (recorded.length > KEEP) recorded.shift();
    json(
      res,
      status,
      status === 201 ? {} : { error: vapidError ?? "subscription is no longer valid" },
      status === 201 ? { location: `${ORIGIN}/messages/${recorded.length}` } : {},
    );
  });
});

function json(res, status, body, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

server.listen(PORT, "127.0.0.1", () => console.log(`push service stand-in: ${ORIGIN}/`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));

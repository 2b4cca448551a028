// The event webhook's sender against a local HTTP server: what a receiver's answers (or silence) become.
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { makeEvent } from "../../src/domain/events";
import { DELIVERY_HEADER } from "../../src/domain/webhookSignature";
import { postEvent } from "../../src/events/webhook";

const event = makeEvent("message.received", "web_t1", new Date("2026-12-02T12:00:00Z"), { text: "hi" }, "m1");
const quick = { backoffMs: [0, 0] };

/** A receiver that answers the statuses given, one per request, then 200. */
async function receiver(statuses: number[]): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(String(req.headers[DELIVERY_HEADER]));
    res.statusCode = statuses.shift() ?? 200;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits, server };
}

describe("event webhook sender", () => {
  it("retries a 503 and delivers on the next attempt", async () => {
    const r = await receiver([503]);
    try {
      assert.deepEqual(await postEvent({ url: r.url, secret: "s" }, event, quick), { delivered: true, attempts: 2 });
      assert.deepEqual(r.hits, [event.id, event.id], "the same delivery id on every attempt");
    } finally {
      r.server.close();
    }
  });

  it("gives up at once on a 4xx refusal (permanent), not on 429", async () => {
    const gone = await receiver([410]);
    const busy = await receiver([429, 429, 429]);
    try {
      assert.deepEqual(await postEvent({ url: gone.url, secret: "s" }, event, quick), {
        delivered: false,
        attempts: 1,
        status: 410,
        permanent: true,
      });
      assert.deepEqual(await postEvent({ url: busy.url, secret: "s" }, event, quick), {
        delivered: false,
        attempts: 3,
        status: 429,
        permanent: false,
      });
    } finally {
      gone.server.close();
      busy.server.close();
    }
  });

  it("names a refused connection by its network code, not fetch's bare TypeError", async () => {
    const r = await receiver([]);
    await new Promise((done) => r.server.close(done));
    const result = await postEvent({ url: r.url, secret: "s" }, event, quick);
    assert.deepEqual(result, { delivered: false, attempts: 3, status: "ECONNREFUSED", permanent: false });
  });
});

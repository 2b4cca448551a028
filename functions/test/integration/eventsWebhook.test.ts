// The signed outgoing event webhook, received by the local sink (tools/webhook-sink.mjs) and
// verified here with the recipe documented in docs/events.md — independently of the sender's code.
import { strict as assert } from "node:assert";
import { createHmac, timingSafeEqual } from "node:crypto";
import { anonymousVisitor, widgetSend } from "../support/emulators";
import { waitUntil } from "../support/wait";

const SINK = "http://127.0.0.1:5077";
const SECRET = "local-webhook-secret"; // functions/.secret.local

interface Delivery {
  deliveryId: string;
  type: string;
  signature: string;
  answered: number;
  body: string;
}

/** docs/events.md, "Verifying a delivery". */
function verify(secret: string, header: string, rawBody: string, nowSeconds: number): boolean {
  const [t, v1] = header.split(",").map((part) => part.split("=")[1]);
  if (!t || !v1 || Math.abs(nowSeconds - Number(t)) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
  return expected.length === v1.length && timingSafeEqual(Buffer.from(expected), Buffer.from(v1));
}

async function deliveries(): Promise<Delivery[]> {
  return (await (await fetch(`${SINK}/deliveries`)).json()) as Delivery[];
}

describe("signed outgoing event webhook", function () {
  it("posts each event signed (HMAC-SHA256 over timestamp and body) with its id as the delivery id", async () => {
    const sent = await widgetSend(await anonymousVisitor(), "Webhook, are you there?");
    const threadId = sent.body.threadId!;
    const d = await waitUntil("the message.received delivery", async () =>
      (await deliveries()).find((x) => x.type === "message.received" && JSON.parse(x.body).threadId === threadId),
    );
    const event = JSON.parse(d.body);
    assert.equal(d.deliveryId, event.id);
    assert.equal(event.version, 1);
    assert.equal(event.data.text, "Webhook, are you there?");
    assert.match(d.signature, /^t=\d+,v1=[a-f0-9]{64}$/);
    const now = Math.floor(Date.now() / 1000);
    assert.equal(verify(SECRET, d.signature, d.body, now), true);
    assert.equal(verify(SECRET, d.signature, d.body.replace("there", "where"), now), false, "a changed body fails");
    assert.equal(verify("another-secret", d.signature, d.body, now), false, "another key fails");
    assert.equal(verify(SECRET, d.signature, d.body, now + 3600), false, "an old signature fails (replay)");
  });

  it("retries a failed delivery with the same delivery id", async () => {
    const before = (await deliveries()).length;
    await fetch(`${SINK}/fail-next?count=1`, { method: "POST" });
    await widgetSend(await anonymousVisitor(), "Retry me");
    const failed = await waitUntil("a failed delivery", async () =>
      (await deliveries()).slice(before).find((x) => x.answered === 503),
    );
    const retried = await waitUntil("its retry", async () =>
      (await deliveries()).find((x) => x.deliveryId === failed.deliveryId && x.answered === 204),
    );
    assert.equal(retried.body, failed.body);
  });
});

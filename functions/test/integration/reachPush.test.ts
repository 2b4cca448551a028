import { strict as assert } from "node:assert";
import { adminDb, anonymousVisitor, HOSTING, uniqueId, widgetSend } from "../support/emulators";
import {
  agentReplies,
  browserSubscription,
  continuityDecision,
  decryptPush,
  giveEmail,
  mailTo,
  pushesTo,
  resume,
  subscribePush,
} from "../support/reach";
import { waitUntil } from "../support/wait";

async function webThread() {
  const visitor = await anonymousVisitor();
  const sent = await widgetSend(visitor, "Ping me when the cake is ready");
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  return { visitor, threadId: sent.body.threadId! };
}

const subscriptionIds = async (threadId: string) =>
  (await adminDb().collection(`threads/${threadId}/pushSubscriptions`).get()).docs
    .map((d) => d.get("endpoint") as string)
    .sort();

describe("web push continuity (standard Web Push to the local push service)", function () {
  this.timeout(300_000);

  it("pushes an encrypted, VAPID-signed notification whose link reopens the thread; dead subscriptions are removed", async () => {
    const { visitor, threadId } = await webThread();
    const live = browserSubscription("push");
    const dead = browserSubscription("gone");
    assert.equal((await subscribePush(visitor, threadId, live.subscription)).status, 201);
    assert.equal(
      (await subscribePush(visitor, threadId, live.subscription)).status,
      200,
      "the same browser twice is one subscription",
    );
    assert.equal((await subscribePush(visitor, threadId, dead.subscription)).status, 201);
    const thread = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.equal(thread.reach.push, true);
    assert.ok(thread.windows.push, "the push window is open");

    const replyId = await agentReplies(threadId, "Your cake is ready <b>now</b>!");
    const decision = await continuityDecision(threadId, replyId);
    assert.deepEqual({ action: decision.action, channel: decision.channel }, { action: "sent", channel: "push" });

    const [request] = await waitUntil("the push request", async () =>
      (await pushesTo(live.subscription.endpoint)).length ? pushesTo(live.subscription.endpoint) : undefined,
    );
    assert.equal(request!.status, 201);
    assert.equal(request!.vapidError, null, "the push service accepted the VAPID signature");
    assert.equal(request!.headers.contentEncoding, "aes128gcm");
    assert.equal(request!.headers.urgency, "high");
    assert.equal(request!.headers.ttl, "86400");
    assert.ok(!Buffer.from(request!.body, "base64").toString("latin1").includes("cake"), "the body is encrypted");
    const payload = decryptPush(request!.body, live.ecdh, live.auth) as {
      title: string;
      body: string;
      url: string;
      threadId: string;
    };
    assert.equal(payload.title, "Sunrise Bakery replied");
    assert.equal(payload.body, "Your cake is ready <b>now</b>!", "text, shown by the notification as text");
    assert.equal(payload.threadId, threadId);
    assert.match(payload.url, /^http:\/\/127\.0\.0\.1:5000\/t\/resume\./);
    const otherDevice = await anonymousVisitor();
    const resumed = await resume(otherDevice, payload.url.split("/t/")[1]!);
    assert.equal(resumed.body.threadId, threadId, "the notification's link opens the same thread");

    assert.equal((await pushesTo(dead.subscription.endpoint))[0]?.status, 410);
    assert.deepEqual(await subscriptionIds(threadId), [live.subscription.endpoint], "the 410 subscription was deleted");
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).get("reach.push"), true);
  });

  it("falls back to email when every subscription is dead, and stops offering push", async () => {
    const { visitor, threadId } = await webThread();
    const email = `${uniqueId("fallback")}@example.com`;
    await giveEmail(threadId, email);
    const gone = browserSubscription("missing");
    assert.equal((await subscribePush(visitor, threadId, gone.subscription)).status, 201);
    const replyId = await agentReplies(threadId, "Sorry for the wait!");
    const decision = await continuityDecision(threadId, replyId);
    assert.deepEqual({ action: decision.action, channel: decision.channel }, { action: "sent", channel: "email" });
    assert.equal((await pushesTo(gone.subscription.endpoint))[0]?.status, 404);
    assert.deepEqual(await subscriptionIds(threadId), []);
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).get("reach.push"), false);
    assert.equal((await mailTo(email)).length, 1);
  });

  it("stores subscriptions only for the visitor's own thread, from an allowed push service, with valid keys", async () => {
    const { visitor, threadId } = await webThread();
    const stranger = await anonymousVisitor();
    const { subscription } = browserSubscription();
    assert.equal((await subscribePush(stranger, threadId, subscription)).status, 404);
    for (const endpoint of [
      "http://10.0.0.8/push/x",
      "https://metadata.google.internal/computeMetadata/v1/",
      "https://localhost./x",
      "https://fcm.googleapis.com:8443/fcm/send/x",
      "http://127.0.0.1:5091/push/x",
    ]) {
      const internal = await subscribePush(visitor, threadId, { ...subscription, endpoint });
      assert.equal(internal.status, 400, endpoint);
      assert.match(internal.body.error ?? "", /subscription\.endpoint/, endpoint);
    }
    const badKeys = { ...subscription, keys: { p256dh: "x", auth: "y" } };
    const bad = await subscribePush(visitor, threadId, badKeys);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error ?? "", /p256dh/);
    const noAuth = await fetch(`${HOSTING}/api/push/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ threadId, subscription }),
    });
    assert.equal(noAuth.status, 401);
    assert.deepEqual(await subscriptionIds(threadId), []);
    const config = (await (await fetch(`${HOSTING}/api/push/config`)).json()) as {
      enabled: boolean;
      vapidPublicKey: string;
    };
    assert.equal(config.enabled, true);
    assert.match(config.vapidPublicKey, /^B[A-Za-z0-9_-]{86}$/);
  });
});

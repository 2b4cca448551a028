// Devices, not bearer links (issue 13, docs/reach.md): an emailed link is exchanged once for one
// device, whose access ends with the reach window; a handoff code for the business's own site is
// single use, short-lived and stored only as a hash; a refused link can ask for a fresh one by email.
import { strict as assert } from "node:assert";
import { signLink } from "../../src/domain/resumeLinks";
import { DAY_MS } from "../../src/domain/time";
import { adminDb, anonymousVisitor, HOSTING, uniqueId, widgetSend, type SignedIn } from "../support/emulators";
import { giveEmail, localSecret, mailTo, resume } from "../support/reach";
import { waitUntil } from "../support/wait";

const FIRESTORE = "http://127.0.0.1:8080/v1/projects/demo-afterchat/databases/(default)/documents";
const key = () => localSecret("LINK_SIGNING_SECRET");

async function post(path: string, visitor: SignedIn | undefined, body: unknown) {
  const res = await fetch(`${HOSTING}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(visitor ? { authorization: `Bearer ${visitor.idToken}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** What the widget sends into a thread it was admitted to. */
const sendTo = (visitor: SignedIn, threadId: string, text: string) =>
  post("/api/widget/messages", visitor, { text, clientMessageId: uniqueId("c"), threadId });

/** A read of the thread through Firestore's REST API with the device's token: the rules decide. */
async function readStatus(visitor: SignedIn, threadId: string): Promise<number> {
  const res = await fetch(`${FIRESTORE}/threads/${threadId}`, {
    headers: { authorization: `Bearer ${visitor.idToken}` },
  });
  return res.status;
}

async function newThread() {
  const visitor = await anonymousVisitor();
  const sent = await widgetSend(visitor, `Hello ${uniqueId("dev")}`);
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  return { visitor, threadId: sent.body.threadId! };
}

describe("devices admitted by links and handoff codes", function () {
  this.timeout(120_000);

  it("a link is exchanged once, for one device; a forwarded copy is refused as used", async () => {
    const { threadId } = await newThread();
    const token = signLink(key(), { purpose: "resume", threadId }, { now: new Date() });
    const phone = await anonymousVisitor();
    const first = await resume(phone, token);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const again = await resume(phone, token);
    assert.equal(again.status, 200, "the same device may open its link again (a reload)");

    const forwardedTo = await anonymousVisitor();
    const refused = await resume(forwardedTo, token);
    assert.equal(refused.status, 410);
    assert.equal(refused.body.code, "used");
    assert.equal(await readStatus(forwardedTo, threadId), 403, "the other device reads nothing");
    assert.equal((await sendTo(forwardedTo, threadId, "let me in")).status, 403);

    const thread = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.ok(thread.visitorUids.includes(phone.uid));
    assert.equal(thread.linkDevices[phone.uid].via, "link");
    const uses = await adminDb().collection("linkUses").where("threadId", "==", threadId).get();
    assert.equal(uses.size, 1);
    assert.equal(uses.docs[0]!.get("uid"), phone.uid);
    assert.ok(!JSON.stringify(uses.docs[0]!.data()).includes(token.split(".")[3]!), "the link is not stored");
  });

  it("a device from a link loses access when the reach window closes; the widget visitor keeps theirs", async () => {
    const { visitor, threadId } = await newThread();
    const phone = await anonymousVisitor();
    const token = signLink(key(), { purpose: "resume", threadId }, { now: new Date() });
    assert.equal((await resume(phone, token)).status, 200);
    assert.equal(await readStatus(phone, threadId), 200);
    assert.equal((await sendTo(phone, threadId, "from my phone")).status, 201);

    // The window closes (as if reachWindowDays had passed since the visitor's last message).
    await adminDb()
      .doc(`threads/${threadId}`)
      .update({ "windows.web": new Date(Date.now() - 1000) });
    assert.equal(await readStatus(phone, threadId), 403, "the rules end the phone's reads");
    const late = await sendTo(phone, threadId, "still here?");
    assert.equal(late.status, 403, JSON.stringify(late.body));
    const erase = await post("/api/widget/erase", phone, { threadId });
    assert.equal(erase.status, 404, `a link device whose access ended cannot delete: ${JSON.stringify(erase.body)}`);
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).exists, true, "nothing was erased");
    assert.equal(await readStatus(visitor, threadId), 200, "the device that started the thread is not a link device");
    const stranger = await anonymousVisitor();
    const fresh = signLink(key(), { purpose: "resume", threadId }, { now: new Date() });
    const closed = await resume(stranger, fresh);
    assert.equal(closed.status, 410, "a link buys nothing once the window is closed");
  });

  it("a handoff code: made only by a device with access, redeemed once, stored as a hash", async () => {
    const { visitor, threadId } = await newThread();
    const stranger = await anonymousVisitor();
    assert.equal((await post("/api/widget/handoff", stranger, { threadId })).status, 404);
    assert.equal((await post("/api/widget/handoff", undefined, { threadId })).status, 401);

    const made = await post("/api/widget/handoff", visitor, { threadId });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const code = made.body.code as string;
    assert.match(code, /^[A-Za-z0-9_-]{43}$/);
    const stored = await adminDb().collection("handoffCodes").where("threadId", "==", threadId).get();
    assert.equal(stored.size, 1);
    assert.notEqual(stored.docs[0]!.id, code);
    assert.ok(!JSON.stringify(stored.docs[0]!.data()).includes(code), "the code itself is not stored");

    const siteWidget = await anonymousVisitor(); // the widget on the business's site: partitioned, a new identity
    assert.equal(await readStatus(siteWidget, threadId), 403);
    const redeemed = await post("/api/widget/handoff/redeem", siteWidget, { code });
    assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
    assert.equal(redeemed.body.threadId, threadId);
    assert.equal(await readStatus(siteWidget, threadId), 200);
    assert.equal((await sendTo(siteWidget, threadId, "back on the site")).status, 201);

    const replay = await post("/api/widget/handoff/redeem", await anonymousVisitor(), { code });
    assert.equal(replay.status, 410, "single use");
    const altered = await post("/api/widget/handoff/redeem", await anonymousVisitor(), {
      code: `${code.slice(0, -1)}${code.endsWith("A") ? "B" : "A"}`,
    });
    assert.equal(altered.status, 410);
    assert.equal(altered.body.error, replay.body.error, "unknown and used codes are refused alike");
    const malformed = await post("/api/widget/handoff/redeem", siteWidget, { code: "short" });
    assert.equal(malformed.status, 400);

    const old = await post("/api/widget/handoff", visitor, { threadId });
    assert.equal(old.status, 201);
    const unused = (await adminDb().collection("handoffCodes").where("threadId", "==", threadId).get()).docs.filter(
      (d) => !d.get("usedBy"),
    );
    assert.equal(unused.length, 1);
    await unused[0]!.ref.update({ expireAt: new Date(Date.now() - 1000) }); // ten minutes later
    const expired = await post("/api/widget/handoff/redeem", await anonymousVisitor(), { code: old.body.code });
    assert.equal(expired.status, 410, "an expired code is refused");
  });

  it("sign out other devices: link and handoff devices lose the thread, the device that started it keeps it", async () => {
    const { visitor, threadId } = await newThread();
    const phone = await anonymousVisitor();
    assert.equal(
      (await resume(phone, signLink(key(), { purpose: "resume", threadId }, { now: new Date() }))).status,
      200,
    );
    const tablet = await anonymousVisitor();
    assert.equal(
      (await resume(tablet, signLink(key(), { purpose: "resume", threadId }, { now: new Date() }))).status,
      200,
    );
    assert.equal(await readStatus(tablet, threadId), 200);

    const stranger = await anonymousVisitor();
    assert.equal((await post("/api/widget/devices/signout", stranger, { threadId })).status, 404);
    const out = await post("/api/widget/devices/signout", phone, { threadId });
    assert.equal(out.status, 200, JSON.stringify(out.body));
    assert.equal(out.body.signedOut, 1);
    assert.equal(await readStatus(tablet, threadId), 403, "the other link device is signed out");
    assert.equal(await readStatus(phone, threadId), 200, "this device stays");
    assert.equal(await readStatus(visitor, threadId), 200, "the device that started the conversation stays");
    const thread = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.deepEqual(thread.visitorUids, [visitor.uid, phone.uid]);
    assert.deepEqual(Object.keys(thread.linkDevices), [phone.uid]);
    const again = await post("/api/widget/devices/signout", phone, { threadId });
    assert.equal(again.body.signedOut, 0, "nothing left to sign out");
  });

  it("a new email address from a link device takes effect only after the new address confirms it", async () => {
    const { visitor, threadId } = await newThread();
    const original = `${uniqueId("henry")}@example.com`;
    const saved = await post("/api/widget/email", visitor, { threadId, email: original, consent: true });
    assert.equal(saved.status, 200, "the device that started the thread changes it at once");
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).get("visitor.email"), original);

    const phone = await anonymousVisitor();
    assert.equal(
      (await resume(phone, signLink(key(), { purpose: "resume", threadId }, { now: new Date() }))).status,
      200,
    );
    const taker = `${uniqueId("taker")}@example.com`;
    const asked = await post("/api/widget/email", phone, { threadId, email: taker, consent: true });
    assert.equal(asked.status, 202, JSON.stringify(asked.body));
    assert.equal(asked.body.pending, true);
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).get("visitor.email"), original, "not yet");

    const [mail] = await waitUntil("the confirmation email", async () => {
      const mails = await mailTo(taker);
      return mails.length ? mails : undefined;
    });
    assert.match(mail!.subject, /Confirm your email address/);
    const confirmUrl = /http:\/\/127\.0\.0\.1:5000\/api\/email\/confirm\?code=([A-Za-z0-9_-]+)/.exec(mail!.text)!;
    const opened = await fetch(confirmUrl[0]);
    assert.equal(opened.status, 200);
    assert.match(await opened.text(), /<button type="submit">Confirm this address<\/button>/);
    assert.equal(
      (await adminDb().doc(`threads/${threadId}`).get()).get("visitor.email"),
      original,
      "a GET changes nothing",
    );
    const stored = await adminDb().collection("emailChanges").where("threadId", "==", threadId).get();
    assert.ok(!JSON.stringify(stored.docs[0]!.data()).includes(confirmUrl[1]!), "the code is stored as a hash");

    const confirm = () =>
      fetch(`${HOSTING}/api/email/confirm`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        body: new URLSearchParams({ code: confirmUrl[1]! }),
      });
    assert.equal((await confirm()).status, 200);
    assert.equal(
      (await adminDb().doc(`threads/${threadId}`).get()).get("visitor.email"),
      taker,
      "confirmed: it applies",
    );
    assert.equal((await confirm()).status, 410, "single use");
  });

  it("a genuine expired or used link can ask for a fresh one by email (rate-limited); a forged one cannot", async () => {
    const { threadId } = await newThread();
    const email = `${uniqueId("renew")}@example.com`;
    await giveEmail(threadId, email);
    const expired = signLink(key(), { purpose: "resume", threadId }, { now: new Date(Date.now() - 31 * DAY_MS) });

    const asked = await post("/api/resume/renew", undefined, { token: expired });
    assert.equal(asked.status, 202, JSON.stringify(asked.body));
    assert.deepEqual(Object.keys(asked.body), ["ok"], "the answer says nothing about the thread");
    const [mail] = await waitUntil("the fresh link email", async () => {
      const mails = await mailTo(email);
      return mails.length ? mails : undefined;
    });
    assert.match(mail!.subject, /Your link to the conversation with Sunrise Bakery/);
    const fresh = /http:\/\/127\.0\.0\.1:5000\/t\/([A-Za-z0-9._-]+)/.exec(mail!.text)![1]!;
    assert.equal((await resume(await anonymousVisitor(), fresh)).status, 200, "the fresh link opens the thread");

    const forged = signLink("someone-elses-signing-key-123", { purpose: "resume", threadId }, { now: new Date() });
    assert.equal((await post("/api/resume/renew", undefined, { token: forged })).status, 401);

    for (let i = 0; i < 2; i++)
      assert.equal((await post("/api/resume/renew", undefined, { token: expired })).status, 202);
    const limited = await post("/api/resume/renew", undefined, { token: expired });
    assert.equal(limited.status, 429, "at most 3 fresh links per thread an hour");
    await waitUntil("three fresh link emails, no more", async () => (await mailTo(email)).length === 3);
  });
});

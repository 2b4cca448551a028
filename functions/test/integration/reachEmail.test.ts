import { strict as assert } from "node:assert";
import { signLink } from "../../src/domain/resumeLinks";
import { DAY_MS } from "../../src/domain/time";
import { adminDb, anonymousVisitor, HOSTING, uniqueId, widgetSend } from "../support/emulators";
import { agentReplies, continuityDecision, giveEmail, linkIn, localSecret, mailTo, resume } from "../support/reach";
import { waitUntil } from "../support/wait";
import { continuityTask } from "../../src/endpoints/continuityTask";
import { runTask } from "../support/wrapped";

const XSS = "<img src=x onerror=alert(1)>";

async function webThreadWithEmail() {
  const visitor = await anonymousVisitor();
  const sent = await widgetSend(visitor, "Can I order a cake for Saturday?");
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const threadId = sent.body.threadId!;
  const email = `${uniqueId("visitor")}@example.com`;
  await giveEmail(threadId, email);
  return { visitor, threadId, email };
}

describe("email continuity and resume links (emulators + local SMTP)", function () {
  this.timeout(300_000);

  it("emails an unseen reply as escaped text with a working resume link, and honours unsubscribe", async () => {
    const { visitor, threadId, email } = await webThreadWithEmail();
    const replyId = await agentReplies(threadId, XSS);

    const decision = await continuityDecision(threadId, replyId);
    assert.deepEqual({ action: decision.action, channel: decision.channel }, { action: "sent", channel: "email" });
    const [mail, ...more] = await waitUntil("the continuity email", async () =>
      (await mailTo(email)).length ? mailTo(email) : undefined,
    );
    assert.equal(more.length, 0, "one email");
    assert.match(mail!.subject, /Sunrise Bakery replied to your message/);
    assert.match(mail!.from, /Sunrise Bakery/);
    assert.ok(mail!.html.includes("&lt;img src=x onerror=alert(1)&gt;"), "the reply is escaped in the HTML part");
    assert.ok(!mail!.html.includes("<img"), "no tag from the reply reaches the HTML part");
    assert.ok(mail!.text.includes(XSS), "the plain-text part carries the reply verbatim");

    // The resume link, opened on another device (a fresh anonymous visitor), reopens the same thread.
    const resumeUrl = linkIn(mail!.text, /http:\/\/127\.0\.0\.1:5000\/t\/[A-Za-z0-9._-]+/);
    const page = await fetch(resumeUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html lang="en" data-mode="page">/, "the chat page: the widget app in page mode");
    const otherDevice = await anonymousVisitor();
    const resumed = await resume(otherDevice, resumeUrl.split("/t/")[1]!);
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    assert.equal(resumed.body.threadId, threadId);
    const uids = (await adminDb().doc(`threads/${threadId}`).get()).get("visitorUids") as string[];
    assert.deepEqual(uids, [visitor.uid, otherDevice.uid]);
    const again = await resume(otherDevice, resumeUrl.split("/t/")[1]!);
    assert.equal(again.body.attached, false, "opening the link again changes nothing");

    // Unsubscribe: the link in the email stops continuity email for the thread.
    const unsubscribeUrl = linkIn(mail!.text, /http:\/\/127\.0\.0\.1:5000\/api\/email\/unsubscribe\?token=[^\s]+/);
    assert.equal(mail!.rawHeaders["list-unsubscribe"], `List-Unsubscribe: <${unsubscribeUrl}>`);
    assert.equal(mail!.rawHeaders["list-unsubscribe-post"], "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    // Opening it (a person, or a mail scanner following every link) only shows a page with a button.
    const opened = await fetch(unsubscribeUrl);
    assert.equal(opened.status, 200);
    assert.equal(opened.headers.get("referrer-policy"), "no-referrer");
    assert.match(opened.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    const form = await opened.text();
    assert.match(form, /<form method="post" action="\/api\/email\/unsubscribe">/);
    assert.match(form, /<button type="submit">Unsubscribe<\/button>/);
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).get("reach.email"), true, "a GET changes nothing");
    // The button posts the token in the form body (not in the address, so not in request logs).
    const token = new URL(unsubscribeUrl).searchParams.get("token")!;
    assert.ok(form.includes(`name="token" value="${token}"`), "the form carries the token");
    const pressed = await fetch(`${HOSTING}/api/email/unsubscribe`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ token, "List-Unsubscribe": "One-Click" }),
    });
    assert.equal(pressed.status, 200);
    assert.match(await pressed.text(), /<h1[^>]*>You&#39;re unsubscribed<\/h1>/);
    const second = await agentReplies(threadId, "Are you still there?");
    const skipped = await continuityDecision(threadId, second);
    assert.deepEqual({ action: skipped.action, reason: skipped.reason }, { action: "skip", reason: "no_channel" });
    assert.equal((await mailTo(email)).length, 1, "no email after unsubscribing");
  });

  it("RFC 8058 one-click: the mail client's POST to the List-Unsubscribe URL unsubscribes", async () => {
    const { threadId } = await webThreadWithEmail();
    const key = localSecret("LINK_SIGNING_SECRET");
    const token = signLink(key, { purpose: "unsubscribe", threadId }, { now: new Date() });
    const url = `${HOSTING}/api/email/unsubscribe?token=${encodeURIComponent(token)}`;
    const scanned = await fetch(url, { method: "HEAD" });
    assert.ok(scanned.status < 500, `HEAD answered ${scanned.status}`);
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).get("reach.email"), true, "a HEAD changes nothing");
    const oneClick = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    assert.equal(oneClick.status, 200, await oneClick.clone().text());
    assert.deepEqual(await oneClick.json(), { ok: true });
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).get("reach.email"), false);
  });

  it("skips when the visitor has seen the reply, sends when they have not (decided on the reply's own time)", async () => {
    const { threadId, email } = await webThreadWithEmail();
    // Seen "after" the reply: the widget marks visitorLastSeenAt when it shows the reply.
    await adminDb()
      .doc(`threads/${threadId}`)
      .update({ visitorLastSeenAt: new Date(Date.now() + 60_000) });
    const seenReply = await agentReplies(threadId, "You saw this one");
    const seen = await continuityDecision(threadId, seenReply);
    assert.deepEqual({ action: seen.action, reason: seen.reason }, { action: "skip", reason: "seen" });
    assert.equal((await mailTo(email)).length, 0);

    // Seen up to just after the first reply, before the second one is written.
    const firstAt = (
      (await adminDb().doc(`threads/${threadId}/messages/${seenReply}`).get()).get("createdAt") as { toDate(): Date }
    ).toDate();
    await adminDb()
      .doc(`threads/${threadId}`)
      .update({ visitorLastSeenAt: new Date(firstAt.getTime() + 1) });
    const unseenReply = await agentReplies(threadId, "But not this one");
    const sent = await continuityDecision(threadId, unseenReply);
    assert.equal(sent.action, "sent");
    const [mail] = await waitUntil("the email", async () => ((await mailTo(email)).length ? mailTo(email) : undefined));
    assert.ok(mail!.text.includes("But not this one"));
    assert.ok(!mail!.text.includes("You saw this one"), "only unseen replies are batched");
  });

  it("sends one email under double delivery of the same task", async () => {
    const { threadId, email } = await webThreadWithEmail();
    const replyId = await agentReplies(threadId, "Just once, please");
    await continuityDecision(threadId, replyId);
    const replyAt = (
      (await adminDb().doc(`threads/${threadId}/messages/${replyId}`).get()).get("createdAt") as { toDate(): Date }
    ).toDate();
    // The same task delivered twice more, at once, as Cloud Tasks may (at least once): both find it sent.
    const task = { threadId, messageId: replyId, replyAt: replyAt.toISOString() };
    await Promise.all([runTask(continuityTask, task), runTask(continuityTask, task)]);
    const state = (await adminDb().doc(`threads/${threadId}/reach/state`).get()).data()!;
    assert.deepEqual([state.lastCheck.messageId, state.lastCheck.reason], [replyId, "already_notified"]);
    assert.equal((await mailTo(email)).length, 1);
  });

  it("refuses forged, altered and expired links with a clear reason, and attaches nothing", async () => {
    const { visitor, threadId } = await webThreadWithEmail();
    const key = localSecret("LINK_SIGNING_SECRET");
    const stranger = await anonymousVisitor();
    const genuine = signLink(key, { purpose: "resume", threadId }, { now: new Date() });
    const cases = [
      {
        token: signLink("someone-elses-signing-key-123", { purpose: "resume", threadId }, { now: new Date() }),
        status: 401,
        code: "forged",
      },
      { token: genuine.replace(threadId, `${threadId.slice(0, -1)}x`), status: 401, code: "altered" },
      {
        token: signLink(key, { purpose: "resume", threadId }, { now: new Date(Date.now() - 31 * DAY_MS) }),
        status: 410,
        code: "expired",
      },
      {
        token: signLink(key, { purpose: "unsubscribe", threadId }, { now: new Date() }),
        status: 401,
        code: "wrong_purpose",
      },
      { token: "not-a-link", status: 400, code: "malformed" },
    ];
    for (const c of cases) {
      const r = await resume(stranger, c.token);
      assert.equal(r.status, c.status, `${c.code}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, c.code);
      assert.ok((r.body.error ?? "").length > 20, "a sentence a visitor can read");
    }
    assert.deepEqual((await adminDb().doc(`threads/${threadId}`).get()).get("visitorUids"), [visitor.uid]);

    const noAuth = await fetch(`${HOSTING}/api/resume`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: genuine }),
    });
    assert.equal(noAuth.status, 401);
    const wrongMethod = await fetch(`${HOSTING}/api/resume`);
    assert.equal(wrongMethod.status, 405);
    const forgedUnsubscribe = await fetch(
      `${HOSTING}/api/email/unsubscribe?token=${encodeURIComponent(cases[0]!.token)}`,
    );
    assert.equal(forgedUnsubscribe.status, 401);
    assert.match(await forgedUnsubscribe.text(), /This link cannot be used/);
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).get("reach.email"), true);
  });
});

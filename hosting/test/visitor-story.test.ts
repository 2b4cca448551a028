// The product's whole promise, played end to end (issue 13): a visitor writes in the widget on the
// business's own site (another origin), leaves an email and leaves; an agent answers; the reply email's
// link opens the chat page on a phone, where the visitor reads and answers into the same thread; the
// page's link back to the business's site opens the same conversation in the widget there, although
// that widget's storage is partitioned from the chat page's (a one-time handoff code carries it over).
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { Browser, Frame, Page } from "playwright-core";
import { adminDb, devClock, HOSTING, uniqueId } from "../../functions/test/support/emulators";
import { agentReplies, linkIn, mailTo } from "../../functions/test/support/reach";
import { waitUntil } from "../../functions/test/support/wait";
import { ARTIFACTS, launch } from "./browser";

/** The business's own site: another origin (localhost, not 127.0.0.1: another site, so storage is partitioned). */
const SITE_PORT = 5086;
const SITE = `http://localhost:${SITE_PORT}/`;
const SITE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sunrise Bakery</title></head>
<body><main><h1>Sunrise Bakery</h1><p>Fresh bread every morning.</p></main>
<script src="${HOSTING}/widget.js" async data-accent-color="#1d4ed8"></script></body></html>`;

function serveSite(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url?.split("?")[0] !== "/") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(SITE_PAGE);
  });
  // No host: both 127.0.0.1 and ::1, whichever "localhost" resolves to in Chromium.
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(SITE_PORT, () => resolve(server));
  });
}

function chatFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${HOSTING}/widget/`));
  assert.ok(frame, "the widget's iframe is on the page");
  return frame;
}

async function messagesIn(threadId: string): Promise<{ from: string; text: string }[]> {
  const snap = await adminDb().collection(`threads/${threadId}/messages`).orderBy("createdAt").get();
  return snap.docs.map((d) => ({ from: String(d.get("from")), text: String(d.get("text")) }));
}

describe("the visitor's story: the business's site → email → phone → back to the site", function () {
  this.timeout(300_000); // the continuity email waits behind the emulator's trigger queue
  let browser: Browser;
  let site: Server;
  let previousSiteUrl: unknown;

  before(async () => {
    browser = await launch();
    site = await serveSite();
    const settings = adminDb().doc("settings/business");
    previousSiteUrl = (await settings.get()).get("siteUrl");
    await settings.set({ siteUrl: SITE }, { merge: true });
    // Functions cache settings for a minute per instance: the dev clock a minute on makes every
    // instance's copy stale (then back: a clock that went back re-reads too).
    await devClock({ offsetMs: 61_000 });
    try {
      await waitUntil("the widget config to carry siteUrl", async () => {
        const config = (await (await fetch(`${HOSTING}/api/widget/config`)).json()) as { siteUrl?: string };
        return config.siteUrl === SITE || undefined;
      });
    } finally {
      await devClock({ reset: true });
    }
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    const { FieldValue } = await import("firebase-admin/firestore");
    await adminDb()
      .doc("settings/business")
      .set({ siteUrl: previousSiteUrl ?? FieldValue.delete() }, { merge: true });
  });

  it("writes on the site, leaves an email, reads and answers the reply on a phone, and finds it all back on the site", async () => {
    const question = `Do you deliver a birthday cake on Saturday? ${uniqueId("story")}`;
    const email = `${uniqueId("henry")}@example.com`;

    // 1. On the business's own site (another origin): write, leave an email, leave.
    const desk = await browser.newContext();
    const sitePage = await desk.newPage();
    await sitePage.goto(SITE);
    await sitePage.getByRole("button", { name: "Open chat" }).click();
    const widget = sitePage.frameLocator('iframe[title="Chat"]');
    const box = widget.getByRole("textbox", { name: "Message" });
    await box.waitFor();
    await chatFrame(sitePage).waitForFunction(() => !(document.getElementById("text") as HTMLTextAreaElement).disabled);
    await box.fill(question);
    await widget.getByRole("button", { name: "Send" }).click();
    await widget.getByText("Sent", { exact: true }).waitFor({ timeout: 60_000 });
    // The chat app's storage is not readable from here: in a third-party iframe Chromium denies it to
    // scripts (the widget then keeps its session in memory), so the thread is found by its question.
    const threadId = await waitUntil("the question's thread", async () => {
      const found = await adminDb().collectionGroup("messages").where("text", "==", question).get();
      return found.docs[0]?.ref.parent.parent?.id;
    });
    assert.match(threadId, /^web_/);
    assert.deepEqual(await messagesIn(threadId), [{ from: "visitor", text: question }], "the question is stored");

    await widget.getByRole("button", { name: "Get the reply by email" }).click();
    await widget.getByRole("textbox", { name: "Email" }).fill(email);
    await widget.getByRole("checkbox").check();
    await widget.getByRole("button", { name: "Save email" }).click();
    await widget.getByText(`Replies will also be emailed to ${email}.`).waitFor();
    const withEmail = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.equal(withEmail.visitor?.email, email);
    assert.equal(withEmail.reach?.email, true);
    await desk.close(); // Henry leaves

    // 2. The owner answers hours later (the agentReply callable, as the console does).
    const answer = "Yes! We deliver on Saturdays between 9 and 12.";
    await agentReplies(threadId, answer);
    const [mail] = await waitUntil("the continuity email", async () => {
      const mails = await mailTo(email);
      return mails.length ? mails : undefined;
    });
    assert.ok(mail!.text.includes(answer), "the email carries the reply");
    assert.match(mail!.text, /Asia\/Ho_Chi_Minh/, "the email's times name the business's zone");
    const link = linkIn(mail!.text, /http:\/\/127\.0\.0\.1:5000\/t\/[A-Za-z0-9._-]+/);

    // 3. The email's link, on a phone: 390 px wide, touch.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const chat = await phone.newPage();
    await chat.goto(link);
    const log = chat.getByRole("log", { name: "Messages" });
    await log.getByText(answer).waitFor({ timeout: 60_000 });
    await log.getByText(question).waitFor();
    // Other suites may rename the business: the page names whatever the settings say.
    const { name } = (await (await fetch(`${HOSTING}/api/widget/config`)).json()) as { name: string };
    assert.equal(await chat.getByRole("heading", { level: 1 }).textContent(), name, "the business is named");
    assert.equal(new URL(chat.url()).pathname, "/t/", "the link leaves the address bar once exchanged");
    await chat.getByText(/^Times in Asia\/Ho_Chi_Minh/).waitFor();
    const overflow = await chat.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page fits 390 px (overflows by ${overflow} px)`);
    // This device, and the one Henry started on (the desk's widget): "Other devices: 1".
    await chat.getByText("This device").waitFor();
    await chat.getByText("Other devices: 1").waitFor();
    const device = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    const phoneUid = Object.keys(device.linkDevices ?? {})[0];
    assert.ok(phoneUid && device.visitorUids.includes(phoneUid), "the link was exchanged for this device's access");
    assert.equal(device.linkDevices[phoneUid].via, "link");

    // 4. Answer from the phone: it lands in the same thread, through the widget API.
    const reply = `Great, a chocolate one for 12 people please. ${uniqueId("phone")}`;
    const phoneBox = chat.getByRole("textbox", { name: "Message" });
    await phoneBox.tap();
    await phoneBox.fill(reply);
    await chat.getByRole("button", { name: "Send" }).tap();
    await waitUntil("the phone's answer in the thread", async () =>
      (await messagesIn(threadId)).some((m) => m.from === "visitor" && m.text === reply) ? true : undefined,
    );
    assert.deepEqual(
      (await messagesIn(threadId)).map((m) => m.text),
      [question, answer, reply],
      "one thread holds the whole conversation",
    );
    await log.getByText(reply).waitFor();
    await chat.screenshot({ path: `${ARTIFACTS}visitor-story-phone.png` });

    // 5. Back to the business's site: the same conversation in the widget there.
    await chat.getByRole("link", { name: `Continue on ${name}'s website` }).tap();
    await chat.waitForURL((url) => url.origin === new URL(SITE).origin, { timeout: 60_000 });
    await chat.waitForFunction(() => !location.href.includes("afterchat"), null, { timeout: 60_000 });
    const back = chat.frameLocator('iframe[title="Chat"]');
    const backLog = back.getByRole("log", { name: "Messages" });
    await backLog.getByText(reply).waitFor({ timeout: 60_000 });
    await backLog.getByText(answer).waitFor();
    await backLog.getByText(question).waitFor();
    const codes = await adminDb().collection("handoffCodes").where("threadId", "==", threadId).get();
    assert.equal(codes.size, 1, "one handoff code was made");
    const code = codes.docs[0]!;
    assert.ok(code.get("usedBy"), "and redeemed");
    assert.notEqual(code.get("usedBy"), phoneUid, "by the widget on the site: another identity (partitioned storage)");
    assert.ok(
      (await adminDb().doc(`threads/${threadId}`).get()).get("visitorUids").includes(code.get("usedBy")),
      "which may now read the thread",
    );
    await chat.screenshot({ path: `${ARTIFACTS}visitor-story-site.png` });
  });
});

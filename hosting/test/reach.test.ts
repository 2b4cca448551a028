import { strict as assert } from "node:assert";
import type { Browser } from "playwright-core";
import { anonymousVisitor, uniqueId, widgetSend } from "../../functions/test/support/emulators";
import { agentReplies, giveEmail, linkIn, mailTo } from "../../functions/test/support/reach";
import { ARTIFACTS, launch } from "./browser";
import { waitUntil } from "../../functions/test/support/wait";

describe("resume links in Chromium", function () {
  this.timeout(180_000); // waits for the continuity email behind the emulator's trigger queue
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  it("the emailed link reopens the same thread on a fresh browser profile; a forged one shows a refusal", async () => {
    const visitor = await anonymousVisitor();
    const sent = await widgetSend(visitor, "Do you have gluten-free bread?");
    const threadId = sent.body.threadId!;
    const email = `${uniqueId("browser")}@example.com`;
    await giveEmail(threadId, email);
    await agentReplies(threadId, "Yes, every Friday <b>morning</b>.");
    const [mail] = await waitUntil("the continuity email", async () =>
      (await mailTo(email)).length ? mailTo(email) : undefined,
    );
    const link = linkIn(mail!.text, /http:\/\/127\.0\.0\.1:5000\/t\/[A-Za-z0-9._-]+/);

    const fresh = await browser.newContext(); // no cookies, no storage: another device
    const page = await fresh.newPage();
    await page.goto(link);
    const conversation = page.getByRole("list", { name: "Conversation" });
    await conversation.getByText("Do you have gluten-free bread?").waitFor({ timeout: 20_000 });
    await conversation.getByText("Yes, every Friday <b>morning</b>.").waitFor();
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Your conversation");
    assert.equal(await page.locator("#log b").count(), 0, "reply text is shown as text");
    assert.equal(new URL(page.url()).pathname, "/t/", "the token leaves the address bar");
    assert.equal(await page.evaluate(() => localStorage.getItem("afterchat.threadId")), threadId);
    await page.screenshot({ path: `${ARTIFACTS}reach-resume.png` });

    const tokenParts = link.split("/t/")[1]!.split(".");
    tokenParts[1] = "web_someoneelse";
    const stranger = await (await browser.newContext()).newPage();
    await stranger.goto(`http://127.0.0.1:5000/t/${tokenParts.join(".")}`);
    await stranger.getByRole("heading", { name: "This link is not valid" }).waitFor({ timeout: 20_000 });
    await stranger.getByText("This link has been changed since we sent it").waitFor();
    assert.equal(await stranger.getByRole("list", { name: "Conversation" }).isVisible(), false);
    await stranger.screenshot({ path: `${ARTIFACTS}reach-refused.png` });
    await fresh.close();
  });
});

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
    const conversation = page.getByRole("log", { name: "Messages" });
    await conversation.getByText("Do you have gluten-free bread?").waitFor({ timeout: 60_000 });
    await conversation.getByText("Yes, every Friday <b>morning</b>.").waitFor();
    const { name } = (await (await fetch("http://127.0.0.1:5000/api/widget/config")).json()) as { name: string };
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), name, "the business is named");
    assert.equal(await page.locator("#log b").count(), 0, "reply text is shown as text");
    assert.equal(new URL(page.url()).pathname, "/t/", "the token leaves the address bar");
    assert.equal(await page.evaluate(() => localStorage.getItem("afterchat.threadId")), threadId);
    await page.getByRole("textbox", { name: "Message" }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}reach-resume.png` });

    // The same link forwarded to someone else: used up. The page says so, shows nothing of the thread,
    // and offers a fresh link to the address on file (which the forwardee never sees).
    const forwarded = await (await browser.newContext()).newPage();
    await forwarded.goto(link);
    await forwarded.getByRole("heading", { name: "This link was already used" }).waitFor({ timeout: 60_000 });
    assert.equal(await forwarded.getByRole("log", { name: "Messages" }).isVisible(), false);
    assert.doesNotMatch(await forwarded.locator("body").innerText(), /gluten|Friday|@example/);
    await forwarded.getByRole("button", { name: "Email me a fresh link" }).click();
    await forwarded
      .getByText("If this conversation has an email address on file, a fresh link is on its way to it.")
      .waitFor();
    await waitUntil(
      "the fresh link email",
      async () => (await mailTo(email)).some((m) => /Your link to the conversation/.test(m.subject)) || undefined,
    );

    const tokenParts = link.split("/t/")[1]!.split(".");
    tokenParts[1] = "web_someoneelse";
    const stranger = await (await browser.newContext()).newPage();
    await stranger.goto(`http://127.0.0.1:5000/t/${tokenParts.join(".")}`);
    await stranger.getByRole("heading", { name: "This link is not valid" }).waitFor({ timeout: 60_000 });
    await stranger.getByText("This link has been changed since we sent it").waitFor();
    assert.equal(await stranger.getByRole("log", { name: "Messages" }).isVisible(), false);
    assert.equal(await stranger.getByRole("button", { name: "Email me a fresh link" }).isVisible(), false);
    await stranger.screenshot({ path: `${ARTIFACTS}reach-refused.png` });
    await fresh.close();
  });
});

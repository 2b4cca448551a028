import { strict as assert } from "node:assert";
import type { Browser } from "playwright-core";
import { callable, consoleUser, HOSTING, uniqueId } from "../../functions/test/support/emulators";
import { launch } from "./browser";

describe("walking skeleton in Chromium", function () {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  it("a visitor writes in the widget and an agent's reply arrives without reload", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${HOSTING}/`);
    await page.getByRole("button", { name: "Open chat" }).click();
    const chat = page.frameLocator('iframe[title="Chat"]');
    await chat.getByRole("textbox", { name: "Message" }).fill("Is the shop open on Sunday?");
    await chat.getByRole("button", { name: "Send" }).click();
    await chat.getByText("Is the shop open on Sunday?").waitFor();

    const frame = page.frames().find((f) => f.url().includes("/widget/"))!;
    const threadId = await frame.evaluate(() => localStorage.getItem("afterchat.threadId"));
    assert.ok(threadId, "the widget remembers its thread");
    const agent = await consoleUser("agent");
    const reply = await callable("agentReply", { threadId, text: "Yes, 8 to 12.", clientMessageId: uniqueId("r") }, agent.idToken);
    assert.equal(reply.status, 200, JSON.stringify(reply.error));
    await chat.getByText("Yes, 8 to 12.").waitFor({ timeout: 10_000 });
  });
});

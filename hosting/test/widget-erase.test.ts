// "Delete conversation" in the widget (issue 14): a confirm step, then the thread and everything
// under it are gone, the chat says so, and this browser forgets it too.
import { strict as assert } from "node:assert";
import type { Browser, BrowserContext, FrameLocator, Page } from "playwright-core";
import { adminDb, callable, consoleUser, HOSTING, uniqueId } from "../../functions/test/support/emulators";
import { waitUntil } from "../../functions/test/support/wait";
import { launch } from "./browser";

async function openWidget(context: BrowserContext, hash: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${HOSTING}/widget/#${hash}`);
  await page.waitForFunction(() => !(document.getElementById("text") as HTMLTextAreaElement).disabled);
  return page;
}

async function send(chat: Page | FrameLocator, text: string): Promise<void> {
  const box = chat.getByRole("textbox", { name: /Message|Tin nhắn/ });
  await box.fill(text);
  await box.press("Enter");
}

describe("widget: Delete conversation", function () {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  it("asks first, then erases the thread and everything under it and says it is done", async () => {
    const context = await browser.newContext();
    // Embedded, as on a business's site: the host page's "has a thread" flag must go too.
    const page = await context.newPage();
    await page.goto(`${HOSTING}/`);
    await page.getByRole("button", { name: "Open chat" }).click();
    const chat = page.frameLocator('iframe[title="Chat"]');
    const frame = () => page.frames().find((f) => f.url().includes("/widget/"))!;
    await chat.getByRole("textbox", { name: "Message" }).waitFor();
    await frame().waitForFunction(() => !(document.getElementById("text") as HTMLTextAreaElement).disabled);
    await send(chat, "Please call me on 0901 234 567");
    await chat.getByText("Sent", { exact: true }).waitFor();
    const threadId = (await frame().evaluate(() => localStorage.getItem("afterchat.threadId")))!;
    await page.waitForFunction(() => localStorage.getItem("afterchat:thread") === "1");
    const agent = await consoleUser("agent");
    const reply = await callable(
      "agentReply",
      { threadId, text: "Will do!", clientMessageId: uniqueId("r") },
      agent.idToken,
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.error));
    await chat.getByText("Will do!").waitFor();

    // The confirm step: "Keep it" erases nothing.
    await chat.getByRole("button", { name: "Delete conversation" }).click();
    const confirm = chat.getByRole("group", { name: /Delete this conversation and everything in it/ });
    await confirm.waitFor();
    assert.equal(
      await frame().evaluate(() => document.activeElement?.textContent),
      "Keep it",
      "focus starts on the safe choice",
    );
    await confirm.getByRole("button", { name: "Keep it" }).click();
    assert.equal(await confirm.isVisible(), false);
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).exists, true, "kept");

    await chat.getByRole("button", { name: "Delete conversation" }).click();
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await chat.getByRole("status").filter({ hasText: "Your conversation has been deleted." }).waitFor();
    assert.equal(await chat.getByText("Please call me on 0901 234 567").count(), 0, "the messages left the screen");
    assert.equal(await chat.getByText("Will do!").count(), 0);
    assert.equal(await frame().evaluate(() => localStorage.getItem("afterchat.threadId")), null, "the app forgot it");
    assert.equal(await page.evaluate(() => localStorage.getItem("afterchat:thread")), null, "so did the host page");

    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).exists, false);
    const left = await adminDb().doc(`threads/${threadId}`).listCollections();
    for (const c of left) assert.equal((await c.get()).size, 0, `${c.id} is empty`);

    // The visitor can start over: a new conversation, with nothing of the erased one.
    await send(chat, "A new question");
    await chat.getByText("Sent", { exact: true }).waitFor();
    const fresh = await waitUntil("the new thread", async () =>
      (await adminDb().doc(`threads/${threadId}`).get()).data(),
    );
    assert.equal(fresh.messageCount, 1, "a new conversation, not the erased one");
    assert.equal(await chat.getByText("Will do!").count(), 0);
    await context.close();
  });

  it("speaks Vietnamese: the button and the confirm step have Vietnamese names", async () => {
    const context = await browser.newContext();
    const page = await openWidget(context, "mode=open&locale=vi");
    await send(page, "Xin chào");
    await page.getByRole("button", { name: "Xóa cuộc trò chuyện" }).click();
    const confirm = page.getByRole("group", { name: /Xóa cuộc trò chuyện này/ });
    await confirm.getByRole("button", { name: "Giữ lại" }).waitFor();
    await confirm.getByRole("button", { name: "Xóa", exact: true }).click();
    await page.getByText("Cuộc trò chuyện của bạn đã được xóa.").waitFor();
    await context.close();
  });
});

import { strict as assert } from "node:assert";
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from "playwright-core";
import { adminDb, callable, consoleUser, HOSTING, uniqueId } from "../../functions/test/support/emulators";
import { waitUntil } from "../../functions/test/support/wait";
import { exhaustRateLimit } from "../../functions/test/support/rateLimits";
import { ARTIFACTS, launch } from "./browser";
import { replyWithTartCard, TART_IMAGE, TART_TITLE } from "./card-fixture";
import { openLauncher } from "./widget-support";

const FIRESTORE = "http://127.0.0.1:8080/v1/projects/demo-afterchat/databases/(default)/documents";

interface Opened {
  page: Page;
  chat: FrameLocator;
  frame: () => Frame;
}

async function openWidget(context: BrowserContext, url = `${HOSTING}/`): Promise<Opened> {
  const page = await context.newPage();
  await page.goto(url);
  const { chat, frame } = await openLauncher(page);
  return { page, chat, frame };
}

async function send(chat: FrameLocator, text: string): Promise<void> {
  const box = chat.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}

async function threadIdOf(o: Opened): Promise<string> {
  await o.frame().waitForFunction(() => localStorage.getItem("afterchat.threadId"));
  return (await o.frame().evaluate(() => localStorage.getItem("afterchat.threadId")))!;
}

async function agentReply(threadId: string, text: string): Promise<void> {
  const agent = await consoleUser("agent");
  const reply = await callable("agentReply", { threadId, text, clientMessageId: uniqueId("r") }, agent.idToken);
  assert.equal(reply.status, 200, JSON.stringify(reply.error));
}

describe("widget in Chromium", function () {
  let browser: Browser;
  before(async () => {
    browser = await launch();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(() => browser?.close());

  it("the loader makes no request and stores nothing before the visitor interacts", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${HOSTING}/`);
    const launcher = page.getByRole("button", { name: "Open chat" });
    await launcher.waitFor();
    await page.waitForLoadState("networkidle");
    assert.deepEqual(requests, ["/", "/widget.js"]);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.deepEqual(await context.cookies(), []);
    assert.equal(await launcher.getAttribute("aria-expanded"), "false");
    await launcher.click();
    await page.frameLocator('iframe[title="Chat"]').getByRole("button", { name: "Send" }).waitFor();
    assert.ok(requests.includes("/widget/"), "the chat app loads on open");
    assert.equal(await page.evaluate(() => localStorage.length), 0, "opening alone stores nothing on the page's site");
    await context.close();
  });

  it("open, send, see the agent typing and the reply in real time; reload and a second tab show the same thread", async () => {
    const context = await browser.newContext();
    const o = await openWidget(context);
    await o
      .frame()
      .waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Message", null, { timeout: 5_000 })
      .catch(() => undefined);
    const focused = await o.frame().evaluate(() => document.activeElement?.getAttribute("aria-label"));
    assert.equal(focused, "Message", "focus moves into the panel on open");

    await send(o.chat, "Do you have croissants today?\nTwo please.");
    await o.chat.getByText("Do you have croissants today?").waitFor();
    await o.chat.getByText("Sent", { exact: true }).waitFor();
    const threadId = await threadIdOf(o);
    await o.page.waitForFunction(() => localStorage.getItem("afterchat:thread") === "1");

    // Typing signals live beside the thread (rules let agents write them), never on it.
    await adminDb()
      .doc(`threads/${threadId}/typing/agent`)
      .set({ until: new Date(Date.now() + 15_000), name: "Minh" });
    await o.chat.getByText("Minh is typing…").waitFor({ timeout: 60_000 });
    await agentReply(threadId, "Yes! Fresh out of the oven.");
    await o.chat.getByText("Yes! Fresh out of the oven.").waitFor({ timeout: 60_000 });
    await o.chat.getByText("Read", { exact: true }).waitFor({ timeout: 60_000 });
    assert.ok(await o.chat.getByRole("log").getAttribute("aria-live"), "new messages are announced");

    await o.page.reload();
    await o.page.getByRole("button", { name: "Open chat" }).click();
    await o.chat.getByText("Yes! Fresh out of the oven.").waitFor();
    await o.chat.getByText("Do you have croissants today?").waitFor();

    const second = await openWidget(context);
    await second.chat.getByText("Yes! Fresh out of the oven.").waitFor();
    assert.equal(await threadIdOf(second), threadId, "tabs share one thread");
    await send(second.chat, "Great, I'll come by.");
    await o.chat.getByText("Great, I'll come by.").waitFor({ timeout: 60_000 });

    await o.page.keyboard.press("Escape");
    await o.page.waitForFunction(() => document.activeElement?.tagName === "DIV"); // the launcher's shadow host
    const label = await o.page.evaluate(() =>
      document.activeElement?.shadowRoot?.activeElement?.getAttribute("aria-label"),
    );
    assert.equal(label, "Open chat", "focus returns to the launcher on close");
    await context.close();
  });

  it("reply chips from the agent show as buttons; tapping one sends its text", async () => {
    const context = await browser.newContext();
    const o = await openWidget(context);
    await send(o.chat, "Can I order a cake?");
    await o.chat.getByText("Sent", { exact: true }).waitFor();
    const threadId = await threadIdOf(o);
    const agent = await consoleUser("agent");
    const reply = await callable(
      "agentReply",
      {
        threadId,
        text: "Sure! Which size?",
        clientMessageId: uniqueId("r"),
        suggestions: [
          { reply: { text: "Small <b>", postbackData: "small" } },
          { reply: { text: "Large", postbackData: "large" } },
          { action: { text: "Call us", postbackData: "call", dialAction: { phoneNumber: "+14155550100" } } },
        ],
      },
      agent.idToken,
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.error));
    const chips = o.chat.getByRole("group", { name: "Suggested replies" });
    await chips.getByRole("button", { name: "Large" }).waitFor({ timeout: 60_000 });
    // Reply chips only (the dial action is Business Messages' own), rendered as text.
    assert.deepEqual(await chips.getByRole("button").allTextContents(), ["Small <b>", "Large"]);
    await chips.getByRole("button", { name: "Large" }).click();
    await waitUntil("the chip's text stored as the visitor's message", async () => {
      const m = await adminDb().collection(`threads/${threadId}/messages`).where("text", "==", "Large").get();
      return m.size === 1 && m.docs[0]!.get("from") === "visitor" ? m : undefined;
    });
    await o.chat.getByRole("group", { name: "Suggested replies" }).waitFor({ state: "detached" });
    await context.close();
  });

  it("an agent's card shows as text: a group named by its title, an https image link with alt text, chips as buttons", async () => {
    const context = await browser.newContext();
    const o = await openWidget(context);
    await send(o.chat, "Any tarts?");
    await o.chat.getByText("Sent", { exact: true }).waitFor();
    const threadId = await threadIdOf(o);
    await replyWithTartCard(threadId, "This one:", [
      { reply: { text: "Keep one", postbackData: "keep" } },
      { action: { text: "Menu", postbackData: "menu", openUrlAction: { url: "https://bakery.example/menu" } } },
    ]);
    const card = o.chat.getByRole("group", { name: TART_TITLE });
    await card.waitFor({ timeout: 60_000 });
    assert.equal(await card.getByRole("link", { name: "A lemon tart" }).getAttribute("href"), TART_IMAGE);
    assert.equal(await card.getByRole("link", { name: "Menu" }).getAttribute("href"), "https://bakery.example/menu");
    assert.equal(await o.chat.locator("img").count(), 0, "the title stayed text");
    await card.getByRole("button", { name: "Keep one" }).click();
    await waitUntil("the card chip's text stored as the visitor's message", async () => {
      const m = await adminDb().collection(`threads/${threadId}/messages`).where("text", "==", "Keep one").get();
      return m.size === 1 ? m : undefined;
    });
    await context.close();
  });

  it("a second visitor cannot read the first visitor's thread, even knowing its id", async () => {
    const a = await openWidget(await browser.newContext());
    await send(a.chat, "My address is 12 Secret Street");
    const threadId = await threadIdOf(a);

    const bContext = await browser.newContext();
    const b = await openWidget(bContext);
    await send(b.chat, "Hello from B");
    await b.chat.getByText("Hello from B").waitFor();
    await threadIdOf(b); // the text shows at once; the session exists once the send went through
    const status = await b.frame().evaluate(
      async ({ url, id }) => {
        const session = JSON.parse(localStorage.getItem("afterchat.session")!);
        const headers = { authorization: `Bearer ${session.idToken}` };
        const thread = await fetch(`${url}/threads/${id}`, { headers });
        const messages = await fetch(`${url}/threads/${id}/messages`, { headers });
        return [thread.status, messages.status];
      },
      { url: FIRESTORE, id: threadId },
    );
    assert.deepEqual(status, [403, 403]);
    // Planting A's thread id in B's storage shows nothing of A's.
    await b.frame().evaluate((id) => localStorage.setItem("afterchat.threadId", id), threadId);
    await b.page.reload();
    // The widget's first read of the planted thread is refused by the rules, and it shows nothing.
    const refused = b.page.waitForResponse((r) => r.url().endsWith(":batchGet") && r.status() === 403);
    await b.page.getByRole("button", { name: "Open chat" }).click();
    await b.chat.getByRole("textbox", { name: "Message" }).waitFor();
    await refused;
    assert.equal(await b.chat.getByText("12 Secret Street").count(), 0);
    await bContext.close();
  });

  it("renders visitor and agent text inert; only http(s) links become safe links", async () => {
    const context = await browser.newContext();
    const o = await openWidget(context);
    const attacks = [
      `<img src=x onerror="window.parent.__pwned=1;window.__pwned=1">`,
      `<script>window.__pwned=2</script>`,
      `<a href="javascript:window.__pwned=3">click</a> javascript:window.__pwned=4`,
      `see https://example.com/menu?day=mon. thanks`,
    ];
    for (const text of attacks) await send(o.chat, text);
    await o.chat.getByText("thanks", { exact: false }).waitFor();
    await o.frame().waitForFunction(() => document.querySelectorAll("#log li.pending").length === 0);
    const threadId = await threadIdOf(o);
    await agentReply(threadId, `<b>bold?</b> <img src=y onerror="window.__pwned=5"> http://example.org/x`);
    await o.chat.getByText("<b>bold?</b>", { exact: false }).waitFor({ timeout: 60_000 });

    const frame = o.frame();
    assert.equal(await frame.locator("#log img, #log script, #log b").count(), 0);
    assert.equal(await frame.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
    assert.equal(await o.page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
    await o.chat.getByText(`<img src=x onerror=`, { exact: false }).waitFor();
    const links = await frame
      .locator("#log a")
      .evaluateAll((as) =>
        as.map((a) => ({ href: a.getAttribute("href"), rel: a.getAttribute("rel"), target: a.getAttribute("target") })),
      );
    links.sort((a, b) => String(a.href).localeCompare(String(b.href)));
    assert.deepEqual(links, [
      { href: "http://example.org/x", rel: "noopener noreferrer", target: "_blank" },
      { href: "https://example.com/menu?day=mon", rel: "noopener noreferrer", target: "_blank" },
    ]);
    await context.close();
  });

  it("a failed send stays visible with Retry, and Retry delivers it once", async () => {
    const context = await browser.newContext();
    const o = await openWidget(context);
    await send(o.chat, "first, to start the thread");
    await o.chat.getByText("Sent", { exact: true }).waitFor();
    await context.route("**/api/widget/messages", (route) => route.abort("internetdisconnected"));
    await send(o.chat, "this one hits a dead network");
    await o.chat.getByRole("button", { name: "Retry" }).waitFor();
    await o.chat.getByRole("alert").getByText("no connection", { exact: false }).waitFor();
    await context.unroute("**/api/widget/messages");
    await o.chat.getByRole("button", { name: "Retry" }).click();
    await o.chat.getByRole("button", { name: "Retry" }).waitFor({ state: "detached" });
    await o.frame().waitForFunction(() => document.querySelectorAll("#log li.pending, #log li.failed").length === 0);
    const threadId = await threadIdOf(o);
    const stored = await adminDb().collection(`threads/${threadId}/messages`).get();
    assert.deepEqual(stored.docs.map((d) => d.get("text")).sort(), [
      "first, to start the thread",
      "this one hits a dead network",
    ]);
    await context.close();
  });

  it("hitting the rate limit shows a friendly error and keeps the message with Retry", async () => {
    const context = await browser.newContext();
    const o = await openWidget(context);
    await send(o.chat, "first, to start the thread");
    await o.chat.getByText("Sent", { exact: true }).waitFor();
    const thread = await adminDb()
      .doc(`threads/${await threadIdOf(o)}`)
      .get();
    await exhaustRateLimit("visitor-messages-per-minute", thread.get("visitorUids")[0]);
    await send(o.chat, "one too many");
    await o.chat.getByRole("alert").getByText("sending messages a bit fast", { exact: false }).waitFor();
    await o.chat.getByRole("button", { name: "Retry" }).waitFor();
    await o.chat.getByText("one too many", { exact: true }).waitFor();
    await context.close();
  });

  it("saves an email for replies with consent", async () => {
    const context = await browser.newContext();
    const o = await openWidget(context);
    await send(o.chat, "Email me when the cake is ready");
    const threadId = await threadIdOf(o);
    await o.chat.getByRole("button", { name: "Get the reply by email" }).click();
    await o.chat.getByRole("textbox", { name: "Email" }).fill("an@example.com");
    await o.chat.getByRole("button", { name: "Save email" }).click();
    await o.chat.getByText("Please tick the box", { exact: false }).waitFor();
    await o.chat.getByRole("checkbox", { name: /may email me replies/ }).check();
    await o.chat.getByRole("button", { name: "Save email" }).click();
    await o.chat.getByText("Replies will also be emailed to an@example.com.").waitFor();
    const thread = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
    assert.equal(thread.visitor.email, "an@example.com");
    assert.equal(thread.reach.email, true);
    // "Notify me" opens the push window on our origin (a cross-origin iframe may not ask permission).
    const [popup] = await Promise.all([
      context.waitForEvent("page"),
      o.chat.getByRole("button", { name: "Notify me" }).click(),
    ]);
    assert.match(popup.url(), new RegExp(`/push/\\?thread=${threadId}$`));
    await context.close();
  });

  it("shows an unread badge on a later visit when a reply came while the chat was closed", async () => {
    const context = await browser.newContext();
    const o = await openWidget(context);
    await send(o.chat, "Call me back later");
    const threadId = await threadIdOf(o);
    await o.page.waitForFunction(() => localStorage.getItem("afterchat:thread") === "1");
    await o.page.keyboard.press("Escape");
    await o.page.close();
    await agentReply(threadId, "Sure, we'll call at 5.");
    const page = await context.newPage();
    await page.goto(`${HOSTING}/`);
    await page.getByRole("button", { name: "Open chat (1 unread)" }).waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Open chat (1 unread)" }).click();
    await page.frameLocator('iframe[title="Chat"]').getByText("Sure, we'll call at 5.").waitFor();
    await context.close();
  });

  it("speaks Vietnamese from the locale attribute", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${HOSTING}/widget/#mode=open&locale=vi`);
    await page.getByRole("textbox", { name: "Tin nhắn" }).waitFor();
    await page.getByRole("button", { name: "Gửi" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "vi");
    await context.close();
  });

  it("screenshots the opened widget on a desktop and a phone (artifacts, not compared)", async () => {
    for (const [name, viewport] of [
      ["desktop", { width: 1280, height: 800 }],
      ["phone", { width: 390, height: 844 }],
    ] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const o = await openWidget(context);
      await send(o.chat, "Hello! Is https://example.com/cakes your menu?");
      await o.chat.getByText("Sent", { exact: true }).waitFor();
      const box = await o.page.locator('iframe[title="Chat"]').boundingBox();
      if (name === "phone")
        assert.deepEqual(box, { x: 0, y: 0, width: 390, height: 844 }, "full screen on small viewports");
      else assert.ok(box && box.width < 500 && box.height <= 600, "a panel on desktop");
      await o.page.screenshot({ path: `${ARTIFACTS}widget-${name}.png` });
      await context.close();
    }
  });
});

import { strict as assert } from "node:assert";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import type { Browser } from "playwright-core";
import { adminDb, anonymousVisitor, consoleUser, uniqueId, widgetSend } from "../../functions/test/support/emulators";
import { waitUntil } from "../../functions/test/support/wait";
import { launch } from "./browser";
import { notificationsShown, RECORD_NOTIFICATIONS, signIn } from "./console-support";

const DAY_MS = 24 * 3600_000;

const asSeedAdmin = (browser: Browser, hash = "", initScript?: string) =>
  signIn(browser, "admin@example.com", "admin-password", hash, initScript);

describe("agent console in Chromium", function () {
  // The first inbox load can wait behind the emulator's trigger backlog from earlier suites.
  this.timeout(240_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  it("the seed admin signs in to the console with the admin role and sees the inbox", async () => {
    const page = await asSeedAdmin(browser);
    await page.getByText("Signed in as admin@example.com (role: admin)").waitFor();
    await page.locator("#thread-list a.row").first().waitFor({ timeout: 90_000 });
    assert.equal(await page.getByRole("link", { name: "Settings" }).isVisible(), true);
  });

  it("a visitor message sent through the widget API appears in the inbox without reload; the reply is stored with its delivery state", async () => {
    const page = await asSeedAdmin(browser, "", RECORD_NOTIFICATIONS);
    await page.locator("#thread-list a.row").first().waitFor({ timeout: 90_000 });
    const text = `Do you have croissants today? ${uniqueId("q")}`;
    const started = Date.now();
    const sent = await widgetSend(await anonymousVisitor(), text);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const stored = Date.now();
    const row = page.locator("#thread-list a.row", { hasText: text });
    await row.waitFor({ timeout: 60_000 });
    const appeared = Date.now();
    console.log(
      `      inbox delay: ${appeared - started} ms from send (${appeared - stored} ms after the widget API answered)`,
    );
    assert.match(await row.innerText(), /Web/);
    assert.match(await row.locator(".unread").innerText(), /^1$/);
    assert.match(await page.title(), /^\(\d+\+?\) Afterchat console$/, "the title carries the unread badge");
    const visitorName = (await adminDb().doc(`threads/${sent.body.threadId}`).get()).get(
      "visitor.displayName",
    ) as string;
    // From the unread listener, not the inbox's, so it may come a moment after the row.
    await waitUntil("a notification with the visitor's name and message", async () => {
      const shown = await notificationsShown(page);
      return shown.some((n) => n.title === visitorName && n.body === text) || undefined;
    });

    await row.click();
    await page.getByRole("heading", { name: visitorName, exact: true }).waitFor();
    await page.getByText(/You can reply via the chat widget until .+ — 29 days left/).waitFor();
    const threadId = sent.body.threadId!;
    await waitUntil(
      "opening the thread marks it read",
      async () => (await adminDb().doc(`threads/${threadId}`).get()).get("unreadForAgents") === 0,
    );

    const reply = `Yes, fresh at 7! ${uniqueId("a")}`;
    await page.getByRole("textbox", { name: "Reply", exact: true }).fill(reply);
    const typing = adminDb().doc(`threads/${threadId}/typing/agent`);
    await waitUntil(
      "typing tells the visitor the agent is typing",
      async () => ((await typing.get()).get("until")?.toMillis() ?? 0) > Date.now(),
    );
    await page.getByRole("textbox", { name: /Reply chips/ }).fill("Yes please, No thanks");
    await page.getByRole("textbox", { name: "Reply", exact: true }).press("Enter");
    const shown = page.locator("#messages li", { hasText: reply });
    await shown.waitFor();
    assert.equal(await shown.locator(".delivery").getAttribute("data-state"), "sent");
    // The listener may show the stored reply before the callable's answer clears the box.
    await page
      .waitForFunction(() => (document.getElementById("reply") as HTMLTextAreaElement).value === "", null, {
        timeout: 10_000,
      })
      .catch(() => undefined);
    assert.equal(
      await page.getByRole("textbox", { name: "Reply", exact: true }).inputValue(),
      "",
      "the reply box is cleared",
    );
    const messages = await adminDb().collection(`threads/${threadId}/messages`).where("text", "==", reply).get();
    assert.equal(messages.size, 1);
    assert.equal(messages.docs[0].get("from"), "agent");
    assert.deepEqual(messages.docs[0].get("suggestions"), [
      { reply: { text: "Yes please", postbackData: "Yes please" } },
      { reply: { text: "No thanks", postbackData: "No thanks" } },
    ]);
    assert.deepEqual(messages.docs[0].get("delivery"), { channel: "web", state: "sent", attempts: 1 });
    await waitUntil(
      "sending ends the typing signal",
      async () => (await typing.get()).get("until").toMillis() <= Date.now(),
    );
  });

  it("Shift+Enter breaks the line, / inserts a canned reply, notes stay internal, resolve and assign write the thread", async () => {
    const settings = adminDb().doc("settings/business");
    const card = { title: "Opening hours", description: "Mon-Sat 7:00-19:00" };
    await settings.update({
      cannedReplies: [
        {
          shortcut: "hours",
          text: "We open 7:00-19:00, Monday to Saturday.",
          suggestions: [{ reply: { text: "Thanks", postbackData: "Thanks" } }],
          richCard: { standaloneCard: { cardContent: card } },
        },
      ],
    });
    try {
      const sent = await widgetSend(await anonymousVisitor(), "When are you open?");
      const threadId = sent.body.threadId!;
      const page = await asSeedAdmin(browser, `#/t/${threadId}`);
      const box = page.getByRole("textbox", { name: "Reply", exact: true });
      await box.waitFor();
      await box.pressSequentially("Line one");
      await box.press("Shift+Enter");
      await box.pressSequentially("line two");
      assert.equal(await box.inputValue(), "Line one\nline two");
      await box.fill("");
      await box.pressSequentially("/ho");
      await page
        .getByRole("option", { name: /\/hours/ })
        .waitFor({ timeout: 5000 })
        .catch(async (err) => {
          const state = await page.evaluate(() => ({
            canned: (window as unknown as { afterchat: { session: { settings: { cannedReplies?: unknown } } } })
              .afterchat.session.settings.cannedReplies,
            active: document.activeElement?.outerHTML.slice(0, 120),
            value: (document.getElementById("reply") as HTMLTextAreaElement | null)?.value,
            listbox: document.querySelector(".suggestions")?.outerHTML.slice(0, 300),
          }));
          throw new Error(`${err.message}\n${JSON.stringify(state)}`);
        });
      await box.press("Enter");
      assert.equal(await box.inputValue(), "We open 7:00-19:00, Monday to Saturday.");
      // The canned reply's chips and card fill the composer.
      assert.equal(await page.getByRole("textbox", { name: /Reply chips/ }).inputValue(), "Thanks");
      assert.equal(await page.getByRole("textbox", { name: "Card title" }).inputValue(), card.title);
      assert.equal(await page.getByRole("textbox", { name: "Card description" }).inputValue(), card.description);

      await page.getByText(/Internal notes/).click();
      await page.getByRole("textbox", { name: "Internal note" }).fill("Asked twice already <b>urgent</b>");
      await page.getByRole("button", { name: "Add note" }).click();
      await page.getByText("Asked twice already <b>urgent</b>").waitFor();
      const messages = await adminDb().collection(`threads/${threadId}/messages`).get();
      assert.deepEqual(
        messages.docs.map((d) => d.get("text")),
        ["When are you open?"],
        "the note is not a message",
      );
      // Sent as composed: text, chip and card stored on the agent's message.
      await page.getByRole("button", { name: "Send", exact: true }).click();
      const sentCard = await waitUntil("the canned reply stored with its card", async () => {
        const snap = await adminDb().collection(`threads/${threadId}/messages`).where("from", "==", "agent").get();
        return snap.docs[0]?.data();
      });
      assert.deepEqual(sentCard.richCard, { standaloneCard: { cardContent: card } });
      assert.deepEqual(sentCard.suggestions, [{ reply: { text: "Thanks", postbackData: "Thanks" } }]);
      await page.getByRole("group", { name: `Card: ${card.title}` }).waitFor();

      // The follow-up entry point (the scheduling backend may not be deployed: then it says so).
      await page.getByText("Schedule follow-up").click();
      await page.getByRole("button", { name: "Schedule", exact: true }).click();
      // Scheduled, refused with the server's reason (e.g. past the window), or not deployed: each is said.
      await page
        .getByText(/Follow-up scheduled for|Not scheduled: .+|Scheduling follow-ups is not available/)
        .waitFor();

      await page.getByRole("combobox", { name: "Assign to" }).selectOption({ label: "Me" });
      await page.getByRole("button", { name: "Resolve", exact: true }).click();
      await page.getByRole("button", { name: "Reopen", exact: true }).waitFor();
      await waitUntil("the thread is stored resolved and assigned", async () => {
        const thread = (await adminDb().doc(`threads/${threadId}`).get()).data()!;
        return thread.status === "resolved" && typeof thread.assignedTo === "string";
      });
    } finally {
      await settings.update({ cannedReplies: FieldValue.delete() });
    }
  });

  it("a thread whose window has closed shows the banner and a disabled composer", async () => {
    const sent = await widgetSend(await anonymousVisitor(), "Hello from long ago");
    const threadId = sent.body.threadId!;
    await adminDb()
      .doc(`threads/${threadId}`)
      .update({ lastVisitorMessageAt: Timestamp.fromMillis(Date.now() - 40 * DAY_MS) });
    const page = await asSeedAdmin(browser, `#/t/${threadId}`);
    await page
      .getByText(/You can't reply: the chat widget window closed on .+\. It reopens when the visitor writes again\./)
      .waitFor();
    assert.equal(await page.getByRole("textbox", { name: "Reply", exact: true }).isDisabled(), true);
    assert.equal(await page.getByRole("button", { name: "Send", exact: true }).isDisabled(), true);
  });

  // Visitor text as text, never markup: covered for every surface by xss-corpus.test.ts.

  it("an agent without the admin role cannot open settings", async () => {
    const agent = await consoleUser("agent");
    const page = await signIn(browser, agent.email, "test-password");
    await page.locator("#thread-list").waitFor();
    assert.equal(await page.getByRole("link", { name: "Settings" }).isVisible(), false);
    await page.evaluate(() => (location.hash = "#/settings"));
    await page.getByText("Only admins can open settings.").waitFor();
    assert.equal(await page.getByRole("button", { name: "Save settings" }).count(), 0);
  });

  it("the seed admin opens settings and sees the business and the agents", async () => {
    const page = await asSeedAdmin(browser, "#/settings");
    await page.getByRole("button", { name: "Save settings" }).waitFor();
    assert.notEqual(await page.getByLabel("Business name").inputValue(), "");
    await page
      .getByRole("cell", { name: /admin@example\.com/ })
      .first()
      .waitFor();
  });

  it("a signed-in user without any role sees nothing and is told so", async () => {
    const nobody = await consoleUser(null);
    const page = await signIn(browser, nobody.email, "test-password");
    await page.getByText("Your account has no role in this console").waitFor();
    await page.getByText("The server denied access to conversations.").waitFor();
    assert.equal(await page.locator("#thread-list a.row").count(), 0);
    assert.equal(await page.locator("#workspace").isVisible(), false);
  });

  it("the keyboard moves through the inbox and opens a thread; Escape goes back", async () => {
    for (const n of [1, 2]) await widgetSend(await anonymousVisitor(), `Keyboard check ${n}`);
    const page = await asSeedAdmin(browser);
    const rows = page.locator("#thread-list a.row");
    await rows.nth(1).waitFor();
    await rows.first().focus();
    await page.keyboard.press("ArrowDown");
    const second = await rows.nth(1).getAttribute("data-thread-id");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-thread-id")), second);
    await page.keyboard.press("Enter");
    await page.waitForURL(`**/console/#/t/${second}`);
    await page.getByRole("textbox", { name: "Reply", exact: true }).waitFor();
    await page.keyboard.press("Escape");
    await page.waitForURL("**/console/#/inbox");
  });

  it("works on a phone screen: the inbox, then the thread, then back", async () => {
    const sent = await widgetSend(await anonymousVisitor(), `Phone check ${uniqueId("p")}`);
    const page = await asSeedAdmin(browser);
    await page.setViewportSize({ width: 390, height: 800 });
    const row = page.locator("#thread-list a.row", { hasText: "Phone check" }).first();
    await row.click();
    await page.getByRole("textbox", { name: "Reply", exact: true }).waitFor();
    assert.equal(await page.locator("#inbox-pane").isVisible(), false, "one pane at a time");
    await page.getByRole("link", { name: "← Inbox" }).click();
    await page.locator("#inbox-pane").waitFor();
    assert.ok(sent.body.threadId);
  });
});

// Every page a visitor or an agent sees passes axe-core's WCAG 2.1 A/AA rules, in the states they use.
import { strict as assert } from "node:assert";
import type { Browser, Page, Frame } from "playwright-core";
import { signLink } from "../../functions/src/domain/resumeLinks";
import { anonymousVisitor, HOSTING, uniqueId, widgetSend } from "../../functions/test/support/emulators";
import { agentReplies, localSecret } from "../../functions/test/support/reach";
import { accessibilityViolations } from "./a11y";
import { launch } from "./browser";
import { signIn } from "./console-support";
import { openLauncher } from "./widget-support";

async function assertAccessible(name: string, where: Page | Frame): Promise<void> {
  const violations = await accessibilityViolations(where);
  assert.deepEqual(violations, [], `${name}: ${violations.length} WCAG 2.1 A/AA violations`);
}

describe("accessibility (axe-core, WCAG 2.1 A/AA) in Chromium", function () {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  it("the widget: the launcher on the page, then the opened chat with a conversation", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${HOSTING}/`);
    await page.getByRole("button", { name: "Open chat" }).waitFor();
    await assertAccessible("demo page with the launcher", page);
    const { box, frame: widgetFrame } = await openLauncher(page);
    const frame = widgetFrame();
    await assertAccessible("opened widget (greeting only)", frame);
    await box.fill(`Are you open on Sunday? ${uniqueId("a11y")}`);
    await box.press("Enter");
    await frame.waitForFunction(() => document.querySelector("#log li.visitor:not(.pending)"));
    await assertAccessible("opened widget with a message", frame);
  });

  it("the console: sign-in, inbox, a thread and settings", async () => {
    const signInPage = await (await browser.newContext()).newPage();
    await signInPage.goto(`${HOSTING}/console/`);
    await signInPage.getByLabel("Email").waitFor();
    await assertAccessible("console sign-in", signInPage);

    const sent = await widgetSend(await anonymousVisitor(), `Can I order a cake? ${uniqueId("a11y")}`);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    await agentReplies(sent.body.threadId!, "Yes, two days ahead.");
    const page = await signIn(browser, "admin@example.com", "admin-password");
    await assertAccessible("console inbox", page);
    await page.evaluate(`location.hash = ${JSON.stringify(`#/t/${sent.body.threadId}`)}`);
    await page.getByText("Yes, two days ahead.").waitFor();
    // The card fields too (closed by default).
    await page.getByText("Add a card").click();
    await page.getByRole("textbox", { name: "Card title" }).waitFor();
    await assertAccessible("console thread", page);
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Settings" }).first().waitFor();
    await page.waitForFunction(() => !document.querySelector("#settings-pane")?.textContent?.includes("Loading"));
    await assertAccessible("console settings", page);
  });

  it("the chat page behind an emailed link, and the notification window", async () => {
    const visitor = await anonymousVisitor();
    const sent = await widgetSend(visitor, `Is there parking? ${uniqueId("a11y")}`);
    const threadId = sent.body.threadId!;
    await agentReplies(threadId, "Yes, behind the shop.");
    const token = signLink(localSecret("LINK_SIGNING_SECRET"), { purpose: "resume", threadId }, { now: new Date() });
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${HOSTING}/t/${token}`);
    await page.getByRole("log", { name: "Messages" }).getByText("Yes, behind the shop.").waitFor();
    await assertAccessible("chat page (/t/)", page);

    const refused = await (await browser.newContext()).newPage();
    await refused.goto(`${HOSTING}/t/resume.web_nobody.zz.zz.zz`);
    await refused.getByRole("heading", { name: "This link is not valid" }).waitFor();
    await assertAccessible("chat page, refused link", refused);

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    await phone.goto(
      `${HOSTING}/t/${signLink(localSecret("LINK_SIGNING_SECRET"), { purpose: "resume", threadId }, { now: new Date() })}`,
    );
    await phone.getByRole("log", { name: "Messages" }).getByText("Yes, behind the shop.").waitFor();
    await assertAccessible("chat page on a 390 px phone", phone);
    const expired = signLink(
      localSecret("LINK_SIGNING_SECRET"),
      { purpose: "resume", threadId },
      { now: new Date(Date.now() - 40 * 86_400_000) },
    );
    await phone.goto(`${HOSTING}/t/${expired}`);
    await phone.getByRole("button", { name: "Email me a fresh link" }).waitFor();
    await assertAccessible("chat page, expired link with the fresh-link offer", phone);

    const push = await (await browser.newContext()).newPage();
    await push.goto(`${HOSTING}/push/`);
    await push.getByText("Open this window from the chat's “Notify me” button.").waitFor();
    await assertAccessible("notification window", push);
  });
});

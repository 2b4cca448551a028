// Insights end to end (issue 19): visitors, an agent's reply, a continuity email, a follow-up, a
// recovered lead and a window that closed, driven through the stack on the emulators; then the
// console's Insights view must show those numbers, draw its charts, and download a CSV that says
// what the screen says. The dev clock moves the whole story to days of its own, years ahead, so
// nothing the other suites do today lands on them.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import {
  adminDb,
  anonymousVisitor,
  consoleUser,
  FUNCTIONS,
  uniqueId,
  widgetSend,
} from "../../functions/test/support/emulators";
import { agentReplies, giveEmail, mailTo } from "../../functions/test/support/reach";
import { waitUntil } from "../../functions/test/support/wait";
import { accessibilityViolations } from "./a11y";
import { ARTIFACTS, launch } from "./browser";
import { signIn } from "./console-support";

const DAY_MS = 86_400_000;

async function dev(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${FUNCTIONS}/devFollowUps/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text) as Record<string, unknown>;
}

const thread = async (id: string) => (await adminDb().doc(`threads/${id}`).get()).data()!;

/** The figure's total as the screen shows it. */
const shown = (page: Page, key: string) => page.locator(`#insights-body [data-figure="${key}"]`).textContent();

describe("Insights in Chromium (issue 19)", function () {
  this.timeout(300_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await dev("clock", { reset: true });
    await browser?.close();
  });

  it("shows what visitors, replies, a continuity email, a follow-up and a recovered lead did; the chart renders; the CSV matches", async () => {
    const offsetMs = (2000 + Math.floor(Math.random() * 2000)) * DAY_MS;
    await dev("clock", { offsetMs });

    // Henry writes, leaves an email, and the agent's reply reaches him by email after he left.
    const henry = await anonymousVisitor();
    const a = await widgetSend(henry, "Can you bake a cake for Saturday?");
    assert.equal(a.status, 201, JSON.stringify(a.body));
    const threadA = a.body.threadId!;
    const email = `${uniqueId("insights")}@example.com`;
    await giveEmail(threadA, email);
    await agentReplies(threadA, "Yes! Which flavour?");
    await waitUntil("the continuity email", async () => (await mailTo(email)).length > 0);
    await waitUntil("the continuity recorded on the thread", async () => (await thread(threadA)).lastContinuityAt);

    // Mai writes and never hears back from an agent: the follow-up goes out, and she comes back.
    const mai = await anonymousVisitor();
    const b = await widgetSend(mai, "Do you deliver to District 3?");
    assert.equal(b.status, 201, JSON.stringify(b.body));
    const threadB = b.body.threadId!;
    await waitUntil("Mai's follow-up planned", async () => (await thread(threadB)).followUp?.state === "planned");
    await dev("run-due", { threadId: threadB });
    await waitUntil("the follow-up sent", async () => (await thread(threadB)).followUp?.state === "sent");
    assert.equal((await widgetSend(mai, "Yes please, still interested!")).status, 201);
    await waitUntil("the recovered lead", async () => (await thread(threadB)).recovered?.count === 1);

    // Henry never wrote again: an hour after his last window closed, the hourly sweep counts a lead lost.
    const closes = Math.max(
      ...Object.values((await thread(threadA)).windows as Record<string, { toMillis(): number }>).map((d) =>
        d.toMillis(),
      ),
    );
    await dev("clock", { offsetMs: closes + 60 * 60_000 - Date.now() });
    await dev("sweep", {});

    const agent = await consoleUser("agent");
    const page = await signIn(browser, agent.email, "test-password", "#/insights", undefined, { waitForInbox: false });
    await page.locator('#insights-body[data-loaded="30"]').waitFor({ timeout: 60_000 });
    await page.getByLabel("Range").selectOption("90");
    await page.locator('#insights-body[data-loaded="90"]').waitFor({ timeout: 60_000 });

    assert.equal(await shown(page, "startedWeb"), "2");
    assert.equal(await shown(page, "startedBm"), "0");
    assert.equal(await shown(page, "reachedEmail"), "1");
    assert.equal(await shown(page, "reachedPush"), "0");
    assert.equal(await shown(page, "reachedBm"), "0");
    assert.equal(await shown(page, "followUpsSent"), "1");
    assert.equal(await shown(page, "recovered"), "1");
    assert.equal(await shown(page, "recoveryRate"), "50%", "1 recovered per follow-up or continuity message sent (2)");
    assert.equal(await shown(page, "windowsClosed"), "1");
    const medians = [await shown(page, "medianOpenMin"), await shown(page, "medianClosedMin")];
    assert.equal(medians.filter((m) => m !== "—").length, 1, `one first response (Henry's): ${medians}`);
    assert.match(
      medians.find((m) => m !== "—")!,
      /^\d+(\.\d+)? min$/,
    );

    assert.ok((await page.locator("#insights-body .insights-chart canvas").count()) >= 5, "a chart per figure");
    const box = await page.locator("#insights-body .insights-chart canvas").first().boundingBox();
    assert.ok(box && box.width > 100 && box.height > 50, `the chart has a size: ${JSON.stringify(box)}`);

    // The CSV: a header, one row per day, and the same numbers as the screen's table and totals.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8")
      .trimEnd()
      .split("\r\n");
    const header = csv[0]!.split(",");
    assert.equal(header[0], "day");
    assert.equal(csv.length, 91);
    const rows = csv.slice(1).map((line) => Object.fromEntries(line.split(",").map((v, i) => [header[i]!, v])));
    const total = (col: string) => rows.reduce((n, r) => n + Number(r[col] || 0), 0);
    assert.equal(total("conversations_web"), 2);
    assert.equal(total("reached_after_left_email"), 1);
    assert.equal(total("follow_ups_sent"), 1);
    assert.equal(total("leads_recovered"), 1);
    assert.equal(total("windows_closed_no_reply"), 1);
    await page.locator("#insights-body summary").click();
    const table = await page
      .locator("#insights-table tbody tr")
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? "")));
    assert.equal(table.length, rows.length);
    const columns = ["day", "conversations_web", "conversations_business_messages"];
    const tail = [
      "reached_after_left_push",
      "reached_after_left_email",
      "reached_after_left_business_messages",
      "follow_ups_sent",
      "leads_recovered",
      "windows_closed_no_reply",
    ];
    rows.forEach((r, i) => {
      const cells = table[i]!;
      assert.deepEqual(
        [cells[0], cells[1], cells[2]],
        columns.map((c) => r[c]),
        `day ${r.day}`,
      );
      assert.deepEqual(
        cells.slice(5),
        tail.map((c) => r[c]),
        `day ${r.day}`,
      );
    });

    assert.deepEqual(await accessibilityViolations(page), []);
    await page.screenshot({ path: `${ARTIFACTS}insights.png`, fullPage: true });

    // Navigated to again on a phone, scrolled to the bottom before: the heading is in view below the
    // header (which wraps to two lines there), not under it, and has the focus.
    await page.setViewportSize({ width: 375, height: 667 });
    await page.locator("#insights-pane").evaluate((pane) => pane.scrollTo(0, pane.scrollHeight));
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.evaluate(() => (location.hash = "#/inbox"));
    await page.locator("#insights-pane").waitFor({ state: "hidden" });
    await page.evaluate(() => (location.hash = "#/insights"));
    await page.locator('#insights-body[data-loaded="90"]').waitFor({ timeout: 60_000 });
    const heading = await page.evaluate(() => {
      const title = document.getElementById("insights-title")!;
      const r = title.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
      return {
        top: r.top,
        headerBottom: document.querySelector("header")!.getBoundingClientRect().bottom,
        visible: hit === title || title.contains(hit),
        focused: document.activeElement === title,
      };
    });
    assert.ok(heading.top >= heading.headerBottom && heading.visible, JSON.stringify(heading));
    assert.ok(heading.focused, "the heading has the focus");
    assert.deepEqual(await accessibilityViolations(page), []);
  });
});

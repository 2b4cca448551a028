// The admin's data controls in the console (docs/privacy.md): export and erase a thread, the
// retention period, and each agent's own "alert me when away" choice, driven in Chromium and checked
// where the callables write them.
import { strict as assert } from "node:assert";
import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { adminAuth, adminDb, anonymousVisitor, uniqueId, widgetSend } from "../../functions/test/support/emulators";
import { waitUntil } from "../../functions/test/support/wait";
import { launch } from "./browser";
import { signIn } from "./console-support";

const asSeedAdmin = (browser: Browser, hash = "") => signIn(browser, "admin@example.com", "admin-password", hash);
const focusedText = "document.activeElement && document.activeElement.textContent";

describe("admin data controls in the console (Chromium)", function () {
  this.timeout(240_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  it("Export JSON downloads the thread; Erase asks first, Cancel keeps it, Erase removes it for good", async () => {
    const text = `Please forget me ${uniqueId("erase")}`;
    const sent = await widgetSend(await anonymousVisitor(), text);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const threadId = sent.body.threadId!;
    const page = await asSeedAdmin(browser, `#/t/${threadId}`);
    const data = page.getByRole("region", { name: "Data (admins)" });

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      data.getByRole("button", { name: "Export JSON" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `afterchat-${threadId}.json`);
    const exported = JSON.parse(await readFile((await download.path())!, "utf8")) as {
      threadId: string;
      messages: Array<{ text: string }>;
    };
    assert.equal(exported.threadId, threadId);
    assert.deepEqual(
      exported.messages.map((m) => m.text),
      [text],
    );
    await data.getByText("Exported 1 message and 0 notes.").waitFor();

    await data.getByRole("button", { name: "Erase conversation…" }).click();
    assert.equal(await page.evaluate(focusedText), "Cancel", "the safe choice takes the focus");
    await data.getByRole("button", { name: "Cancel" }).click();
    assert.equal(await data.getByRole("button", { name: "Erase", exact: true }).isVisible(), false);
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).exists, true, "Cancel keeps the thread");

    await data.getByRole("button", { name: "Erase conversation…" }).click();
    await data.getByRole("button", { name: "Erase", exact: true }).click();
    await page
      .getByRole("status")
      .getByText(/^Conversation erased \(\d+ documents\)\.$/)
      .waitFor();
    assert.equal((await adminDb().doc(`threads/${threadId}`).get()).exists, false, "the thread is gone");
    const messages = await adminDb().collection(`threads/${threadId}/messages`).get();
    assert.equal(messages.size, 0, "and its messages");
  });

  it("the retention period is saved from settings (empty keeps conversations); the alerts box saves the agent's own choice", async () => {
    const settings = adminDb().doc("settings/business");
    const before = (await settings.get()).get("retentionDays") as number | null | undefined;
    const admin = await adminAuth().getUserByEmail("admin@example.com");
    const agent = adminDb().doc(`agents/${admin.uid}`);
    const page = await asSeedAdmin(browser, "#/settings");
    const retention = page.getByLabel("Erase conversations inactive for (days)");
    const save = async (value: string) => {
      await retention.fill(value);
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText("Settings saved.").waitFor();
    };
    try {
      assert.match((await retention.getAttribute("aria-describedby")) ?? "", /retention-help/);
      await save("400");
      assert.equal((await settings.get()).get("retentionDays"), 400);
      await save("");
      assert.equal((await settings.get()).get("retentionDays"), null, "empty: keep conversations");

      const alerts = page.getByRole("checkbox", { name: "Alert me of new messages when I'm away" });
      assert.equal(await alerts.isChecked(), (await agent.get()).get("emailWhenAway") !== false);
      await alerts.setChecked(false);
      await waitUntil("emailWhenAway off", async () =>
        (await agent.get()).get("emailWhenAway") === false ? true : undefined,
      );
      await alerts.setChecked(true);
      await waitUntil("emailWhenAway on", async () =>
        (await agent.get()).get("emailWhenAway") === true ? true : undefined,
      );
    } finally {
      await settings.update({ retentionDays: before ?? null });
      await agent.update({ emailWhenAway: true });
    }
  });
});

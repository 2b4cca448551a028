import { strict as assert } from "node:assert";
import type { Browser } from "playwright-core";
import { bmThreadIdFor } from "../../functions/src/domain/ids";
import { adminDb, callable, consoleUser, uniqueId } from "../../functions/test/support/emulators";
import { waitUntil } from "../../functions/test/support/wait";
import { launch } from "./browser";
import { replyWithTartCard, TART_IMAGE, TART_TITLE } from "./card-fixture";

const PHONE = "http://127.0.0.1:5055/";

describe("Business Messages simulator's phone page in Chromium", function () {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  it("a message typed on the phone becomes a bm thread with the sender's name; an agent's reply shows up on the phone", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(PHONE);
    const name = `Phone user ${uniqueId("")}`;
    await page.getByRole("textbox", { name: "Your name" }).fill(name);
    await page.getByRole("button", { name: "New conversation" }).click();
    await page.getByRole("textbox", { name: "Message" }).fill("Can I pick up at 6?");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    const log = page.getByRole("log", { name: "Conversation messages" });
    // The phone shows it once the webhook answered: a round trip through Hosting and the functions emulator,
    // which after the integration suites can sit behind their trigger backlog (a CI run took over 30 s).
    await log.getByText("Can I pick up at 6?").waitFor({ timeout: 90_000 });

    const conversationId = await page.getByRole("combobox", { name: "Conversation" }).inputValue();
    const threadId = bmThreadIdFor(conversationId);
    const thread = await waitUntil("the phone's message stored as a thread", async () =>
      (await adminDb().doc(`threads/${threadId}`).get()).data(),
    );
    assert.equal(thread?.origin, "bm");
    assert.equal(thread?.visitor.displayName, name);
    assert.equal(thread?.lastMessage.text, "Can I pick up at 6?");

    const agent = await consoleUser("agent");
    const reply = await callable(
      "agentReply",
      { threadId, text: "Yes, see you at 6 <b>sharp</b>", clientMessageId: uniqueId("r") },
      agent.idToken,
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.error));
    // Rendered as text, never HTML.
    await log.getByText("Yes, see you at 6 <b>sharp</b>").waitFor({ timeout: 45_000 });
    await log.getByText("Test agent").waitFor();
  });

  it("an agent's card shows on the phone as a named group with its image link; tapping its chip answers as a suggestionResponse", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(PHONE);
    await page.getByRole("textbox", { name: "Your name" }).fill(`Card user ${uniqueId("")}`);
    await page.getByRole("button", { name: "New conversation" }).click();
    await page.getByRole("textbox", { name: "Message" }).fill("Any cakes left?");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    const log = page.getByRole("log", { name: "Conversation messages" });
    await log.getByText("Any cakes left?").waitFor({ timeout: 90_000 });
    const threadId = bmThreadIdFor(await page.getByRole("combobox", { name: "Conversation" }).inputValue());
    await waitUntil(
      "the phone's thread",
      async () => (await adminDb().doc(`threads/${threadId}`).get()).exists || undefined,
    );

    await replyWithTartCard(threadId, "One left:", [{ reply: { text: "Keep it for me", postbackData: "hold-tart" } }]);
    const card = log.getByRole("group", { name: TART_TITLE });
    await card.waitFor({ timeout: 45_000 });
    await card.getByText("Serves 6").waitFor();
    assert.equal(await card.getByRole("link", { name: "🖼 A lemon tart" }).getAttribute("href"), TART_IMAGE);
    assert.equal(await page.locator("img").count(), 0, "the title stayed text");
    await card.getByRole("button", { name: "Keep it for me" }).click();
    const answer = await waitUntil("the chip's answer stored", async () => {
      const snap = await adminDb().collection(`threads/${threadId}/messages`).where("from", "==", "visitor").get();
      return snap.docs.map((d) => d.data()).find((m) => m.text === "Keep it for me");
    });
    assert.equal(answer.postbackData, "hold-tart");
    assert.equal(answer.suggestionType, "REPLY");
  });
});

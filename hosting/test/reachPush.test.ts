import { strict as assert } from "node:assert";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { adminDb, anonymousVisitor, HOSTING, widgetSend } from "../../functions/test/support/emulators";
import {
  agentReplies,
  browserSubscription,
  continuityDecision,
  decryptPush,
  pushesTo,
} from "../../functions/test/support/reach";
import { ARTIFACTS, launch } from "./browser";
import { waitUntil } from "../../functions/test/support/wait";

/** The real opener helper the widget imports, bundled as a global for the test page. */
async function openerScript(): Promise<string> {
  const out = await build({
    entryPoints: [new URL("../src/push/opener.ts", import.meta.url).pathname],
    bundle: true,
    format: "iife",
    globalName: "AfterchatPush",
    write: false,
    target: "es2020",
  });
  return out.outputFiles[0]!.text;
}

describe("the push window in Chromium", function () {
  this.timeout(180_000); // waits for the continuity push behind the emulator's trigger queue
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  it("Notify me: the window gets the visitor's token from the widget, subscribes, and a reply is pushed", async () => {
    const visitor = await anonymousVisitor();
    const threadId = (await widgetSend(visitor, "Tell me when my order ships")).body.threadId!;
    // Headless Chromium has no route to a vendor push service offline: PushManager.subscribe is the one
    // browser call replaced, returning what a browser would (keys made here, endpoint on the local push service).
    const browserSide = browserSubscription("push");
    const context = await browser.newContext();
    await context.grantPermissions(["notifications"], { origin: HOSTING });
    // A string, not a function: tsx's transform would put helpers into a serialized function.
    await context.addInitScript({
      content: `(() => { const sub = ${JSON.stringify(browserSide.subscription)};
        PushManager.prototype.getSubscription = async () => null;
        PushManager.prototype.subscribe = async () => ({ toJSON: () => sub }); })();`,
    });

    const page = await context.newPage();
    await page.goto(`${HOSTING}/`);
    // Evaluated, not a <script> tag: the page's CSP (script-src 'self') refuses inline scripts.
    await page.evaluate(`${await openerScript()}; window.AfterchatPush = AfterchatPush;`);
    const popupOpened = page.waitForEvent("popup");
    await page.evaluate(
      `void AfterchatPush.openPushWindow(${JSON.stringify(threadId)}, async () => ${JSON.stringify(visitor.idToken)}).then((r) => (window.pushResult = r));`,
    );
    const popup = await popupOpened;
    assert.equal(new URL(popup.url()).pathname, "/push/");
    await popup.getByRole("button", { name: "Turn on notifications" }).click();
    await popup.getByText("Done. We'll notify this browser when we reply.").waitFor({ timeout: 60_000 });
    await popup.screenshot({ path: `${ARTIFACTS}reach-push-window.png` }).catch(() => undefined);
    const result = await waitUntil(
      "the widget to hear back",
      async () => ((await page.evaluate("window.pushResult")) as string | undefined) ?? undefined,
    );
    assert.equal(result, "subscribed");
    const workers = context.serviceWorkers().map((w) => new URL(w.url()).pathname);
    assert.ok(workers.includes("/push-sw.js"), `service worker registered: ${workers.join(", ")}`);

    const stored = await adminDb().collection(`threads/${threadId}/pushSubscriptions`).get();
    assert.deepEqual(
      stored.docs.map((d) => d.get("endpoint")),
      [browserSide.subscription.endpoint],
    );
    const replyId = await agentReplies(threadId, "Shipped today!");
    assert.equal((await continuityDecision(threadId, replyId)).channel, "push");
    const [request] = await waitUntil("the push", async () =>
      (await pushesTo(browserSide.subscription.endpoint)).length
        ? pushesTo(browserSide.subscription.endpoint)
        : undefined,
    );
    const payload = decryptPush(request!.body, browserSide.ecdh, browserSide.auth) as {
      body: string;
      threadId: string;
    };
    assert.deepEqual([payload.body, payload.threadId], ["Shipped today!", threadId]);
    await context.close();
  });

  it("a window opened without a thread, or by a stranger page, asks for nothing", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${HOSTING}/push/`);
    await page.getByText("Open this window from the chat's “Notify me” button.").waitFor();
    assert.equal(await page.getByRole("button", { name: "Turn on notifications" }).isVisible(), false);
    await context.close();
  });
});

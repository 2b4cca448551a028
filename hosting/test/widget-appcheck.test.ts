// App Check in the widget: off by default (no third-party request at all), and when the business turns
// it on, reCAPTCHA Enterprise is loaded and its proof exchanged for an App Check token that every visitor
// call carries. What cannot run here: Google's reCAPTCHA and App Check services (stand-ins answer at their
// real URLs, speaking their JSON) and an API that enforces App Check (verifying a token needs Google), so
// the emulator keeps WIDGET_APP_CHECK off and this test adds the site key to the API's config in flight.
import { strict as assert } from "node:assert";
import type { Page, Request } from "playwright-core";
import { HOSTING, uniqueId } from "../../functions/test/support/emulators";
import { launch } from "./browser";
import { openLauncher } from "./widget-support";

const SITE_KEY = "test-recaptcha-site-key";
const APP_ID = "1:1234567890:web:abcdef";

async function openAndSend(page: Page, text: string): Promise<Request> {
  await page.goto(`${HOSTING}/`);
  const { chat, box } = await openLauncher(page);
  const sent = page.waitForRequest((r) => r.url().endsWith("/api/widget/messages") && r.method() === "POST", {
    timeout: 60_000,
  });
  await box.fill(text);
  await box.press("Enter");
  await chat.getByText(text).waitFor();
  return sent;
}

describe("App Check in the widget", function () {
  this.timeout(120_000);

  it("off (the default): no request leaves the site and no App Check header is sent", async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const elsewhere: string[] = [];
      page.on("request", (r) => {
        const { hostname } = new URL(r.url());
        if (!["127.0.0.1", "localhost"].includes(hostname)) elsewhere.push(r.url());
      });
      const sent = await openAndSend(page, `no app check ${uniqueId("m")}`);
      assert.equal(sent.headers()["x-firebase-appcheck"], undefined);
      assert.deepEqual(elsewhere, []);
    } finally {
      await browser.close();
    }
  });

  it("on: loads reCAPTCHA Enterprise, exchanges its proof, and every call carries the App Check token", async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.route(`${HOSTING}/api/widget/config`, async (route) => {
        const res = await route.fetch();
        await route.fulfill({ response: res, json: { ...(await res.json()), appCheckSiteKey: SITE_KEY } });
      });
      await page.route(`${HOSTING}/__/firebase/init.json`, (route) =>
        route.fulfill({ json: { apiKey: "demo-key", projectId: "demo-afterchat", appId: APP_ID } }),
      );
      const scriptLoads: string[] = [];
      await page.route("https://www.google.com/recaptcha/enterprise.js*", (route) => {
        scriptLoads.push(route.request().url());
        return route.fulfill({
          contentType: "text/javascript",
          body: `window.grecaptcha = { enterprise: { ready(cb) { cb(); },
            execute(key, opts) { return Promise.resolve("proof:" + key + ":" + opts.action); } } };`,
        });
      });
      const exchanges: { url: string; body: unknown }[] = [];
      await page.route("https://content-firebaseappcheck.googleapis.com/**", (route) => {
        exchanges.push({ url: route.request().url(), body: route.request().postDataJSON() });
        return route.fulfill({ json: { token: "app-check-token-1", ttl: "3600s" } });
      });

      const sent = await openAndSend(page, `with app check ${uniqueId("m")}`);
      assert.equal(sent.headers()["x-firebase-appcheck"], "app-check-token-1");
      assert.deepEqual(scriptLoads, [`https://www.google.com/recaptcha/enterprise.js?render=${SITE_KEY}`]);
      assert.equal(exchanges.length, 1, "one token, reused until it nears expiry");
      assert.equal(
        exchanges[0].url,
        `https://content-firebaseappcheck.googleapis.com/v1/projects/demo-afterchat/apps/${APP_ID}:exchangeRecaptchaEnterpriseToken?key=demo-key`,
      );
      assert.deepEqual(exchanges[0].body, { recaptcha_enterprise_token: `proof:${SITE_KEY}:fire_app_check` });
    } finally {
      await browser.close();
    }
  });
});

import type { Browser } from "playwright-core";
import { HOSTING } from "../../functions/test/support/emulators";
import { launch } from "./browser";

describe("walking skeleton in Chromium", function () {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  it("the seed admin signs in to the console with the admin role", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${HOSTING}/console/`);
    await page.getByLabel("Email").fill("admin@example.com");
    await page.getByLabel("Password").fill("admin-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as admin@example.com (role: admin)").waitFor();
  });
});

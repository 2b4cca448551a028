// Shared by the console browser suites.
import type { Browser, Page } from "playwright-core";
import { HOSTING } from "../../functions/test/support/emulators";

/** Opens the console (optionally at a route) in a fresh context and signs in with email and password. */
export async function signIn(
  browser: Browser,
  email: string,
  password: string,
  hash = "",
  initScript?: string,
): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  if (initScript) await page.addInitScript(initScript);
  // Surface the page's own errors in the test output (a failing wait then says why).
  page.on("pageerror", (err) => console.error(`      [page error] ${err.message}`));
  page.on(
    "console",
    (msg) => msg.type() === "error" && console.error(`      [page console] ${msg.text().slice(0, 300)}`),
  );
  await page.goto(`${HOSTING}/console/${hash}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${email}`).waitFor();
  return page;
}

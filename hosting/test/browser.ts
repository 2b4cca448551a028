// Headless Debian Chromium driven by playwright-core (tools/chromium.mjs has the flags).
// Every browser context a test opens is closed when the test ends (hooks.ts): a console left open
// keeps its Firestore listeners polling the emulator and slows every later test.
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { CHROMIUM_LAUNCH, CHROMIUM_PATH } from "../../tools/chromium.mjs";

export const CHROMIUM = CHROMIUM_PATH;
export const ARTIFACTS = new URL("../../test-artifacts/", import.meta.url).pathname;

const open = new Set<BrowserContext>();

function track(context: BrowserContext): BrowserContext {
  open.add(context);
  context.on("close", () => open.delete(context));
  return context;
}

export async function launch(): Promise<Browser> {
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => track(await newContext(options));
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    track(page.context());
    return page;
  };
  return browser;
}

/** Closes every context opened since the last call (each test's pages, and their listeners). */
export async function closeContexts(): Promise<void> {
  await Promise.all([...open].map((c) => c.close().catch(() => undefined)));
  open.clear();
}

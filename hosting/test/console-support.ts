// Shared by the console browser suites.
import type { Browser, Page, Request } from "playwright-core";
import { HOSTING } from "../../functions/test/support/emulators";

/** Headless Chromium shows no notifications: a stand-in with permission granted records them (an init script). */
export const RECORD_NOTIFICATIONS = `
  window.notifications = [];
  window.Notification = class { static permission = "granted"; static requestPermission = async () => "granted";
    constructor(title, options) { window.notifications.push({ title, body: options && options.body, tag: options && options.tag }); } };`;

export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
}

/** The notifications the page has shown so far (recorded by RECORD_NOTIFICATIONS). */
export async function notificationsShown(page: Page): Promise<ShownNotification[]> {
  return (await page.evaluate("window.notifications")) as ShownNotification[];
}

/** Opens the console (optionally at a route) in a fresh context, signs in, and waits for its first inbox snapshot. */
export async function signIn(
  browser: Browser,
  email: string,
  password: string,
  hash = "",
  initScript?: string,
  { waitForInbox = true } = {},
): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  if (initScript) await page.addInitScript(initScript);
  watchPage(page);
  await page.goto(`${HOSTING}/console/${hash}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${email}`).waitFor();
  if (waitForInbox) await consoleReady(page);
  return page;
}

interface ChannelRequest {
  request: Request;
  sentAt: number;
  outcome?: string;
}
const channels = new WeakMap<Page, ChannelRequest[]>();

/**
 * Surfaces the page's own errors and failed responses in the test output (a failing wait then says why),
 * and keeps a timeline of its Firestore channel requests for consoleReady's stall report.
 */
export function watchPage(page: Page): void {
  const timeline: ChannelRequest[] = [];
  channels.set(page, timeline);
  page.on("pageerror", (err) => console.error(`      [page error] ${err.message}`));
  page.on(
    "console",
    (msg) => msg.type() === "error" && console.error(`      [page console] ${msg.text().slice(0, 300)}`),
  );
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.includes("/channel")) timeline.push({ request, sentAt: Date.now() });
  });
  const settle = (request: Request, outcome: string) => {
    const entry = timeline.find((e) => e.request === request);
    if (entry) entry.outcome = `${outcome} after ${Date.now() - entry.sentAt} ms`;
  };
  page.on("requestfinished", (request) =>
    request.response().then((res) => settle(request, String(res?.status() ?? "?"))),
  );
  page.on("requestfailed", (request) => settle(request, `failed (${request.failure()?.errorText})`));
  page.on("response", (res) => {
    if (res.status() >= 400)
      console.error(`      [page response] ${res.status()} ${res.request().method()} ${describeUrl(res.url())}`);
  });
}

// A function, not a string: the console's CSP (script-src 'self') refuses to evaluate strings.
const INBOX_SETTLED = () =>
  Boolean(
    document.querySelector("#no-access:not([hidden])") ||
    (document.querySelector("#thread-list") &&
      document.querySelector("#inbox-pane p.empty")?.textContent !== "Loading…"),
  );
const STALL_MS = 30_000;

/**
 * Waits for the console's first inbox snapshot (or its no-access notice). Against the emulator that first
 * snapshot has, rarely and with the emulator idle, not arrived for minutes while every later page was fine
 * (docs/operations.md, "Known emulator stalls"). So: after 30 s, print the Firestore channel timeline and
 * reload once, as an agent would; a second stall fails the test.
 */
export async function consoleReady(page: Page): Promise<void> {
  const settled = () =>
    page.waitForFunction(INBOX_SETTLED, undefined, { timeout: STALL_MS, polling: 250 }).then(
      () => true,
      () => false,
    );
  if (await settled()) return;
  console.warn(`      !! the console's first inbox snapshot did not arrive in ${STALL_MS / 1000} s; reloading once`);
  for (const { request, sentAt, outcome } of channels.get(page) ?? [])
    console.warn(
      `         ${new Date(sentAt).toISOString().slice(11, 23)} ${request.method()} ${describeUrl(request.url())} → ${outcome ?? "pending"}`,
    );
  await page.reload();
  await page.waitForFunction(INBOX_SETTLED, undefined, { timeout: 90_000, polling: 250 });
}

/** A URL for the log: host, path and the WebChannel parameters that say which request it was (no tokens). */
function describeUrl(raw: string): string {
  const url = new URL(raw);
  const keep = ["VER", "TYPE", "MODE", "RID", "AID", "CI"];
  const params = keep.filter((k) => url.searchParams.has(k)).map((k) => `${k}=${url.searchParams.get(k)}`);
  return `${url.host}${url.pathname}${params.length ? `?${params.join("&")}` : ""}`;
}

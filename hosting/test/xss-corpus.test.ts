// Untrusted text through every surface (issue 8, security): the corpus in xss-corpus.ts is sent as
// visitor text (the real widget in Chromium, the widget API as the widget calls it, a signed Business
// Messages webhook) and as agent replies (the agentReply callable), then every page that shows it
// is checked in Chromium — the console inbox, thread view, title and notifications, the widget, the
// resume page, the Business Messages phone — and so are the continuity email (its HTML loaded in
// Chromium) and the web push payload (decrypted, then pushed to the served service worker in Chromium).
// Inert: no marker fired in any frame, no element or attribute came from the text. Verbatim: each
// message's text content is exactly what was sent.
import { strict as assert } from "node:assert";
import { createHmac, randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { emailText, headerText } from "../../functions/src/channels/email/template";
import { bmThreadIdFor } from "../../functions/src/domain/ids";
import { preview } from "../../functions/src/domain/thread";
import {
  anonymousVisitor,
  callable,
  consoleUser,
  HOSTING,
  uniqueId,
  type SignedIn,
} from "../../functions/test/support/emulators";
import {
  browserSubscription,
  decryptPush,
  giveEmail,
  linkIn,
  mailTo,
  pushesTo,
  subscribePush,
} from "../../functions/test/support/reach";
import { launch } from "./browser";
import { consoleReady, notificationsShown, watchPage } from "./console-support";
import { BM_NAME, corpusMessages, MARKER, PAYLOADS, SCAN, TRAP, WEB_NAME } from "./xss-corpus";
import { waitUntil } from "../../functions/test/support/wait";

/** Text of each element matching a selector, and any element nested inside one (besides allowed links). */
const textsOf = (selector: string, nodes: "all" | "textNodes" = "all") => `(() => {
  const out = { texts: [], children: [] };
  for (const el of document.querySelectorAll(${JSON.stringify(selector)})) {
    out.texts.push(${nodes === "textNodes" ? `Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.data).join("")` : "el.textContent"});
    for (const child of el.querySelectorAll("*")) {
      const safeLink = child.tagName === "A" && /^https?:\\/\\//.test(child.getAttribute("href") || "") && child.children.length === 0;
      if (!safeLink && !(${nodes === "textNodes"} && child.parentElement === el && child.matches("span.who, span.meta, div.chips, div.chips *"))) out.children.push(child.outerHTML.slice(0, 80));
    }
  }
  return out;
})()`;

/** Whether the first two characters of an element's text are laid out left to right (a bidi override would flip them). */
const readsLeftToRight = (selector: string) => `(() => {
  const text = document.querySelector(${JSON.stringify(selector)})?.firstChild;
  if (!text || text.nodeType !== 3 || text.data.length < 2) return "no text at " + ${JSON.stringify(selector)};
  const range = document.createRange();
  range.setStart(text, 0); range.setEnd(text, 1);
  const first = range.getBoundingClientRect().x;
  range.setStart(text, 1); range.setEnd(text, 2);
  return range.getBoundingClientRect().x > first;
})()`;

interface Shown {
  texts: string[];
  children: string[];
}

const corpus = corpusMessages();
/** Every thread gets the same four messages, in this order (agents reply with them too). */
const MESSAGES = [corpus.typed[0]!, corpus.typed[1]!, corpus.raw, corpus.last];

function assertVerbatim(surface: string, shown: Shown, expected: string[], normalize = (t: string) => t): void {
  assert.deepEqual(shown.children, [], `${surface}: markup came from the text`);
  for (const text of expected) {
    if (shown.texts.includes(normalize(text))) continue;
    const missing = PAYLOADS.filter(
      (p) => normalize(text).includes(normalize(p.text)) && !shown.texts.some((s) => s.includes(normalize(p.text))),
    ).map((p) => p.name);
    assert.fail(
      `${surface}: not shown verbatim: ${JSON.stringify(text.slice(0, 80))}… (payloads missing: ${missing.join(", ") || "none whole; the text differs"})\nshown: ${JSON.stringify(shown.texts.map((t) => t.slice(0, 80)))}`,
    );
  }
}

async function scan(surface: string, frame: Page | Frame): Promise<void> {
  assert.deepEqual(await frame.evaluate(SCAN), [], `${surface}: elements or attributes from the corpus`);
}

async function shown(frame: Page | Frame, selector: string, nodes: "all" | "textNodes" = "all"): Promise<Shown> {
  return (await frame.evaluate(textsOf(selector, nodes))) as Shown;
}

/** Polls a page until `count` matching elements exist (realtime listeners and polling fill them in). */
async function untilShown(frame: Page | Frame, selector: string, count: number, what: string): Promise<void> {
  await waitUntil(what, async () => ((await frame.locator(selector).count()) >= count ? true : undefined));
}

// Business Messages: signed as Google signs (functions/test/support/bm.ts, which this workspace's
// DOM typings cannot compile), with the local client token.
const WEBHOOK = `${HOSTING}/api/bm/webhook`;
const SIMULATOR = "http://127.0.0.1:5055";

async function postWebhook(body: unknown): Promise<{ status: number; text: string }> {
  const raw = JSON.stringify(body);
  const signature = createHmac("sha512", "local-client-token").update(raw).digest("base64");
  const res = await fetch(WEBHOOK, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-signature": signature },
    body: raw,
  });
  return { status: res.status, text: await res.text() };
}

async function sim<T>(path: string, body?: unknown): Promise<T> {
  const init =
    body === undefined
      ? {}
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  return (await (await fetch(`${SIMULATOR}${path}`, init)).json()) as T;
}

async function widgetPost(visitor: SignedIn, body: Record<string, unknown>) {
  const res = await fetch(`${HOSTING}/api/widget/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${visitor.idToken}` },
    body: JSON.stringify({ clientMessageId: uniqueId("c"), ...body }),
  });
  return { status: res.status, body: (await res.json()) as { threadId?: string; error?: string } };
}

describe("untrusted text through every surface (XSS corpus) in Chromium", function () {
  this.timeout(240_000); // in the full suite the emulator's trigger backlog can slow the first loads
  let browser: Browser;
  const hits: string[] = [];
  const pageErrors: string[] = [];

  async function trapped(record = hits): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.exposeBinding(
      "__xssHit",
      ({ frame }, value: string) => void record.push(`${value} (in ${frame.url()})`),
    );
    await context.addInitScript({ content: TRAP });
    context.on("page", (page) => page.on("pageerror", (err) => pageErrors.push(err.message)));
    return context;
  }

  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  it("the detectors work: the corpus injected as HTML fires the marker and the scan sees it; set as text it does neither", async () => {
    const fired: string[] = [];
    const context = await trapped(fired);
    const page = await context.newPage();
    const html = PAYLOADS.map((p) => p.text).join("<br>");
    await page.setContent(`<main id="as-text"></main><main id="as-html"></main>`);
    await page.evaluate(`document.getElementById("as-text").textContent = ${JSON.stringify(html)}`);
    assert.deepEqual(await page.evaluate(SCAN), [], "text nodes are inert");
    await page.evaluate(`document.getElementById("as-html").innerHTML = ${JSON.stringify(html)}`);
    await waitUntil("the injected payloads to fire", async () => (fired.length >= 5 ? true : undefined));
    const found = (await page.evaluate(SCAN)) as string[];
    for (const expected of ["img[onerror", "svg[onload", "iframe[srcdoc", "a[href=javascript:", "details[ontoggle"]) {
      assert.ok(
        found.some((f) => f.startsWith(expected)),
        `the scan sees ${expected}: ${JSON.stringify(found)}`,
      );
    }
    assert.ok(
      ["img", "breakout", "iframe", "srcdoc", "details"].every((name) => fired.some((f) => f.startsWith(name))),
      `markers fired: ${JSON.stringify(fired)}`,
    );
    await context.close();
  });

  it("visitor and agent text stays inert and verbatim in the console, widget, resume page, phone, email and push", async () => {
    const started = Date.now();
    const agent = await consoleUser("agent");
    const reply = async (threadId: string, text: string) => {
      const r = await callable("agentReply", { threadId, text, clientMessageId: uniqueId("x") }, agent.idToken);
      assert.equal(r.status, 200, `agentReply: ${JSON.stringify(r.error)}`);
    };

    // The console first: notifications only fire for messages after its first snapshot.
    const consoleContext = await trapped();
    const consolePage = await consoleContext.newPage();
    watchPage(consolePage);
    await consolePage.goto(`${HOSTING}/console/`);
    await consolePage.getByLabel("Email").fill("admin@example.com");
    await consolePage.getByLabel("Password").fill("admin-password");
    await consolePage.getByRole("button", { name: "Sign in" }).click();
    await consoleReady(consolePage);

    // W: the real widget on the demo page (typed), plus the API as the widget calls it (control characters).
    const widgetContext = await trapped();
    const visitorWeb = async () => {
      const page = await widgetContext.newPage();
      await page.goto(`${HOSTING}/`);
      await page.getByRole("button", { name: "Open chat" }).click();
      const chat = page.frameLocator('iframe[title="Chat"]');
      const box = chat.getByRole("textbox", { name: "Message" });
      const frame = () => page.frames().find((f) => f.url().includes("/widget/"))!;
      // The widget's CSP forbids eval, so no waitForFunction: poll for the stored (not pending) rows.
      const typeAndSend = async (text: string, stored: number) => {
        await box.fill(text);
        await box.press("Enter");
        const rows = (selector: string) => frame().locator(selector).count();
        await waitUntil(`message ${stored} stored`, async () =>
          (await rows("#log li.visitor:not(.pending):not(.failed)")) >= stored &&
          (await rows("#log li.pending, #log li.failed")) === 0
            ? true
            : undefined,
        );
      };
      await typeAndSend(MESSAGES[0]!, 1);
      await typeAndSend(MESSAGES[1]!, 2);
      const threadId = (await frame().evaluate("localStorage.getItem('afterchat.threadId')")) as string;
      const session = JSON.parse((await frame().evaluate("localStorage.getItem('afterchat.session')")) as string) as {
        idToken: string;
      };
      const raw = await widgetPost({ uid: "", idToken: session.idToken }, { text: MESSAGES[2], threadId });
      assert.equal(raw.status, 201, `control characters are accepted: ${JSON.stringify(raw.body)}`);
      await typeAndSend(MESSAGES[3]!, 3);
      await page.close(); // the visitor leaves: agent replies then go out by push
      return { threadId, visitor: { uid: "", idToken: session.idToken } };
    };
    // P: a visitor with a hostile name (widget API), reachable by email.
    const visitorNamed = async () => {
      const visitor = await anonymousVisitor();
      const sent = await widgetPost(visitor, { text: MESSAGES[3], displayName: WEB_NAME });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      const email = `${uniqueId("xss")}@example.com`;
      await giveEmail(sent.body.threadId!, email);
      return { threadId: sent.body.threadId!, email };
    };
    // B: a Business Messages conversation with a hostile display name, through the signed webhook.
    const visitorBm = async () => {
      const conversationId = `conv-xss-${randomUUID()}`;
      await sim("/sim/conversations", { conversationId, displayName: BM_NAME }); // so replies reach its phone
      for (const [i, text] of MESSAGES.entries()) {
        const at = new Date(Date.now() + i).toISOString();
        const messageId = randomUUID();
        const res = await postWebhook({
          requestId: randomUUID(),
          conversationId,
          agent: "brands/1234/agents/5678",
          sendTime: at,
          context: { entryPoint: "PLACESHEET", userInfo: { displayName: BM_NAME, userDeviceLocale: "en" } },
          message: { messageId, name: `conversations/${conversationId}/messages/${messageId}`, text, createTime: at },
        });
        assert.equal(res.status, 200, `webhook: ${res.text}`);
      }
      return { threadId: bmThreadIdFor(conversationId), conversationId };
    };
    const [web, named, bm] = await Promise.all([visitorWeb(), visitorNamed(), visitorBm()]);
    await checkInbox(consolePage, "Open", { web: web.threadId, named: named.threadId, bm: bm.threadId }, "");
    const sentAt = Date.now();

    // Agent replies: the same four messages to each thread (W gets them by push, P by email, B on the phone).
    const browserSide = browserSubscription("push");
    assert.equal((await subscribePush(web.visitor, web.threadId, browserSide.subscription)).status, 201);
    await Promise.all(
      [web, named, bm].map(async ({ threadId }) => {
        for (const text of MESSAGES) await reply(threadId, text);
      }),
    );
    const repliedAt = Date.now();

    await Promise.all([
      checkConsole(consolePage, { web: web.threadId, named: named.threadId, bm: bm.threadId }),
      checkPushThenWidget(widgetContext, browserSide, web.threadId),
      checkEmailThenResume(named.email),
      checkPhone(bm.conversationId),
    ]);

    assert.deepEqual(hits, [], "a payload ran");
    assert.deepEqual(
      pageErrors.filter((e) => e.includes(MARKER)),
      [],
      "a payload ran and threw",
    );
    console.log(
      `      corpus: ${PAYLOADS.length} payloads in ${MESSAGES.length} messages × 3 threads; sent ${sentAt - started} ms, replied ${repliedAt - sentAt} ms, checked ${Date.now() - repliedAt} ms`,
    );
  });

  /** Inbox rows under a status filter: the names and the last message's preview, as text. */
  async function checkInbox(
    page: Page,
    status: "Open" | "Pending",
    threads: { web: string; named: string; bm: string },
    prefix: string,
  ): Promise<void> {
    await page
      .getByRole("group", { name: "Status" })
      .getByRole("button", { name: new RegExp(`^${status}`) })
      .click();
    for (const [id, name] of [
      [threads.named, WEB_NAME],
      [threads.bm, BM_NAME],
      [threads.web, "Website visitor"],
    ] as const) {
      const row = page.locator(`#thread-list a.row[data-thread-id="${id}"]`);
      await waitUntil(`the ${status} inbox row of ${id} with the last message`, async () =>
        (await row.count()) &&
        (await row.locator(".preview span").first().textContent()) === `${prefix}${preview(corpus.last)}`
          ? true
          : undefined,
      );
      assert.equal(await row.locator(".name").textContent(), name, "the inbox shows the name verbatim");
      // The names end inside a right-to-left override: the channel badge after them must not be reversed
      // (today the row's flex layout isolates each part; this keeps any later layout honest).
      assert.equal(
        await page.evaluate(readsLeftToRight(`#thread-list a.row[data-thread-id="${id}"] .badge`)),
        true,
        `the badge after ${id}'s name reads left to right`,
      );
    }
    await scan(`console inbox (${status})`, page);
    assert.match(await page.title(), /^(\(\d+\+?\) )?Afterchat console$/, "no visitor text in the page title");
  }

  async function checkConsole(page: Page, threads: { web: string; named: string; bm: string }): Promise<void> {
    await checkInbox(page, "Pending", threads, "Agent: "); // an agent's reply moves a thread to pending

    // Notifications: text to the Notification API (title = visitor name, body = preview).
    const notes = await notificationsShown(page);
    const previews = MESSAGES.map(preview);
    for (const [id, name] of [
      [threads.named, WEB_NAME],
      [threads.bm, BM_NAME],
    ] as const) {
      const mine = notes.filter((n) => n.tag === id);
      assert.ok(mine.length > 0, `a notification for ${id}: ${JSON.stringify(notes.slice(-5))}`);
      for (const n of mine) {
        assert.equal(n.title, name, "the notification title is the name verbatim");
        assert.ok(
          typeof n.body === "string" && previews.includes(n.body),
          `the notification body is a preview, verbatim: ${JSON.stringify(n.body)}`,
        );
      }
    }

    // Thread views: every message verbatim, the visitor's name in the heading.
    for (const [id, name] of [
      [threads.web, "Website visitor"],
      [threads.bm, BM_NAME],
      [threads.named, WEB_NAME],
    ] as const) {
      await page.evaluate(`location.hash = ${JSON.stringify(`#/t/${id}`)}`);
      const count = id === threads.named ? 1 + MESSAGES.length : 2 * MESSAGES.length;
      await untilShown(page, "#messages li .text", count, `the console thread ${id}`);
      await waitUntil(`the heading of ${id}`, async () =>
        (await page.locator("#thread-title").textContent()) === name ? true : undefined,
      );
      assert.equal(
        await page.evaluate(readsLeftToRight(".thread-head .badge")),
        true,
        "the badge after the heading reads left to right",
      );
      const texts = await shown(page, "#messages li .text");
      assertVerbatim(`console thread ${id}`, texts, id === threads.named ? MESSAGES : [...MESSAGES, ...MESSAGES]);
      await scan(`console thread ${id}`, page);
    }
    assert.match(await page.title(), /^(\(\d+\+?\) )?Afterchat console$/);
  }

  async function checkPushThenWidget(
    context: BrowserContext,
    browserSide: ReturnType<typeof browserSubscription>,
    threadId: string,
  ): Promise<void> {
    // Every push is JSON whose text fields are plain strings; the last reply's preview arrives.
    const lastBody = preview(corpus.last);
    const payloads = await waitUntil("the push carrying the last reply", async () => {
      const decoded = (await pushesTo(browserSide.subscription.endpoint)).map(
        (p) => decryptPush(p.body, browserSide.ecdh, browserSide.auth) as Record<string, unknown>,
      );
      return decoded.some((p) => p.body === lastBody) ? decoded : undefined;
    });
    for (const p of payloads) {
      assert.deepEqual(Object.keys(p).sort(), ["body", "threadId", "title", "url"]);
      for (const v of Object.values(p)) assert.equal(typeof v, "string");
      assert.ok(
        MESSAGES.map(preview).includes(p.body as string),
        `a push body is a reply's preview, verbatim: ${JSON.stringify(p.body)}`,
      );
      assert.equal(p.threadId, threadId);
    }
    // The served service worker shows the body as the notification's text, unchanged.
    const last = payloads.find((p) => p.body === lastBody)!;
    assert.deepEqual(await showPushInChromium(browser, last), [
      { title: last.title, body: lastBody, data: { url: last.url } },
    ]);

    // The visitor comes back: the widget shows all eight messages as text.
    const page = await context.newPage();
    await page.goto(`${HOSTING}/`);
    await page.getByRole("button", { name: "Open chat" }).click();
    await page.frameLocator('iframe[title="Chat"]').getByRole("textbox", { name: "Message" }).waitFor();
    const frame = page.frames().find((f) => f.url().includes("/widget/"))!;
    await untilShown(frame, "#log li.agent > p", MESSAGES.length, "the agent replies in the widget");
    const texts = await shown(frame, "#log li > p");
    assertVerbatim("widget", { texts: texts.texts.slice(1), children: texts.children }, [...MESSAGES, ...MESSAGES]); // li 0: the greeting
    await scan("widget", frame);
    await scan("demo page hosting the widget", page);
  }

  async function checkEmailThenResume(address: string): Promise<void> {
    const mails = await waitUntil("continuity emails carrying every reply", async () => {
      const caught = await mailTo(address);
      const html = caught.map((m) => m.html).join("");
      return caught.length && (await htmlHoldsAll(html)) ? caught : undefined;
    });
    const context = await trapped();
    const page = await context.newPage();
    const texts: string[] = [];
    for (const mail of mails) {
      assert.doesNotMatch(mail.subject, /<|__xss/, "the subject carries no visitor or reply text");
      await page.setContent(mail.html);
      await scan(`email ${mail.id}`, page);
      const s = await shown(page, 'div[style*="pre-wrap"]');
      assert.deepEqual(s.children, [], "no markup from a reply in the email");
      texts.push(...s.texts);
      assert.ok(
        (await page.locator("body").textContent())!.includes(`Hi ${headerText(WEB_NAME, 40)},`),
        "the greeting shows the visitor's name as text",
      );
      assert.ok(mail.text.includes(`Hi ${headerText(WEB_NAME, 40)},`));
    }
    // Email drops control characters but tab and line feed (emailText), in both parts.
    assertVerbatim("email (HTML part, as parsed)", { texts, children: [] }, MESSAGES, emailText);
    const plain = mails.map((m) => m.text.replace(/\r\n?/g, "\n")).join("\n");
    assert.equal(
      emailText(plain),
      plain.replace(/\r\n?/g, "\n"),
      "no control character reaches a terminal mail reader",
    );
    for (const text of MESSAGES)
      assert.ok(
        plain.includes(emailText(text)),
        `the plain-text part holds the reply: ${JSON.stringify(text.slice(0, 60))}`,
      );

    // The resume link reopens the thread on a fresh device: every message as text.
    const link = linkIn(mails[0]!.text, /http:\/\/127\.0\.0\.1:5000\/t\/[A-Za-z0-9._-]+/);
    const resume = await (await trapped()).newPage();
    await resume.goto(link);
    // The chat page is the widget app in page mode: li 0 is the greeting, then the visitor's message and the replies.
    await untilShown(resume, "#log li > p", 2 + MESSAGES.length, "the resumed conversation");
    const onPage = await shown(resume, "#log li > p");
    assertVerbatim("chat page", { texts: onPage.texts.slice(1), children: onPage.children }, [
      MESSAGES[3]!,
      ...MESSAGES,
    ]);
    await scan("chat page", resume);
    await context.close();
  }

  async function htmlHoldsAll(html: string): Promise<boolean> {
    const page = await browser.newPage({ javaScriptEnabled: false });
    try {
      await page.setContent(html);
      const texts =
        ((await page.evaluate(
          "Array.from(document.querySelectorAll('div[style*=\"pre-wrap\"]')).map((d) => d.textContent)",
        )) as string[]) ?? [];
      return MESSAGES.every((m) => texts.includes(emailText(m)));
    } finally {
      await page.close();
    }
  }

  async function checkPhone(conversationId: string): Promise<void> {
    await waitUntil("the replies on the Business Messages simulator", async () => {
      const { requests } = await sim<{ requests: Array<{ op: string; status: number }> }>(
        `/sim/requests?conversationId=${encodeURIComponent(conversationId)}`,
      );
      const sent = requests.filter((r) => r.op === "messages.create" && r.status === 200);
      return sent.length >= MESSAGES.length ? sent : undefined;
    });
    const page = await (await trapped()).newPage();
    await page.goto(`${SIMULATOR}/?c=${encodeURIComponent(conversationId)}`);
    await untilShown(page, "#log li.business", MESSAGES.length, "the replies on the phone");
    assertVerbatim("Business Messages phone", await shown(page, "#log li.business", "textNodes"), MESSAGES);
    await scan("Business Messages phone", page);
  }
});

/**
 * Delivers a push to the service worker Hosting serves (/push-sw.js) in Chromium (DevTools'
 * ServiceWorker.deliverPushMessage, as the browser does on a push) and returns what it showed.
 */
async function showPushInChromium(
  browser: Browser,
  payload: Record<string, unknown>,
): Promise<Array<{ title: string; body: string; data: unknown }>> {
  const context = await browser.newContext();
  try {
    await context.grantPermissions(["notifications"], { origin: HOSTING });
    const page = await context.newPage();
    await page.goto(`${HOSTING}/`);
    const cdp = await context.newCDPSession(page);
    const registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => void registrations.push(...e.registrations));
    await cdp.send("ServiceWorker.enable");
    await page.evaluate(
      "navigator.serviceWorker.register('/push-sw.js').then(() => navigator.serviceWorker.ready).then(() => true)",
    );
    const registration = await waitUntil("the service worker registration", async () =>
      registrations.find((r) => r.scopeURL === `${HOSTING}/` && !r.isDeleted),
    );
    const read =
      "navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((list) => list.map((n) => ({ title: n.title, body: n.body, data: n.data })))";
    // A push delivered while the new worker is still starting can be dropped (seen once under load): deliver
    // again, as a push service would retry; notifications share a tag, so a repeat replaces, never adds.
    for (let attempt = 1; ; attempt++) {
      await cdp.send("ServiceWorker.deliverPushMessage", {
        origin: HOSTING,
        registrationId: registration.registrationId,
        data: JSON.stringify(payload),
      });
      const shown = await waitUntil("the notification", async () => {
        const list = (await page.evaluate(read)) as Array<{ title: string; body: string; data: unknown }>;
        return list.length ? list : undefined;
      }).catch((err: Error) => (attempt < 3 ? undefined : Promise.reject(err)));
      if (shown) return shown;
    }
  } finally {
    await context.close();
  }
}

// Bytes a visitor or agent downloads, measured in Chromium (so the numbers follow whatever the
// pages really load), then compressed here with gzip -9 and brotli.
import { brotliCompressSync, gzipSync } from "node:zlib";
import { launch } from "../browser.mjs";

const HOSTING = "http://127.0.0.1:5000";
const STATIC = new Set(["document", "script", "stylesheet", "font", "image"]);

/**
 * Records every static response of the page. Bodies arrive after "networkidle" under load, so
 * `settled()` waits for every body read before anything is added up.
 */
function recorder(page) {
  const seen = [];
  const reads = [];
  page.on("response", (res) => {
    const req = res.request();
    if (!STATIC.has(req.resourceType()) || !res.url().startsWith(HOSTING)) return;
    const read = res.body().then(
      (body) =>
        seen.push({
          url: res.url().slice(HOSTING.length),
          raw: body.length,
          gzip: gzipSync(body, { level: 9 }).length,
          brotli: brotliCompressSync(body).length,
        }),
      () => undefined, // redirects and aborted requests carry no body
    );
    reads.push(read);
  });
  seen.settled = async () => {
    while (reads.length) await Promise.all(reads.splice(0));
    return seen;
  };
  return seen;
}

const total = (list, k) => list.reduce((n, r) => n + r[k], 0);

export async function measureBytes() {
  const browser = await launch();
  try {
    const page = await (await browser.newContext()).newPage();
    const before = recorder(page);
    await page.goto(`${HOSTING}/`, { waitUntil: "networkidle" });
    await before.settled();
    const loader = before.filter((r) => r.url !== "/" && r.url !== "/index.html");
    const allBefore = [...before];
    before.length = 0;
    await page.getByRole("button", { name: "Open chat" }).click();
    await page.waitForTimeout(500);
    await page.waitForLoadState("networkidle");
    const opened = [...(await before.settled())];

    const consolePage = await (await browser.newContext()).newPage();
    const consoleLoad = recorder(consolePage);
    await consolePage.goto(`${HOSTING}/console/`, { waitUntil: "networkidle" });
    await consoleLoad.settled();

    // The chat page behind a reply email (/t/…, the widget app in page mode). Its bytes do not depend on
    // the link (a refused one loads the same files), so a bare /t/ measures them without minting a link.
    const chat = await (await browser.newContext()).newPage();
    const chatLoad = recorder(chat);
    await chat.goto(`${HOSTING}/t/`, { waitUntil: "networkidle" });
    await chatLoad.settled();
    const chatStatic = chatLoad.filter((r) => !r.url.startsWith("/__/"));

    return {
      chatPage: {
        files: chatStatic.map((r) => r.url),
        raw: total(chatStatic, "raw"),
        gzip: total(chatStatic, "gzip"),
        brotli: total(chatStatic, "brotli"),
        firstPaintMs: await chatPageFirstPaint(browser),
      },
      loader: {
        files: loader.map((r) => r.url),
        raw: total(loader, "raw"),
        gzip: total(loader, "gzip"),
        brotli: total(loader, "brotli"),
      },
      requestsBeforeInteraction: allBefore.length - 1,
      openedWidget: {
        files: opened.map((r) => r.url),
        raw: total(opened, "raw"),
        gzip: total(opened, "gzip"),
        brotli: total(opened, "brotli"),
      },
      consoleFirstLoad: {
        files: consoleLoad.map((r) => r.url),
        raw: total(consoleLoad, "raw"),
        gzip: total(consoleLoad, "gzip"),
        brotli: total(consoleLoad, "brotli"),
      },
    };
  } finally {
    await browser.close();
  }
}

/**
 * Link → first contentful paint of the chat page on a throttled phone profile: 390 × 844, touch,
 * 4× CPU slowdown and "Fast 3G" (1.6 Mbit/s down, 750 kbit/s up, 150 ms latency), caches empty.
 */
async function chatPageFirstPaint(browser) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const started = Date.now();
  await page.goto(`${HOSTING}/t/`, { waitUntil: "load" });
  const fcp = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const found = () => performance.getEntriesByName("first-contentful-paint")[0];
        if (found()) return resolve(found().startTime);
        new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime)).observe({
          type: "paint",
          buffered: true,
        });
      }),
  );
  const ms = Math.round(fcp ?? Date.now() - started);
  await context.close();
  return ms;
}

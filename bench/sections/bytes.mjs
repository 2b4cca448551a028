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

    return {
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

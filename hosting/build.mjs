// Builds every page into dist/ (the one folder firebase.json serves) and reports sizes.
//   node build.mjs            the production site `firebase deploy` ships: a plain home page at /, no
//                             emulator wiring, no local addresses anywhere (checked below: the build fails)
//   node build.mjs --local    the local demo `npm start` and `npm test` serve: the Sunrise Bakery page
//                             at / and the clients wired to the emulators when served from 127.0.0.1
//   --out <dir>               build somewhere else than dist/ (the deploy suite's temp dir)
import { build } from "esbuild";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { localAddresses } from "./local-addresses.mjs";

const { values: args } = parseArgs({ options: { local: { type: "boolean" }, out: { type: "string" } } });
const local = Boolean(args.local);
const dist = args.out ? `${resolve(args.out)}/` : new URL("./dist/", import.meta.url).pathname;
const src = new URL("./src/", import.meta.url).pathname;

const bundles = [
  { entry: "widget/loader.ts", out: "widget.js", format: "iife" },
  { entry: "widget/app.ts", out: "widget/app.js", format: "esm" },
  // Split: views loaded with import() (Insights and its chart library) become chunks under console/chunks/,
  // fetched only when opened, so the console's first load (main.js) stays as it was.
  { entry: "console/main.ts", out: "console/main.js", format: "esm", splitting: true },
  { entry: "push/main.ts", out: "push/main.js", format: "esm" },
  { entry: "push/sw.ts", out: "push-sw.js", format: "iife" },
];

const pages = [
  [local ? "demo/index.html" : "home/index.html", "index.html"],
  ["widget/index.html", "widget/index.html"],
  ["console/index.html", "console/index.html"],
  // The chat page behind emailed links (/t/<token>) is the widget app in page mode: the same page and
  // script (one code base), marked data-mode="page" and loading the widget's own app.js.
  ["widget/index.html", "t/index.html", chatPage],
  ["push/index.html", "push/index.html"],
];

function chatPage(html) {
  const page = html
    .replace('<html lang="en">', '<html lang="en" data-mode="page">')
    .replace(
      '<meta name="referrer" content="no-referrer" />',
      '<meta name="referrer" content="no-referrer" />\n    <meta name="robots" content="noindex" />',
    )
    .replace('src="./app.js"', 'src="/widget/app.js"');
  if (!page.includes('data-mode="page"') || !page.includes('src="/widget/app.js"'))
    throw new Error("the chat page could not be made from widget/index.html");
  return page;
}

/** Local origins (the emulators) in a page: only the local demo may name them. */
const LOCAL_ORIGIN = /\s*https?:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?/g;

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const [from, to, transform = (html) => html] of pages) {
  mkdirSync(`${dist}${to}`.replace(/[^/]+$/, ""), { recursive: true });
  const html = transform(readFileSync(`${src}${from}`, "utf8"));
  // The widget page's CSP lets it reach the Auth and Firestore emulators; production drops those origins.
  writeFileSync(`${dist}${to}`, local ? html : html.replace(LOCAL_ORIGIN, ""));
}

await Promise.all(
  bundles.map((b) =>
    build({
      entryPoints: [`${src}${b.entry}`],
      ...(b.splitting
        ? {
            outdir: `${dist}${b.out.replace(/[^/]+$/, "")}`,
            splitting: true,
            entryNames: "[name]",
            chunkNames: "chunks/[name]-[hash]",
          }
        : { outfile: `${dist}${b.out}` }),
      bundle: true,
      loader: { ".css": "text" },
      minify: true,
      format: b.format,
      target: "es2020",
      legalComments: "none",
      logLevel: "warning",
      // `if (LOCAL_BUILD && …)` branches (emulator wiring) are compiled out of the production bundles.
      define: { LOCAL_BUILD: String(local) },
    }),
  ),
);

function size(file) {
  const bytes = readFileSync(`${dist}${file}`);
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes).length,
  };
}

// Production must not name a local address anywhere: a page or bundle that still does fails the build.
if (!local) {
  const leaks = filesUnder(dist).filter((f) => localAddresses(readFileSync(`${dist}${f}`, "utf8")).length);
  if (leaks.length) {
    console.error(`\n!!! The production build names a local address (127.0.0.1/localhost) in: ${leaks.join(", ")}\n`);
    process.exit(1);
  }
}

function filesUnder(dir, prefix = "") {
  return readdirSync(`${dir}${prefix}`, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

console.log(`  ${local ? "LOCAL DEMO build (emulators, demo page)" : "production build"} → ${dist}`);
const chunks = filesUnder(dist).filter((f) => /\/chunks\/[^/]+\.js$/.test(f));
const sizes = [...bundles.map((b) => size(b.out)), ...chunks.map(size), ...pages.map(([, to]) => size(to))];
writeFileSync(`${dist}sizes.json`, JSON.stringify(sizes, null, 2));
for (const s of sizes)
  console.log(
    `  ${s.file.padEnd(22)} ${String(s.raw).padStart(8)} B  gzip ${String(s.gzip).padStart(7)} B  br ${String(s.brotli).padStart(7)} B`,
  );

// Widget budgets (docs/widget.md): the loader every page pays for, and everything the opened
// widget loads (its page, script and inline CSS). Over budget fails the build.
const widgetBudgets = [
  { name: "loader (widget.js)", files: ["widget.js"], maxGzip: 3 * 1024 },
  { name: "opened widget (index.html + app.js)", files: ["widget/index.html", "widget/app.js"], maxGzip: 60 * 1024 },
  // The chat page a reply email opens, on a phone: its page (with the CSS) and the widget's app.js.
  { name: "chat page (t/index.html + widget/app.js)", files: ["t/index.html", "widget/app.js"], maxGzip: 30 * 1024 },
];
const gzipOf = (file) => sizes.find((s) => s.file === file)?.gzip ?? Infinity;
let overBudget = false;
const budgetReport = widgetBudgets.map((b) => {
  const gzip = b.files.reduce((n, f) => n + gzipOf(f), 0);
  const ok = gzip <= b.maxGzip;
  overBudget ||= !ok;
  console.log(`  ${ok ? "within budget" : "!!! OVER BUDGET"}: ${b.name} ${gzip} B gzip (budget ${b.maxGzip} B)`);
  return { ...b, gzip, ok };
});
writeFileSync(`${dist}widget-budgets.json`, JSON.stringify(budgetReport, null, 2));
if (overBudget) {
  console.error(
    "\n!!! The widget is over its size budget (see above). Fix it or change the budget in docs/widget.md.\n",
  );
  process.exit(1);
}

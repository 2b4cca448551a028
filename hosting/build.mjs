// Builds every page into dist/ (the one folder firebase.json serves) and reports sizes.
import { build } from "esbuild";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const dist = new URL("./dist/", import.meta.url).pathname;
const src = new URL("./src/", import.meta.url).pathname;

const bundles = [
  { entry: "widget/loader.ts", out: "widget.js", format: "iife" },
  { entry: "widget/app.ts", out: "widget/app.js", format: "esm" },
  { entry: "console/main.ts", out: "console/main.js", format: "esm" },
  { entry: "resume/main.ts", out: "t/main.js", format: "esm" },
  { entry: "push/main.ts", out: "push/main.js", format: "esm" },
  { entry: "push/sw.ts", out: "push-sw.js", format: "iife" },
];

const pages = [
  ["demo/index.html", "index.html"],
  ["widget/index.html", "widget/index.html"],
  ["console/index.html", "console/index.html"],
  ["resume/index.html", "t/index.html"],
  ["push/index.html", "push/index.html"],
];

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const [from, to] of pages) cpSync(`${src}${from}`, `${dist}${to}`);

await Promise.all(
  bundles.map((b) =>
    build({
      entryPoints: [`${src}${b.entry}`],
      outfile: `${dist}${b.out}`,
      bundle: true,
      minify: true,
      format: b.format,
      target: "es2020",
      legalComments: "none",
      logLevel: "warning",
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

const sizes = [...bundles.map((b) => size(b.out)), ...pages.map(([, to]) => size(to))];
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

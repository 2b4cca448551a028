// Runs inside `firebase emulators:exec`: the integration suites, then the browser suites.
import { appendFileSync, existsSync } from "node:fs";
import { seed } from "./seed.mjs";
import { startServices } from "./services.mjs";
import { root, run, urls, waitForHttp } from "./proc.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function mocha(suite, cwd, args) {
  console.log(`\n▶ ${suite} tests`);
  return run("npx", ["mocha", ...args], { cwd: `${root}/${cwd}`, env: { ...process.env, AFTERCHAT_SUITE: suite } });
}

// emulators:exec starts the command once the emulators listen; functions may still be loading.
await waitForHttp(`${urls.functions}/health`, { timeoutMs: 120_000 });
await seed();
const serviceChildren = await startServices();
let failed = 0;
// Developer focus: AFTERCHAT_SPECS="functions:test/integration/rules.test.ts hosting:test/widget.test.ts"
// runs only those files (npm test prints a banner: it is not the full suite).
const focus = (process.env.AFTERCHAT_SPECS ?? "").split(/\s+/).filter(Boolean);
if (focus.length) {
  for (const spec of focus) {
    const [cwd, file] = spec.split(":");
    failed += (await mocha(`${cwd}:${file.split("/").pop()}`, cwd, [file])) === 0 ? 0 : 1;
  }
  for (const child of serviceChildren) child.kill();
  process.exit(failed ? 1 : 0);
}
failed += (await mocha("integration", "functions", ["test/integration/**/*.test.ts"])) === 0 ? 0 : 1;
if (existsSync(CHROMIUM)) {
  // The 1,000-thread inbox seeds a burst of trigger runs: it goes last, so it slows no other suite.
  failed +=
    (await mocha("browser", "hosting", ["test/**/*.test.ts", "--ignore", "test/console-perf.test.ts"])) === 0 ? 0 : 1;
  failed += (await mocha("browser-perf", "hosting", ["test/console-perf.test.ts"])) === 0 ? 0 : 1;
} else if (process.env.CI === "true") {
  console.error(`!! BROWSER SUITE CANNOT RUN: ${CHROMIUM} is missing (.ci/run installs Debian's chromium).`);
  failed += 1;
} else {
  console.error(`\n!! BROWSER SUITE SKIPPED: no Chromium at ${CHROMIUM}. Install it: apt-get install -y chromium\n`);
  appendFileSync(
    process.env.AFTERCHAT_RESULTS,
    `${JSON.stringify({ suite: "browser", passed: 0, failed: 0, skipped: 1 })}\n`,
  );
}
for (const child of serviceChildren) child.kill();
process.exit(failed ? 1 : 0);

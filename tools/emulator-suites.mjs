// Runs inside `firebase emulators:exec`: the integration suites, then the browser suites. Its own
// output and the suites' go to $AFTERCHAT_SUITES_OUTPUT when set (npm test shows that file; the
// emulators' lines stay in their log), else to stdout.
import { appendFileSync, existsSync, openSync, writeSync } from "node:fs";
import { CHROMIUM_PATH as CHROMIUM } from "./chromium.mjs";
import { seed } from "./seed.mjs";
import { startServices, stopServices } from "./services.mjs";
import { root, run, urls, waitForHttp } from "./proc.mjs";

const out = process.env.AFTERCHAT_SUITES_OUTPUT ? openSync(process.env.AFTERCHAT_SUITES_OUTPUT, "a") : 1;
const say = (line) => writeSync(out, `${line}\n`);

function mocha(suite, cwd, args) {
  say(`\n▶ ${suite} tests`);
  return run("npx", ["mocha", ...args], {
    cwd: `${root}/${cwd}`,
    env: { ...process.env, AFTERCHAT_SUITE: suite },
    stdio: ["ignore", out, out],
  });
}

/** The integration suites, then the browser suites (or what focus asks for); the number that failed. */
async function suites() {
  // Developer focus: AFTERCHAT_SPECS="functions:test/integration/rules.test.ts hosting:test/widget.test.ts"
  // runs only those files (npm test prints a banner: it is not the full suite).
  // As in the full suite, the 1,000-thread inbox goes last: its threads stay, and later specs would see them.
  const isPerf = (spec) => spec.endsWith("console-perf.test.ts");
  const given = (process.env.AFTERCHAT_SPECS ?? "").split(/\s+/).filter(Boolean);
  const focus = [...given.filter((s) => !isPerf(s)), ...given.filter(isPerf)];
  if (focus.length) {
    let failed = 0;
    for (const spec of focus) {
      const [cwd, file] = spec.split(":");
      failed += (await mocha(`${cwd}:${file.split("/").pop()}`, cwd, [file])) === 0 ? 0 : 1;
    }
    return failed;
  }
  let failed = (await mocha("integration", "functions", ["test/integration/**/*.test.ts"])) === 0 ? 0 : 1;
  if (existsSync(CHROMIUM)) {
    // The 1,000-thread inbox goes last: it slows no other suite, and its threads (they stay) are in no other's way.
    const browser = await mocha("browser", "hosting", ["test/**/*.test.ts", "--ignore", "test/console-perf.test.ts"]);
    const perf = await mocha("browser-perf", "hosting", ["test/console-perf.test.ts"]);
    failed += (browser === 0 ? 0 : 1) + (perf === 0 ? 0 : 1);
  } else if (process.env.CI === "true") {
    say(`!! BROWSER SUITE CANNOT RUN: ${CHROMIUM} is missing (.ci/run installs Debian's chromium).`);
    failed += 1;
  } else {
    say(`\n!! BROWSER SUITE SKIPPED: no Chromium at ${CHROMIUM}. Install it: apt-get install -y chromium\n`);
    const skipped = { suite: "browser", passed: 0, failed: 0, skipped: 1 };
    appendFileSync(process.env.AFTERCHAT_RESULTS, `${JSON.stringify(skipped)}\n`);
  }
  return failed;
}

// emulators:exec starts the command once the emulators listen; functions may still be loading.
say("▶ waiting for the functions to load, then seeding");
await waitForHttp(`${urls.functions}/health`, { timeoutMs: 180_000 });
await seed();
const serviceChildren = await startServices();
let failed;
try {
  failed = await suites();
} finally {
  await stopServices(serviceChildren);
}
process.exit(failed ? 1 : 0);

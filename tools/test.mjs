// `npm test`: build, type-check, lint, unit tests, then the integration and browser suites on
// the real emulators (firebase emulators:exec). Ends with one line: `N passed, N failed, N skipped`.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { describe, EmulatorSetupError, emulatorEnv } from "./emulators.mjs";
import { findLeaks } from "./log-check.mjs";
import { firebaseBin, PROJECT_ID, root, run, runTee } from "./proc.mjs";

const RESULTS = `${root}/.cache/test-results.jsonl`;
const EMULATORS = "auth,firestore,functions,tasks,pubsub,hosting";
const checks = []; // { name, ok } for steps that are not mocha runs
const skippedSuites = [];

function banner(lines) {
  const bar = "!".repeat(78);
  console.error(`\n${bar}\n${lines.map((l) => `!! ${l}`).join("\n")}\n${bar}\n`);
}

async function check(name, cmd, args, opts) {
  console.log(`\n▶ ${name}`);
  const code = await run(cmd, args, opts);
  checks.push({ name, ok: code === 0 });
  return code === 0;
}

/** Runs one mocha suite; a crash before mocha's own summary counts as one failure. */
async function mocha(suite, cwd, args, env = process.env) {
  const before = readResults().length;
  console.log(`\n▶ ${suite} tests`);
  const code = await run("npx", ["mocha", ...args], {
    cwd: `${root}/${cwd}`,
    env: { ...env, AFTERCHAT_RESULTS: RESULTS, AFTERCHAT_SUITE: suite },
  });
  if (readResults().length === before)
    checks.push({ name: `${suite} (mocha exited ${code} before reporting)`, ok: false });
  else if (
    code !== 0 &&
    readResults()
      .slice(before)
      .every((r) => r.failed === 0)
  )
    checks.push({ name: `${suite} (exit ${code})`, ok: false });
}

function readResults() {
  if (!existsSync(RESULTS)) return [];
  return readFileSync(RESULTS, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

async function emulatorSuites() {
  let setup;
  try {
    setup = emulatorEnv();
  } catch (err) {
    if (!(err instanceof EmulatorSetupError)) throw err;
    banner(["EMULATOR SUITES SKIPPED: no Java >= 21.", ...err.message.split("\n")]);
    skippedSuites.push("integration", "browser");
    return;
  }
  if (setup.source === "unavailable") {
    banner([
      "EMULATOR SUITES SKIPPED: the Firestore and Pub/Sub emulators are not installed",
      "(google-cloud-cli-firestore-emulator / -pubsub-emulator) and cannot be downloaded here.",
      "Only the unit suites ran. Nothing about Firestore, rules or functions was tested.",
    ]);
    skippedSuites.push("integration", "browser");
    return;
  }
  console.log(`\n▶ emulators\n${describe(setup)}`);
  const inner = `node ${root}/tools/emulator-suites.mjs`;
  const log = `${root}/.cache/emulators.log`;
  const code = await runTee(firebaseBin, ["emulators:exec", "--project", PROJECT_ID, "--only", EMULATORS, inner], log, {
    env: { ...setup.env, AFTERCHAT_RESULTS: RESULTS },
  });
  if (code !== 0 && readResults().every((r) => r.failed === 0))
    checks.push({ name: `emulators:exec (exit ${code})`, ok: false });
  const { scanned, leaks } = findLeaks(log);
  console.log(`\n▶ log check: ${scanned} function log lines scanned for secrets and tokens, ${leaks.length} leaks`);
  for (const line of leaks.slice(0, 5)) console.error(`  LEAK: ${line.slice(0, 200)}`);
  checks.push({ name: "no secrets or tokens in function logs", ok: scanned > 0 && leaks.length === 0 });
}

async function main() {
  const started = Date.now();
  rmSync(RESULTS, { force: true });
  mkdirSync(`${root}/.cache`, { recursive: true });
  const built = await check("build", "npm", ["run", "build"]);
  await check("typecheck", "npm", ["run", "typecheck"]);
  await check("lint", "npx", ["eslint", "."]);
  await mocha("unit", "functions", ["test/unit/**/*.test.ts"]);
  if (built) await emulatorSuites();
  else banner(["EMULATOR SUITES NOT RUN: the build failed."]);

  const results = readResults();
  const sum = (k) => results.reduce((n, r) => n + r[k], 0);
  const failedChecks = checks.filter((c) => !c.ok);
  const passed = sum("passed") + checks.filter((c) => c.ok).length;
  const failed = sum("failed") + failedChecks.length;
  const skipped = sum("skipped") + skippedSuites.length;
  console.log("\nsuites:");
  for (const r of results)
    console.log(`  ${r.suite.padEnd(12)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  for (const c of checks) console.log(`  ${c.name.padEnd(12)} ${c.ok ? "ok" : "FAILED"}`);
  for (const s of skippedSuites) console.log(`  ${s.padEnd(12)} SKIPPED`);
  if (process.env.AFTERCHAT_SPECS)
    banner([
      `FOCUS RUN: only ${process.env.AFTERCHAT_SPECS}`,
      "Not the full suite; unset AFTERCHAT_SPECS for npm test.",
    ]);
  console.log(`\ntook ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  console.log("0 passed, 1 failed");
  process.exit(1);
});

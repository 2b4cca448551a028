// `npm test`: build, then the integration and browser suites on the real emulators (firebase
// emulators:exec) while type-check, lint, format check and the unit, deploy and doctor suites run
// beside them. Ends with one line: `N passed, N failed[, N skipped]`. The emulators' own output goes
// to .cache/emulators.log (scanned for leaked secrets afterwards); the console shows the tests.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { describe, EmulatorSetupError, emulatorEnv } from "./emulators.mjs";
import { findLeaks } from "./log-check.mjs";
import { firebaseBin, follow, PROJECT_ID, root, run, runLogged, tail } from "./proc.mjs";

const RESULTS = `${root}/.cache/test-results.jsonl`;
const EMULATOR_LOG = `${root}/.cache/emulators.log`;
const SUITES_OUTPUT = `${root}/.cache/emulator-suites.out`;
const STATIC_OUTPUT = `${root}/.cache/static-checks.out`;
/** Mocha suites that run outside the emulators (their results share the file with the emulator suites'). */
const STATIC_SUITES = ["unit", "deploy", "doctor"];
const EMULATORS = "auth,firestore,functions,tasks,pubsub,hosting";
const checks = []; // { name, ok, ms } for steps that are not mocha runs
const skippedSuites = [];
let emulatorWallMs; // emulators:exec from start to stop: the suites plus starting the emulators

function banner(lines) {
  const bar = "!".repeat(78);
  console.error(`\n${bar}\n${lines.map((l) => `!! ${l}`).join("\n")}\n${bar}\n`);
}

async function check(name, cmd, args, opts) {
  const started = Date.now();
  const code = await run(cmd, args, opts);
  checks.push({ name, ok: code === 0, ms: Date.now() - started });
  return code === 0;
}

/** Runs one mocha suite; a crash before mocha's own summary counts as one failure. */
async function mocha(suite, cwd, args, opts = {}) {
  const env = { ...process.env, AFTERCHAT_RESULTS: RESULTS, AFTERCHAT_SUITE: suite };
  const code = await run("npx", ["mocha", ...args], { cwd: `${root}/${cwd}`, env, ...opts });
  const results = readResults().filter((r) => r.suite === suite);
  if (!results.length) checks.push({ name: `${suite} (mocha exited ${code} before reporting)`, ok: false });
  else if (code !== 0 && results.every((r) => r.failed === 0))
    checks.push({ name: `${suite} (exit ${code})`, ok: false });
}

/**
 * The checks that need no emulator port: type-check, lint, format, the unit, deploy and doctor suites.
 * `stdio` sends their output to a file while the emulator suites hold the console.
 */
async function staticChecks(stdio, withDoctor) {
  const say = (line) => (stdio === "inherit" ? console.log(line) : writeSync(stdio[1], `${line}\n`));
  const step = async (name, work) => (say(`\n▶ ${name}`), work());
  const opts = { stdio };
  await step("typecheck", () => check("typecheck", "npm", ["run", "typecheck"], opts));
  await step("lint", () => check("lint", "npx", ["eslint", "."], opts));
  await step("format", () => check("format", "npx", ["prettier", "--check", "--log-level", "warn", "."], opts));
  await step("unit tests", () => mocha("unit", "functions", ["test/unit/**/*.test.ts"], opts));
  // What `firebase deploy` ships: the production build (into a temp dir) and firebase.json/indexes.
  await step("deploy tests", () => mocha("deploy", "tools/deploy", [], opts));
  if (withDoctor) await step("doctor tests", () => mocha("doctor", "tools/doctor", [], opts));
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
  console.log(`\n▶ emulators (their log: ${EMULATOR_LOG.replace(`${root}/`, "")})\n${describe(setup)}`);
  writeFileSync(SUITES_OUTPUT, "");
  const stopFollowing = follow(SUITES_OUTPUT);
  const started = Date.now();
  const inner = `node ${root}/tools/emulator-suites.mjs`;
  const code = await runLogged(
    firebaseBin,
    ["emulators:exec", "--project", PROJECT_ID, "--only", EMULATORS, inner],
    EMULATOR_LOG,
    { env: { ...setup.env, AFTERCHAT_RESULTS: RESULTS, AFTERCHAT_SUITES_OUTPUT: SUITES_OUTPUT } },
  );
  stopFollowing();
  emulatorWallMs = Date.now() - started;
  if (
    code !== 0 &&
    readResults()
      .filter((r) => !STATIC_SUITES.includes(r.suite))
      .every((r) => r.failed === 0)
  ) {
    checks.push({ name: `emulators:exec (exit ${code})`, ok: false });
    console.error(`\n!! emulators:exec exited ${code}; the end of ${EMULATOR_LOG}:\n${tail(EMULATOR_LOG)}`);
  }
  const { scanned, leaks } = findLeaks(EMULATOR_LOG);
  console.log(`\n▶ log check: ${scanned} function log lines scanned for secrets and tokens, ${leaks.length} leaks`);
  for (const line of leaks.slice(0, 5)) console.error(`  LEAK: ${line.slice(0, 200)}`);
  checks.push({ name: "no secrets or tokens in function logs", ok: scanned > 0 && leaks.length === 0 });
}

function summary(started) {
  const results = readResults();
  const sum = (k) => results.reduce((n, r) => n + r[k], 0);
  const passed = sum("passed") + checks.filter((c) => c.ok).length;
  const failed = sum("failed") + checks.filter((c) => !c.ok).length;
  const skipped = sum("skipped") + skippedSuites.length;
  const secs = (ms) => (ms === undefined ? "" : `${(ms / 1000).toFixed(0)} s`.padStart(6));
  console.log("\nsuites:");
  for (const r of results)
    console.log(`  ${r.suite.padEnd(14)} ${secs(r.ms)}  ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  for (const c of checks) console.log(`  ${c.name.padEnd(14)} ${secs(c.ms)}  ${c.ok ? "ok" : "FAILED"}`);
  for (const s of skippedSuites) console.log(`  ${s.padEnd(14)}         SKIPPED`);
  if (emulatorWallMs)
    console.log(`  ${"emulators:exec".padEnd(14)} ${secs(emulatorWallMs)}  (start, seed, suites, stop)`);
  if (process.env.AFTERCHAT_SPECS)
    banner([
      `FOCUS RUN: only ${process.env.AFTERCHAT_SPECS}`,
      "No typecheck, lint, format, unit, deploy or doctor suite ran: not the full suite;",
      "unset AFTERCHAT_SPECS for npm test.",
    ]);
  console.log(`\ntook ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  return failed;
}

async function main() {
  const started = Date.now();
  rmSync(RESULTS, { force: true });
  mkdirSync(`${root}/.cache`, { recursive: true });
  console.log("\n▶ build");
  const built = await check("build", "npm", ["run", "build:local"]);
  // A focus run is a developer's quick loop on shared emulator ports: it builds and runs only the
  // named specs (the static checks and the other suites run without the emulators, outside any lock).
  if (process.env.AFTERCHAT_SPECS) {
    if (built) await emulatorSuites();
  } else if (!built) {
    banner(["DOCTOR AND EMULATOR SUITES NOT RUN: the build failed."]);
    await staticChecks("inherit", false);
  } else {
    // The emulator suites spend much of their time waiting on the emulators: the checks that need no
    // emulator run beside them, into a file shown when they end.
    console.log(
      `\n▶ typecheck, lint, format, unit, deploy and doctor run beside the emulator suites (shown after them)`,
    );
    writeFileSync(STATIC_OUTPUT, "");
    const out = openSync(STATIC_OUTPUT, "a");
    const statics = staticChecks(["ignore", out, out], true);
    await emulatorSuites();
    await statics;
    closeSync(out);
    console.log(readFileSync(STATIC_OUTPUT, "utf8"));
  }
  process.exit(summary(started) > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  console.log("0 passed, 1 failed");
  process.exit(1);
});

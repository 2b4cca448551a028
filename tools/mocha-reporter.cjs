// Mocha's spec output for people, plus one JSON line per run appended to $AFTERCHAT_RESULTS so
// `npm test` can add up passed / failed / skipped across every suite it runs. A failing test also
// names what it was waiting for (the waits registered by functions/test/support/wait.ts), so a
// timeout says which step it was in and for how long.
const { appendFileSync, mkdirSync } = require("node:fs");
const { dirname } = require("node:path");
const Mocha = require("mocha");

const {
  EVENT_RUN_END,
  EVENT_TEST_BEGIN,
  EVENT_TEST_FAIL,
  EVENT_HOOK_BEGIN,
  EVENT_SUITE_BEGIN,
  EVENT_SUITE_END,
  EVENT_TEST_END,
} = Mocha.Runner.constants;

/** The slowest files (hooks included) and tests of a run: where the suite's minutes go. */
function timeProfile(runner) {
  const files = new Map(); // file → ms, hooks included
  const tests = []; // { title, ms }
  const open = new Map();
  runner.on(EVENT_SUITE_BEGIN, (suite) => suite.file && suite.parent?.root && open.set(suite, Date.now()));
  runner.on(EVENT_SUITE_END, (suite) => {
    if (!open.has(suite)) return;
    const name = suite.file.split("/test/").pop();
    files.set(name, (files.get(name) ?? 0) + Date.now() - open.get(suite));
  });
  runner.on(EVENT_TEST_END, (test) => tests.push({ title: test.fullTitle(), ms: test.duration ?? 0 }));
  return () => {
    const s = (ms) => `${(ms / 1000).toFixed(1)} s`.padStart(8);
    const top = [...files].sort((a, b) => b[1] - a[1]).slice(0, 12);
    if (!top.length || top[0][1] < 10_000) return; // a quick suite needs no profile
    console.log("\n  slowest files (hooks included):");
    for (const [name, ms] of top) console.log(`  ${s(ms)}  ${name}`);
    console.log("  slowest tests:");
    for (const t of tests.sort((a, b) => b.ms - a.ms).slice(0, 12))
      console.log(`  ${s(t.ms)}  ${t.title.slice(0, 110)}`);
  };
}

class AfterchatReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let startedAt = Date.now();
    runner.on(EVENT_TEST_BEGIN, () => (startedAt = Date.now()));
    runner.on(EVENT_HOOK_BEGIN, () => (startedAt = Date.now()));
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      const now = Date.now();
      const waits = [...(globalThis.__afterchatWaits ?? [])].filter((w) => w.startedAt >= startedAt);
      const title = test.fullTitle();
      const after = `${((now - startedAt) / 1000).toFixed(1)} s`;
      if (!waits.length) {
        if (err?.code === "ERR_MOCHA_TIMEOUT")
          console.log(`      !! "${title}" timed out after ${after} (no wait was running)`);
        return;
      }
      for (const w of waits) {
        console.log(
          `      !! "${title}" failed after ${after} while waiting for ${w.what} (for ${((now - w.startedAt) / 1000).toFixed(1)} s)`,
        );
      }
    });
    const printProfile = timeProfile(runner);
    runner.once(EVENT_RUN_END, () => {
      printProfile();
      const file = process.env.AFTERCHAT_RESULTS;
      if (!file) return;
      const s = runner.stats ?? {};
      const line = {
        suite: process.env.AFTERCHAT_SUITE ?? "mocha",
        passed: s.passes ?? 0,
        failed: s.failures ?? 0,
        skipped: s.pending ?? 0,
        ms: s.duration ?? 0,
      };
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    });
  }
}

module.exports = AfterchatReporter;

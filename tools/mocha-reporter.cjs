// Mocha's spec output for people, plus one JSON line per run appended to $AFTERCHAT_RESULTS so
// `npm test` can add up passed / failed / skipped across every suite it runs. A failing test also
// names what it was waiting for (the waits registered by functions/test/support/wait.ts), so a
// timeout says which step it was in and for how long.
const { appendFileSync, mkdirSync } = require("node:fs");
const { dirname } = require("node:path");
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_TEST_BEGIN, EVENT_TEST_FAIL, EVENT_HOOK_BEGIN } = Mocha.Runner.constants;

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
    runner.once(EVENT_RUN_END, () => {
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

// Mocha's spec output for people, plus one JSON line per run appended to $AFTERCHAT_RESULTS so
// `npm test` can add up passed / failed / skipped across every suite it runs.
const { appendFileSync, mkdirSync } = require("node:fs");
const { dirname } = require("node:path");
const Mocha = require("mocha");

const { EVENT_RUN_END } = Mocha.Runner.constants;

class AfterchatReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.AFTERCHAT_RESULTS;
      if (!file) return;
      const s = runner.stats ?? {};
      const line = {
        suite: process.env.AFTERCHAT_SUITE ?? "mocha",
        passed: s.passes ?? 0,
        failed: s.failures ?? 0,
        skipped: s.pending ?? 0,
      };
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    });
  }
}

module.exports = AfterchatReporter;

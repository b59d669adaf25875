// Mocha's spec output, plus the run's totals appended as a JSON line to $MAILSMITH_TEST_STATS so that
// scripts/test.mjs can print one closing "N passed, N failed" line over every stage.
const fs = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.MAILSMITH_TEST_STATS;
      if (!file) return;
      const { passes, failures, pending } = runner.stats ?? this.stats;
      const stage = process.env.MAILSMITH_TEST_STAGE ?? 'unit';
      fs.appendFileSync(file, JSON.stringify({ stage, passes, failures, pending }) + '\n');
    });
  }
}
module.exports = SummaryReporter;

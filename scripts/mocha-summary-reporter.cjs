// Mocha's spec output, plus the run's totals appended as a JSON line to $MAILSMITH_TEST_STATS so that
// scripts/test.mjs can print one closing "N passed, N failed" line over every stage. Each skipped test is
// listed with its reason (skipBecause() in test/support/skip.ts puts it on the test or on a suite of it).
const fs = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const skipped = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => skipped.push({ title: test.fullTitle(), reason: skipReason(test) }));
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.MAILSMITH_TEST_STATS;
      if (!file) return;
      const { passes, failures, pending } = runner.stats ?? this.stats;
      const stage = process.env.MAILSMITH_TEST_STAGE ?? 'unit';
      fs.appendFileSync(file, JSON.stringify({ stage, passes, failures, pending, skipped }) + '\n');
    });
  }
}

function skipReason(test) {
  for (let runnable = test; runnable; runnable = runnable.parent) {
    if (typeof runnable.skipReason === 'string') return runnable.skipReason;
  }
  return null;
}

module.exports = SummaryReporter;

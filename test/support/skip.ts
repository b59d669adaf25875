// A test that cannot run says why. `npm test` prints each skipped test with its reason next to the stage's
// skipped count, and fails the run for a skip that gives none (it.skip, xit, a bare this.skip()).
// A part the tests need that is missing (Chromium, the real VS Code) is not a reason to skip: fail instead,
// with a message that says how to install it.

/** What scripts/mocha-summary-reporter.cjs reads on a test or on one of its suites. */
interface SkipReason {
  skipReason?: string;
}

/**
 * Skips the running test with `reason` (from a hook: every test of its suite) and ends it, like
 * `this.skip()`: `skipBecause(this, 'needs a case-sensitive file system')`.
 */
export function skipBecause(context: Mocha.Context, reason: string): never {
  const runnable = context.test;
  // A hook's skip skips the tests of its suite: the reason goes on the suite, where the reporter finds it.
  const isHook = (runnable as { type?: string } | undefined)?.type === 'hook';
  const target = isHook ? runnable?.parent : runnable;
  if (target) (target as SkipReason).skipReason = reason;
  return context.skip();
}

/**
 * For a suite whose tests are steps of one story: after a step fails, the later steps are skipped with that
 * reason. (Mocha's own `this.bail(true)` is no use here: it also skips the whole suite, without a word, when
 * any earlier suite in the run has failed.)
 */
export function stopAfterFailedStep(suite: Mocha.Suite): void {
  let failedStep: string | undefined;
  suite.afterEach(function () {
    if (this.currentTest?.state === 'failed') failedStep ??= this.currentTest.title;
  });
  suite.beforeEach(function () {
    if (failedStep !== undefined) {
      if (this.currentTest) (this.currentTest as SkipReason).skipReason = `an earlier step failed: "${failedStep}"`;
      this.skip();
    }
  });
}

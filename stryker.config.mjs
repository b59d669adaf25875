// Mutation testing of the modules that guard secrets, recipients, outcomes and limits (issue #16).
// `npm run test:mutation` runs it; MUTATION.md records the scores and names every equivalent mutant.
// Stryker copies the project into .stryker-tmp/, mutates the TypeScript there (every mutant at once,
// switched on one at a time at run time), compiles it with tsc to out/ (buildCommand) and runs the
// compiled mocha unit tests, each mutant only against the tests that reach it (coverage per test).
// The TypeScript checker first drops mutants that do not compile.
// The extension's Send command (src/vscode/send.ts) runs only inside VS Code, which Stryker's mocha runner
// cannot drive: it is not in this list; scripts/mutation/vscode-send.mjs mutates its guards by hand and runs
// the real-VS Code tests (see MUTATION.md).

/** The lowest score (killed + timed out over covered mutants, in %) the project keeps: below it the run fails. */
export const MUTATION_THRESHOLD = 90;

/** The guards, by what they guard (docs/ARCHITECTURE.md). */
export const GUARDED_MODULES = [
  // Redaction: what leaves a session.
  'src/core/send/redact.ts',
  'src/core/send/sanitize.ts',
  // Final bytes, envelope, address parsing.
  'src/core/message/prepare.ts',
  'src/core/message/envelope.ts',
  'src/core/message/addresses.ts',
  'src/core/message/domain.ts',
  'src/core/message/codePoints.ts',
  // The SMTP session and send, its deadlines, outcome classification.
  'src/core/send/session.ts',
  'src/core/send/send.ts',
  'src/core/send/deadlines.ts',
  'src/core/send/classify.ts',
  // The hourly limit.
  'src/core/send/rateLimit.ts',
  'src/core/send/fileLock.ts',
  // The capture inbox.
  'src/core/inbox/captureInbox.ts',
  // The composer's file access.
  'src/core/document/fileScope.ts',
  'src/core/compose/compose.ts',
  'src/core/compose/files.ts',
  // The preview's HTML frame.
  'src/vscode/preview/frameDocument.ts',
  'src/vscode/preview/remoteUrls.ts',
  // The send use case every face goes through.
  'src/core/pipeline/sendDocument.ts',
  'src/core/pipeline/deliver.ts',
];

/** The unit tests that can reach those modules (the others test webview pages, packaging or the runner). */
export const MUTATION_SPEC = [
  'out/test/unit/send/*.test.js',
  'out/test/unit/message/*.test.js',
  'out/test/unit/inbox/*.test.js',
  'out/test/unit/document/*.test.js',
  'out/test/unit/compose/*.test.js',
  'out/test/unit/preview/*.test.js',
  'out/test/unit/pipeline/*.test.js',
  'out/test/unit/journal/*.test.js',
  'out/test/unit/profiles/*.test.js',
  'out/test/unit/cli/*.test.js',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  packageManager: 'npm',
  mutate: GUARDED_MODULES,
  testRunner: 'mocha',
  mochaOptions: {
    // Our own list, not .mocharc.json's (whose reporter and timeout Stryker replaces anyway).
    'no-config': true,
    // MAILSMITH_MUTATION_SPEC (scripts/mutation/run.mjs --spec) narrows it while working on one module.
    spec: process.env.MAILSMITH_MUTATION_SPEC ? process.env.MAILSMITH_MUTATION_SPEC.split(',') : MUTATION_SPEC,
  },
  // The unit tests run compiled: tsc in the sandbox after Stryker has put its mutants in src/.
  buildCommand: 'tsc -p tsconfig.json',
  checkers: ['typescript'],
  // `--narrow-checker` (scripts/mutation/run.mjs): the mutated files and their importers only.
  tsconfigFile: process.env.MAILSMITH_MUTATION_TSCONFIG ?? 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // The machine has 2 cores and is shared: one test runner and one checker.
  concurrency: 1,
  // Tests talk to real servers on 127.0.0.1 and wait for real deadlines: a busy machine needs slack
  // before a slow run is called a timeout.
  timeoutMS: 15_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 30,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  // Stryker's own break counts mutants with no coverage too; scripts/mutation/summary.mjs applies
  // MUTATION_THRESHOLD to the covered score (issue #16's measure) and fails the run below it.
  thresholds: { high: MUTATION_THRESHOLD, low: 80, break: null },
  // `npm run test:mutation -- --incremental` reuses the results of unchanged mutants and tests from here.
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['out', 'dist', '.cache', 'test-results', 'reports', '.vscode-test', '*.vsix', '*.tgz', '.mailsmith'],
};

export default config;

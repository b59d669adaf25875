// The mocha runner that VS Code loads as `extensionTestsPath`: it runs inside the extension host (a real
// VS Code, desktop or code-server) and runs every out/test/integration/**/*.test.js. It prints mocha's spec
// report (the harness forwards the host's console) and writes the totals as JSON to the file named by
// MAILSMITH_TEST_RESULTS, which the harness turns into the stage's stats line: the harness, not the host,
// decides whether a suite ran at all.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import type MochaClass from 'mocha';

export interface SuiteResults {
  passes: number;
  failures: number;
  pending: number;
  failedTitles: string[];
}

// mocha 12 is an ES module whose CommonJS build is lib/mocha.cjs; requiring that file directly also works
// in extension hosts whose Node cannot require() an ES module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha = require('mocha/lib/mocha.cjs') as typeof MochaClass;

class RecordingSpecReporter extends Mocha.reporters.Spec {
  constructor(runner: MochaClass.Runner, options?: MochaClass.MochaOptions) {
    super(runner, options);
    const failedTitles: string[] = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test) => failedTitles.push(test.fullTitle()));
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.MAILSMITH_TEST_RESULTS;
      const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      const results: SuiteResults = { passes: stats.passes, failures: stats.failures, pending: stats.pending, failedTitles };
      if (file) writeFileSync(file, JSON.stringify(results));
    });
  }
}

// out/test/integration -> test/integration: outputs whose source was deleted are not run.
const sourceDir = join(__dirname, '..', '..', '..', 'test', 'integration');

function findTestFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js') && existsSync(join(sourceDir, name.replace(/\.js$/, '.ts'))))
    .sort()
    .map((name) => join(dir, name));
}

// In code-server the workbench relays this host's console together with its own log; the harness passes
// a marker so that it can print only the suite's report (mocha writes through Base.consoleLog).
function report(mark: string): (...args: unknown[]) => void {
  return (...args) => console.log(mark + format(...args));
}

export async function run(): Promise<void> {
  const say = report(process.env.MAILSMITH_TEST_LOG_MARK ?? '');
  Mocha.reporters.Base.consoleLog = say;
  // The console here ends up in a terminal through the harness, not in a TTY: no colours.
  Mocha.reporters.Base.useColors = false;
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: Number(process.env.MAILSMITH_TEST_TIMEOUT_MS) || 30_000,
    reporter: RecordingSpecReporter,
    grep: process.env.MAILSMITH_TEST_GREP || undefined,
  });
  const files = findTestFiles(__dirname);
  for (const file of files) mocha.addFile(file);
  say(`[integration] ${files.length} test file(s) in ${__dirname}`);
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (err) {
      reject(err);
    }
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}

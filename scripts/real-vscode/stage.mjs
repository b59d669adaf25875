// What the test-stage scripts share: their command line, messages, and the stats line for scripts/test.mjs.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** --verbose and --grep PATTERN; `name` prefixes messages; the stage name comes from MAILSMITH_TEST_STAGE. */
export function stageCli(name, defaultStage = name) {
  const argv = process.argv.slice(2);
  const grepIndex = argv.indexOf('--grep');
  return {
    argv,
    verbose: argv.includes('--verbose'),
    grep: grepIndex >= 0 ? argv[grepIndex + 1] : undefined,
    stage: process.env.MAILSMITH_TEST_STAGE || defaultStage,
    say: (text) => console.log(`[${name}] ${text}`),
    fail(message) {
      console.error(`[${name}] FAILED: ${message}`);
      process.exit(1);
    },
  };
}

/** A JSON file the suite wrote, or undefined if it wrote none (then it did not run). */
export function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Appends {"stage","passes","failures","pending"} to $MAILSMITH_TEST_STATS (when scripts/test.mjs set it). */
export function recordStats(stage, { passes, failures, pending }) {
  if (!process.env.MAILSMITH_TEST_STATS) return;
  appendFileSync(process.env.MAILSMITH_TEST_STATS, JSON.stringify({ stage, passes, failures, pending }) + '\n');
}

/**
 * While the repository has no extension entry point at all (src/vscode/extension.ts), there is nothing for
 * a real VS Code to load: the stage says so, counts its test files as skipped and ends. As soon as the
 * entry point exists, a missing or broken build fails the stage like any other failure.
 */
export function skipWithoutExtensionSource({ stage, say, extensionPath, repoRoot, testFileCount }) {
  if (extensionPath !== repoRoot || existsSync(join(repoRoot, 'src/vscode/extension.ts'))) return;
  say(`SKIPPED: src/vscode/extension.ts does not exist yet, so there is no extension to load; ${testFileCount} test file(s) not run`);
  recordStats(stage, { passes: 0, failures: 0, pending: testFileCount });
  process.exit(0);
}

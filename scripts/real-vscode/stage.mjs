// What the test-stage scripts share: their command line, messages, and the stats line for scripts/test.mjs.
import { appendFileSync, readFileSync } from 'node:fs';

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

/**
 * Appends {"stage","passes","failures","pending","skipped"} to $MAILSMITH_TEST_STATS (when scripts/test.mjs
 * set it); `skipped` lists the skipped tests with their reasons where the suite reported them.
 */
export function recordStats(stage, { passes, failures, pending, skipped }) {
  if (!process.env.MAILSMITH_TEST_STATS) return;
  appendFileSync(process.env.MAILSMITH_TEST_STATS, JSON.stringify({ stage, passes, failures, pending, skipped }) + '\n');
}


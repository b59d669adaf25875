// `npm test`'s integration stage: runs the mocha suite test/integration (compiled to out/) inside the
// extension host of a real VS Code: code-server from npm, its workbench in Debian's Chromium (headless).
// The extension under development is a copy of what the repository's package ships (package.json,
// dist/ as built by `npm run build`, media/, ...: the .vscodeignore allow-list).
// Prints the host's console (mocha's report), appends {"stage","passes","failures","pending"} to
// $MAILSMITH_TEST_STATS, exits non-zero if a test failed or none ran.
// Options: --grep <pattern>, --verbose (code-server's and the workbench's own log too).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupOnExit, outerTimeout } from './codeServer.mjs';
import { extensionPath, repoRoot } from './config.mjs';
import { installExtension } from './installExtension.mjs';
import { runExtensionTests } from './runSuite.mjs';
import { ensureRealVsCode } from './setup.mjs';
import { readJson, recordStats, stageCli } from './stage.mjs';
import { createTestWorkspace } from './workspace.mjs';

// A guard against a hang, not a speed limit: on a loaded 2-core machine the suite has taken 2.5 minutes.
const RUN_TIMEOUT_MS = Number(process.env.MAILSMITH_INTEGRATION_TIMEOUT_MS) || 10 * 60_000;
const { verbose, grep, stage, say, fail } = stageCli('integration');

try {
  ensureRealVsCode();
} catch (err) {
  fail(`setting up the real VS Code: ${err.message}`);
}

const testsEntry = join(repoRoot, 'out/test/integration/index.js');
for (const [file, how] of [[testsEntry, 'npm run compile'], [join(extensionPath, 'dist/extension.js'), 'npm run build']]) {
  if (!existsSync(file)) fail(`${file} is missing: run \`${how}\` first`);
}

const cancelTimeout = outerTimeout(RUN_TIMEOUT_MS, 'the integration suite');
const started = Date.now();
const workspace = createTestWorkspace();
const scratch = mkdtempSync(join(tmpdir(), 'mailsmith-it-'));
const removeTemp = cleanupOnExit(() => {
  rmSync(scratch, { recursive: true, force: true });
  workspace.remove();
});
const resultsFile = join(scratch, 'results.json');
// A private copy of what the package ships: a rebuild of dist/ in the working tree (another terminal,
// `npm start`) cannot pull the bundle away from under a running suite.
const extensionCopy = installExtension(extensionPath, join(scratch, 'extension'));
const exitCode = await runExtensionTests({
  folder: workspace.dir,
  extensionPath: extensionCopy,
  testsPath: testsEntry,
  // The extension host inherits code-server's environment: this is how the suite learns its inputs.
  env: {
    MAILSMITH_TEST_RESULTS: resultsFile,
    MAILSMITH_TEST_WORKSPACE: workspace.dir,
    MAILSMITH_TEST_SCRATCH: scratch,
    // Hourly-limit counts and the sent journal of this run only (the user's own stay untouched).
    MAILSMITH_STATE_DIR: join(scratch, 'state'),
    ...(grep ? { MAILSMITH_TEST_GREP: grep } : {}),
  },
  verbose,
  say,
});
cancelTimeout();

const results = readJson(resultsFile);
removeTemp();
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (!results) fail(`the suite wrote no results (exit ${exitCode}, ${seconds} s): it did not run`);
recordStats(stage, results);
say(`${results.passes} passed, ${results.failures} failed, ${results.pending} pending in ${seconds} s (exit ${exitCode})`);
if (results.passes + results.failures === 0) fail('no test ran');
process.exit(results.failures > 0 || exitCode !== 0 ? 1 : 0);

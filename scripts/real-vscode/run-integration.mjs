// `npm test`'s integration stage: runs the mocha suite test/integration (compiled to out/) inside the
// extension host of a real VS Code: code-server from npm, its workbench in Debian's Chromium (headless).
// The extension under development is the repository (package.json "main": dist/extension.js).
// Prints the host's console (mocha's report), appends {"stage","passes","failures","pending"} to
// $MAILSMITH_TEST_STATS, exits non-zero if a test failed or none ran.
// Options: --grep <pattern>, --verbose (code-server's and the workbench's own log too).
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupOnExit, outerTimeout } from './codeServer.mjs';
import { repoRoot } from './config.mjs';
import { runExtensionTests } from './runSuite.mjs';
import { ensureRealVsCode } from './setup.mjs';
import { createTestWorkspace } from './workspace.mjs';

const RUN_TIMEOUT_MS = Number(process.env.MAILSMITH_INTEGRATION_TIMEOUT_MS) || 3 * 60_000;
const argv = process.argv.slice(2);
const verbose = argv.includes('--verbose');
const grepIndex = argv.indexOf('--grep');
const grep = grepIndex >= 0 ? argv[grepIndex + 1] : undefined;
const stage = process.env.MAILSMITH_TEST_STAGE || 'integration';
const say = (text) => console.log(`[integration] ${text}`);

function fail(message) {
  console.error(`[integration] FAILED: ${message}`);
  process.exit(1);
}

try {
  ensureRealVsCode();
} catch (err) {
  fail(`setting up the real VS Code: ${err.message}`);
}

const testsEntry = join(repoRoot, 'out/test/integration/index.js');
// The extension under development: the repository, or another folder for checking the harness itself.
const extensionPath = process.env.MAILSMITH_EXTENSION_PATH || repoRoot;
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
const exitCode = await runExtensionTests({
  folder: workspace.dir,
  extensionPath,
  testsPath: testsEntry,
  // The extension host inherits code-server's environment: this is how the suite learns its inputs.
  env: {
    MAILSMITH_TEST_RESULTS: resultsFile,
    MAILSMITH_TEST_WORKSPACE: workspace.dir,
    MAILSMITH_TEST_SCRATCH: scratch,
    ...(grep ? { MAILSMITH_TEST_GREP: grep } : {}),
  },
  verbose,
  say,
});
cancelTimeout();

let results;
try {
  results = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  results = undefined;
}
removeTemp();
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (!results) fail(`the suite wrote no results (exit ${exitCode}, ${seconds} s): it did not run`);
if (process.env.MAILSMITH_TEST_STATS) {
  const { passes, failures, pending } = results;
  appendFileSync(process.env.MAILSMITH_TEST_STATS, JSON.stringify({ stage, passes, failures, pending }) + '\n');
}
say(`${results.passes} passed, ${results.failures} failed, ${results.pending} pending in ${seconds} s (exit ${exitCode})`);
if (results.passes + results.failures === 0) fail('no test ran');
process.exit(results.failures > 0 || exitCode !== 0 ? 1 : 0);

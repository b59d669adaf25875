// `npm test`'s integration stage: runs the mocha suite test/integration (compiled to out/) inside the
// extension host of a real VS Code: code-server from npm, its workbench in Debian's Chromium (headless).
// The extension under development is the repository (package.json "main": dist/extension.js).
// Prints the host's console (mocha's report), appends {"stage","passes","failures","pending"} to
// $MAILSMITH_TEST_STATS, exits non-zero if a test failed or none ran.
// Options: --grep <pattern>, --verbose (code-server's own log too).
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchChromium, waitForWorkbench, workbenchUrl } from './browser.mjs';
import { cleanupOnExit, outerTimeout, startCodeServer } from './codeServer.mjs';
import { repoRoot } from './config.mjs';
import { ensureRealVsCode } from './setup.mjs';
import { createTestWorkspace } from './workspace.mjs';

const RUN_TIMEOUT_MS = Number(process.env.MAILSMITH_INTEGRATION_TIMEOUT_MS) || 4 * 60_000;
const argv = process.argv.slice(2);
const verbose = argv.includes('--verbose');
const grepIndex = argv.indexOf('--grep');
const grep = grepIndex >= 0 ? argv[grepIndex + 1] : undefined;
const stage = process.env.MAILSMITH_TEST_STAGE || 'integration';
const LOG_MARK = '\u2063[mailsmith-test]';
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
let server;
let browser;
let exitCode = 1;
try {
  server = await startCodeServer({
    folder: workspace.dir,
    testDriver: true,
    // The extension host inherits code-server's environment: this is how the suite learns its inputs.
    env: {
      MAILSMITH_TEST_RESULTS: resultsFile,
      MAILSMITH_TEST_WORKSPACE: workspace.dir,
      MAILSMITH_TEST_LOG_MARK: LOG_MARK,
      MAILSMITH_TEST_SCRATCH: scratch,
      ...(grep ? { MAILSMITH_TEST_GREP: grep } : {}),
    },
    log: verbose ? (line) => console.log(`[code-server] ${line}`) : undefined,
  });
  say(`code-server ${server.origin} (pid ${server.pid}), workspace ${workspace.dir}`);
  browser = await launchChromium();
  const page = await browser.newPage();
  const finished = new Promise((resolve) => {
    // Called by the workbench when the extension tests end (smoke-test driver).
    page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
  });
  // The workbench's log, which includes the extension host's console: mocha's report. The suite marks
  // its lines (test/integration/index.ts); the workbench's own lines are shown with --verbose only.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (text.startsWith(LOG_MARK)) (type === 'error' ? console.error : console.log)(text.slice(LOG_MARK.length));
    else if (verbose) console.log(`[workbench ${type}] ${text}`);
  });
  if (verbose) page.on('console', (msg) => console.log(`[browser ${msg.type()}] ${msg.text()}`));
  await page.goto(workbenchUrl(server, { folder: workspace.dir, extensionDevelopmentPath: extensionPath, extensionTestsPath: testsEntry }));
  await waitForWorkbench(page);
  say(`workbench loaded after ${((Date.now() - started) / 1000).toFixed(1)} s; running the suite in the extension host`);
  exitCode = await finished;
} catch (err) {
  console.error(`[integration] ${err.stack ?? err}`);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  cancelTimeout();
}

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

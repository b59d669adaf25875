// `npm test`'s UI stage: Playwright tests (test/ui/**/*.ui.ts, compiled to out/test/ui/) that drive the
// real VS Code workbench in headless Chromium as a person would. This script sets up and starts
// code-server on a fresh copy of samples/ with Mailsmith installed (built from this repo), runs mocha
// over the compiled tests, kills everything, and appends the stage's stats line.
// Screenshots of each step land in test-results/ui/ (gitignored). Options: --grep <pattern>, --verbose.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, workbenchUrl } from './browser.mjs';
import { cleanupOnExit, killGroup, outerTimeout, startCodeServer } from './codeServer.mjs';
import { CHROMIUM, extensionPath, repoRoot } from './config.mjs';
import { ensureRealVsCode } from './setup.mjs';
import { recordStats, stageCli } from './stage.mjs';
import { createTestWorkspace } from './workspace.mjs';

// A guard against a hang, not a speed limit: on a loaded 2-core machine the suite has taken 6 minutes.
const RUN_TIMEOUT_MS = Number(process.env.MAILSMITH_UI_TIMEOUT_MS) || 15 * 60_000;
const { verbose, grep, stage, say, fail } = stageCli('ui');

const uiSources = join(repoRoot, 'test/ui');

try {
  ensureRealVsCode();
} catch (err) {
  fail(`setting up the real VS Code: ${err.message}`);
}

const testsDir = join(repoRoot, 'out/test/ui');
const testFiles = existsSync(testsDir)
  ? readdirSync(testsDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ui.js') && existsSync(join(uiSources, f.replace(/\.js$/, '.ts')))) // no stale outputs
      .sort()
      .map((f) => join(testsDir, f))
  : [];
if (testFiles.length === 0) fail(`no compiled UI tests in ${testsDir}: run \`npm run compile\` first`);
if (!existsSync(join(extensionPath, 'dist/extension.js'))) fail(`${extensionPath}/dist/extension.js is missing: run \`npm run build\` first`);

const cancelTimeout = outerTimeout(RUN_TIMEOUT_MS, 'the UI tests');
const started = Date.now();
const workspace = createTestWorkspace();
const scratch = mkdtempSync(join(tmpdir(), 'mailsmith-ui-'));
const removeTemp = cleanupOnExit(() => {
  rmSync(scratch, { recursive: true, force: true });
  workspace.remove();
});
const statsFile = join(scratch, 'stats.jsonl');
const screenshots = join(repoRoot, 'test-results', 'ui');
rmSync(screenshots, { recursive: true, force: true });
mkdirSync(screenshots, { recursive: true });

let server;
let mochaExit = 1;
try {
  server = await startCodeServer({
    folder: workspace.dir,
    // Installed as from a .vsix, not as the extension under development: the smoke-test driver that
    // development mode needs here would suppress the notification toasts a person sees.
    // Beside it, a small extension of the tests' own that calls into Mailsmith as another extension would.
    installExtensions: [extensionPath, join(repoRoot, 'test/ui/fixtures/exports-probe')],
    env: { MAILSMITH_TEST_WORKSPACE: workspace.dir, MAILSMITH_STATE_DIR: join(scratch, 'state') },
    log: verbose ? (line) => console.log(`[code-server] ${line}`) : undefined,
  });
  say(`code-server ${server.origin} (pid ${server.pid}), workspace ${workspace.dir}`);
  const url = workbenchUrl(server, { folder: workspace.dir });
  const mochaArgs = [
    join(repoRoot, 'node_modules/mocha/bin/mocha.js'),
    '--no-config', // .mocharc.json is the unit stage's
    '--reporter', join(repoRoot, 'scripts/mocha-summary-reporter.cjs'),
    '--timeout', '90000',
    '--enable-source-maps',
    ...(grep ? ['--grep', grep] : []),
    ...testFiles,
  ];
  mochaExit = await new Promise((resolve) => {
    const child = spawn(process.execPath, mochaArgs, {
      cwd: repoRoot,
      stdio: 'inherit',
      // Its own process group: mocha runs the tests in a second Node process (for its Node flags), and
      // start.ui.ts starts `npm start`; stopping only the first one left the others running.
      detached: true,
      env: {
        ...process.env,
        MAILSMITH_TEST_STATS: statsFile, // this script appends the stage's line after checking it
        MAILSMITH_TEST_STAGE: stage,
        MAILSMITH_UI_URL: url,
        MAILSMITH_UI_WORKSPACE: workspace.dir,
        MAILSMITH_UI_USER_SETTINGS: join(server.userDataDir, 'User', 'settings.json'),
        MAILSMITH_UI_LOGS: join(server.userDataDir, 'logs'),
        MAILSMITH_UI_SCREENSHOTS: screenshots,
        MAILSMITH_UI_CHROMIUM: CHROMIUM,
        MAILSMITH_UI_CHROMIUM_ARGS: JSON.stringify(CHROMIUM_ARGS),
      },
    });
    // SIGTERM, so that Playwright closes its Chromium and `npm start` its code-server on the way out.
    cleanupOnExit(() => killGroup(child.pid, 'SIGTERM'));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
} catch (err) {
  console.error(`[ui] ${err.stack ?? err}`);
} finally {
  await server?.stop();
  cancelTimeout();
}

const lines = existsSync(statsFile) ? readFileSync(statsFile, 'utf8').split('\n').filter(Boolean) : [];
removeTemp();
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (lines.length === 0) fail(`mocha wrote no results (exit ${mochaExit}, ${seconds} s): the UI tests did not run`);
const results = JSON.parse(lines[lines.length - 1]);
recordStats(stage, results);
say(`${results.passes} passed, ${results.failures} failed, ${results.pending} pending in ${seconds} s; screenshots in ${screenshots}`);
if (results.passes + results.failures === 0) fail('no UI test ran');
process.exit(results.failures > 0 || mochaExit !== 0 ? 1 : 0);

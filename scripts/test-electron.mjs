// `npm run test:desktop`: the integration suite (test/integration) in a desktop VS Code downloaded by
// @vscode/test-electron, for a developer's machine with internet. Same suite, same inputs as the
// code-server run that `npm test` does (scripts/real-vscode/run-integration.mjs).
// Options: --code-server  drive code-server through scripts/real-vscode/code-shim.mjs instead of a
//                         downloaded VS Code (works offline: the same runTests call, a different `code`);
//          --no-build     use out/ and dist/ as they are;   VSCODE_VERSION=1.99.0 picks the version.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extensionPath, repoRoot } from './real-vscode/config.mjs';
import { readJson, recordStats, stageCli } from './real-vscode/stage.mjs';
import { createTestWorkspace } from './real-vscode/workspace.mjs';

const { argv, stage, say, fail } = stageCli('test:desktop', 'desktop');

if (!argv.includes('--no-build')) {
  for (const cmd of [['node_modules/.bin/tsc', '-p', 'tsconfig.json'], [process.execPath, 'scripts/build.mjs']]) {
    say(cmd.join(' '));
    const result = spawnSync(cmd[0], cmd.slice(1), { cwd: repoRoot, stdio: 'inherit' });
    if (result.status !== 0) fail(cmd.join(' '));
  }
}

const workspace = createTestWorkspace();
const scratch = mkdtempSync(join(tmpdir(), 'mailsmith-it-'));
const resultsFile = join(scratch, 'results.json');
let exitCode = 1;
try {
  exitCode = await runTests({
    extensionDevelopmentPath: extensionPath,
    extensionTestsPath: join(repoRoot, 'out/test/integration/index'),
    launchArgs: [workspace.dir, '--disable-extensions'],
    extensionTestsEnv: {
      MAILSMITH_TEST_RESULTS: resultsFile,
      MAILSMITH_TEST_WORKSPACE: workspace.dir,
      MAILSMITH_TEST_SCRATCH: scratch,
    },
    ...(argv.includes('--code-server') ? { vscodeExecutablePath: join(repoRoot, 'scripts/real-vscode/code-shim.mjs') } : {}),
    ...(process.env.VSCODE_VERSION ? { version: process.env.VSCODE_VERSION } : {}),
  });
} catch (err) {
  console.error(`[test:desktop] ${err.message ?? err}`);
  exitCode = 1;
}

const results = readJson(resultsFile);
rmSync(scratch, { recursive: true, force: true });
workspace.remove();
if (!results) fail('the suite wrote no results: it did not run');
recordStats(stage, results);
say(`${results.passes} passed, ${results.failures} failed, ${results.pending} pending`);
process.exit(results.failures > 0 || results.passes === 0 || exitCode !== 0 ? 1 : 0);

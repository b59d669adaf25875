// The README's main command, `npm start`, proven headless: with --check it sets up, starts the real
// VS Code on samples/ with Mailsmith, verifies the workbench loads, the extension activates and Send Email
// reaches the local capture inbox, and exits.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..', '..');

describe('npm start --check', () => {
  it('loads the workbench on samples/, activates Mailsmith, sends a sample to the capture inbox, exits 0', function () {
    this.timeout(200_000);
    // --no-build: npm test built dist/ already, and the UI stage's own VS Code is using it.
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/start.mjs'), '--check', '--no-build'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 190_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.status, 0, `npm start --check failed:\n${output}`);
    assert.match(output, /ok {3}workbench loaded/);
    assert.match(output, /ok {3}mailsmith\.mailsmith activated in the extension host/);
    assert.match(output, /ok {3}Send Email delivered samples\/plain-text\.eml to the local capture inbox: "Sent to bob@example\.org/);
    assert.match(output, /check passed/);
    assert.doesNotMatch(output, /FAIL/);
  });
});

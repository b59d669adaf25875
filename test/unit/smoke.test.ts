import * as assert from 'node:assert/strict';
import { main } from '../../src/cli/main';

describe('cli', () => {
  it('rejects an unknown command with usage and exit 2', async () => {
    let err = '';
    const code = await main(['frobnicate'], {
      stdout: () => undefined,
      stderr: (t) => (err += t),
      readFile: () => Buffer.alloc(0),
      readStdin: async () => Buffer.alloc(0),
      env: {},
      cwd: process.cwd(),
      isTTY: false,
    });
    assert.equal(code, 2);
    assert.match(err, /unknown command "frobnicate"/);
    assert.match(err, /Usage: mailsmith/);
  });
});

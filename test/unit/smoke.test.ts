import * as assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { recordingIo } from './cli/checkIo';

describe('cli', () => {
  it('rejects an unknown command with usage and exit 2', async () => {
    const io = recordingIo();
    const code = await main(['frobnicate'], io);
    assert.equal(code, 2);
    assert.match(io.err, /unknown command "frobnicate"/);
    assert.match(io.err, /Usage: mailsmith/);
  });
});

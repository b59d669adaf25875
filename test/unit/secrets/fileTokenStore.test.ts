// The CLI's sign-ins on disk: owner-only (600 in a 700 folder), written whole, loosened copies made private
// again, damaged files reported without their contents, and keys that cannot name another path.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTokenStore, oauthStoreDir } from '../../../src/core/secrets/tokenStore';

const KEY = '0123456789abcdef0123456789abcdef';
const grant = { refreshToken: 'RT.refresh-token-value', account: 'ann@example.com', savedAt: '2026-11-30T00:00:00.000Z' };

describe('the CLI token store', () => {
  let state: string;
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'mailsmith-store-'));
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  it('keeps a sign-in readable by the owner only, and forgets it', async function () {
    if (process.platform === 'win32') this.skip();
    const store = new FileTokenStore(oauthStoreDir(state));
    await store.save(KEY, grant);
    assert.deepEqual(await store.load(KEY), grant);
    assert.equal(statSync(store.dir).mode & 0o777, 0o700);
    assert.equal(statSync(store.fileFor(KEY)).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(store.dir), [`${KEY}.json`], 'no temporary file left behind');
    assert.equal(await store.forget(KEY), true);
    assert.equal(await store.load(KEY), undefined);
    assert.equal(await store.forget(KEY), false);
  });

  it('makes a copy with looser permissions private again on reading', async function () {
    if (process.platform === 'win32') this.skip();
    const store = new FileTokenStore(oauthStoreDir(state));
    await store.save(KEY, grant);
    chmodSync(store.fileFor(KEY), 0o644);
    await store.load(KEY);
    assert.equal(statSync(store.fileFor(KEY)).mode & 0o777, 0o600);
  });

  it('reports a damaged file without showing what is in it', async () => {
    const store = new FileTokenStore(oauthStoreDir(state));
    await store.save(KEY, grant);
    writeFileSync(store.fileFor(KEY), '{"refreshToken": "RT.half-written');
    await assert.rejects(store.load(KEY), (err: Error) => /damaged: sign out and in again/.test(err.message) && !err.message.includes('RT.'));
  });

  it('accepts only hex keys, so that no key names another path', async () => {
    const store = new FileTokenStore(oauthStoreDir(state));
    for (const key of ['../../etc/passwd', 'abc', `${KEY}/x`, 'ZZZZZZZZZZZZZZZZZZZZ']) assert.throws(() => store.fileFor(key), /invalid sign-in key/);
  });
});

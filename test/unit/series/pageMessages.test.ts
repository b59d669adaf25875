// Every message from the series review page is checked before the panel acts on it.
import * as assert from 'node:assert/strict';
import { parseSeriesPageMessage } from '../../../src/vscode/series/pageMessages';

describe('series review page messages', () => {
  const options = { to: 'a@example.org', cc: '', inReplyTo: '', thread: 'deep', runRepositoryCommands: false };

  it('accepts the messages the page sends, with exactly their fields', () => {
    assert.deepEqual(parseSeriesPageMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseSeriesPageMessage({ type: 'apply', options: { ...options, evil: true } }), { type: 'apply', options });
    assert.deepEqual(parseSeriesPageMessage({ type: 'skip', index: 2, skip: true }), { type: 'skip', index: 2, skip: true });
    assert.deepEqual(parseSeriesPageMessage({ type: 'send', mode: 'self', fingerprint: 'abc' }), { type: 'send', mode: 'self', fingerprint: 'abc' });
  });

  it('refuses anything else: unknown types, wrong shapes, a thread mode or send mode that does not exist', () => {
    for (const bad of [
      null,
      'send',
      { type: 'run', command: 'rm -rf /' },
      { type: 'apply', options: { ...options, thread: 'sideways' } },
      { type: 'apply', options: { ...options, runRepositoryCommands: 'yes' } },
      { type: 'apply', options: { ...options, to: 'x'.repeat(10_000) } },
      { type: 'skip', index: -1, skip: true },
      { type: 'edit', index: 1.5 },
      { type: 'send', mode: 'everyone', fingerprint: 'abc' },
      { type: 'send', mode: 'all' },
    ]) {
      assert.equal(parseSeriesPageMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
    }
  });
});

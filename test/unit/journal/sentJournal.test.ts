// The sent journal both faces write: entries newest first, the exact bytes kept (owner-only) for what may
// have left, a torn line skipped, nothing secret stored.
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SentJournal } from '../../../src/core/journal/sentJournal';
import type { SendOutcome } from '../../../src/core/send/types';

const base = { profile: 'work', messageId: '<m@example.com>', envelope: { from: 'ann@example.com', to: ['bob@example.org'] }, elapsedMs: 5 };

describe('sent journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records outcomes newest first, with a private copy of the bytes of what may have left', () => {
    const journal = new SentJournal(join(dir, 'state'));
    const sent: SendOutcome = { ...base, status: 'sent', accepted: ['bob@example.org'], reply: '250 OK queued as Q1' };
    const failed: SendOutcome = { ...base, status: 'failed', stage: 'rcpt', temporary: false, reason: 'refused', reply: '550 no such user' };
    const raw = Buffer.from('From: ann@example.com\r\n\r\nHi\r\n');
    const first = journal.record(sent, { source: '/tmp/a.eml', face: 'cli', subject: 'Hi', raw });
    journal.record(failed, { source: '/tmp/b.eml', face: 'vscode', raw });
    const entries = journal.entries();
    assert.deepEqual(entries.map((e) => [e.source, e.status, e.face]), [['/tmp/b.eml', 'failed', 'vscode'], ['/tmp/a.eml', 'sent', 'cli']]);
    assert.equal(entries[0].copy, undefined, 'nothing left the machine: no copy');
    assert.equal(entries[0].stage, 'rcpt');
    assert.ok(journal.copyOf(first)?.equals(raw));
    assert.equal(statSync(first.copy!).mode & 0o777, 0o600);
    assert.equal(statSync(journal.file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'state')).mode & 0o777, 0o700);
  });

  it('skips a torn or foreign line instead of losing the rest', () => {
    const journal = new SentJournal(dir);
    journal.record({ ...base, status: 'unknown', reason: 'dropped after the dot' }, { source: 'x', face: 'cli' });
    appendFileSync(journal.file, '{"id": "half-writ');
    appendFileSync(journal.file, '\nnot json\n');
    journal.record({ ...base, status: 'sent', accepted: [] }, { source: 'y', face: 'cli' });
    assert.deepEqual(journal.entries().map((e) => e.source), ['y', 'x']);
  });
});

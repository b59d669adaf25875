// The merge journal: what a re-run believes. A row cut off between "sending" and its outcome is unknown; a
// torn last line loses nothing else; one merge at a time writes it, and a killed one's lock is taken over.
import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { JournalBusy, MergeJournal } from '../../../src/core/merge';
import type { SendOutcome } from '../../../src/core/send/types';
import { mergeDir, type MergeDir } from './helpers';

const sent = (messageId: string): SendOutcome => ({ status: 'sent', profile: 'p', messageId, envelope: { from: 'a@example.com', to: ['b@example.org'] }, accepted: ['b@example.org'], reply: '250 OK', elapsedMs: 1 });

describe('merge: the journal', () => {
  let d: MergeDir;
  beforeEach(() => (d = mergeDir()));
  afterEach(() => d.remove());

  it('reads a row cut off after "sending" as unknown, and skips a torn last line', async () => {
    const path = `${d.dir}/j.jsonl`;
    const journal = MergeJournal.open(path, true);
    const one = { row: 1, key: 'to:one@example.org', messageId: '<1@x>', to: ['one@example.org'] };
    const two = { row: 2, key: 'to:two@example.org', messageId: '<2@x>', to: ['two@example.org'] };
    await journal.sending(one, 1);
    journal.outcome(one, sent('<1@x>'));
    await journal.sending(two, 1);
    journal.close();
    appendFileSync(path, '{"type":"outcome","row":2,"key":"to:two@exa'); // a write torn by a crash
    const again = MergeJournal.open(path, true);
    assert.equal(again.rows.get(one.key)?.status, 'sent');
    assert.equal(again.rows.get(two.key)?.status, 'unknown');
    assert.equal(again.rows.get(two.key)?.interrupted, true);
    again.outcome(two, sent('<2@x>'));
    again.close();
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    assert.ok(JSON.parse(lines[lines.length - 1]).status === 'sent', 'the record after the torn line is whole');
    assert.equal(MergeJournal.open(path, false).rows.get(two.key)?.status, 'sent');
  });

  it('lets one merge write it at a time, and takes over the lock of a merge that was killed', () => {
    const path = `${d.dir}/j.jsonl`;
    const first = MergeJournal.open(path, true);
    assert.throws(() => MergeJournal.open(path, true), JournalBusy);
    assert.doesNotThrow(() => MergeJournal.open(path, false), 'reading (a dry run) needs no lock');
    first.close();
    assert.equal(existsSync(`${path}.lock`), false);
    // A process that has exited: its pid is free.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: Number(dead), host: hostname(), started: 'then' }));
    const next = MergeJournal.open(path, true);
    next.close();
  });
});

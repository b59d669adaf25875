// Splitting an mbox as git mailsplit does, and a body that needs a transfer encoding only where a line or
// byte needs one.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { isMboxSeparator, splitMbox } from '../../../src/core/series/mbox';
import { recordingIo } from '../cli/checkIo';
import { applyReceived, commitsAfter, git, scratchRepo, SENDER } from './scratchRepo';

describe('series: mbox splitting', () => {
  it('recognises separators as git mailsplit does, and nothing else', () => {
    assert.ok(isMboxSeparator('From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001'));
    assert.ok(isMboxSeparator('From sam@example.com Thu Jan  1 10:00:00 2026'));
    assert.ok(!isMboxSeparator('From: Sam <sam@example.com>'));
    assert.ok(!isMboxSeparator('From the start, we kept 10:00:00 as the time'), 'no year after the time');
    assert.ok(!isMboxSeparator('From sam Thu Jan  1 10:00:00 1970'.replace('1970', '70')), 'a year of 90 or less');
  });

  it('splits several messages, drops the separator lines, and unquotes >From only for mboxrd', () => {
    const mbox = Buffer.from(
      'From abc Mon Sep 17 00:00:00 2001\nSubject: one\n\n>From the body\n\nFrom def Mon Sep 17 00:00:00 2001\nSubject: two\n\nbody\n',
    );
    const plain = splitMbox(mbox);
    assert.equal(plain.length, 2);
    assert.equal(plain[0].bytes.toString(), 'Subject: one\n\n>From the body\n\n');
    assert.equal(plain[0].startLine, 1);
    assert.equal(plain[1].startLine, 6);
    assert.equal(splitMbox(mbox, { mboxrd: true })[0].bytes.toString(), 'Subject: one\n\nFrom the body\n\n');
    assert.equal(splitMbox(Buffer.from('Subject: x\n\nno separator\n')).length, 1, 'a single message file');
    assert.equal(plain[0].commit, undefined, 'a short id is not format-patch\u2019s commit');
  });

  it('sends a patch to a file with CRLF line endings quoted-printable, and git am gives back the same tree', async () => {
    const repo = scratchRepo();
    try {
      writeFileSync(join(repo.dir, 'dos.txt'), 'one\r\ntwo\r\n');
      git(repo.dir, ['add', 'dos.txt']);
      git(repo.dir, ['commit', '-q', '-m', 'Add a DOS file\n\nSigned-off-by: Sam Sender <sam@example.com>']);
      const base = git(repo.dir, ['rev-parse', 'HEAD~1']).trim();
      git(repo.dir, ['format-patch', '-q', '-o', 'one', '-1']);
      const io = recordingIo();
      io.cwd = repo.dir;
      io.env = { ...process.env, MAILSMITH_STATE_DIR: join(repo.dir, '.state') } as Record<string, string>;
      const code = await main(['series', 'one', '--to', 'list@example.org', '--from', SENDER, '--yes'], io);
      assert.equal(code, 0, io.out + io.err);
      const captured = readFileSync(/Captured in (.*)$/m.exec(io.out)![1]);
      assert.match(captured.toString('latin1'), /^Content-Transfer-Encoding: quoted-printable\r$/m);
      assert.match(captured.toString('latin1'), /^\+one=0D\r$/m, 'the CR that is content is encoded, not taken for a line break');
      assert.deepEqual(applyReceived({ ...repo, base }, [captured]), commitsAfter(repo.dir, base));
    } finally {
      repo.close();
    }
  });
});

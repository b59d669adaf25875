// Which local files may travel with a message: real files on disk, inside the message's folder tree, unless
// the user allowed otherwise; never /proc, devices, FIFOs or folders. Each case against the real file system.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectFile, readInspectedFile, type FileScope } from '../../../src/core/document/fileScope';

describe('file scope: which named files may travel', () => {
  let base: string;
  let repo: string;
  let scope: FileScope;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'mailsmith-scope-'));
    repo = join(base, 'repo');
    mkdirSync(join(repo, 'mail', 'files'), { recursive: true });
    writeFileSync(join(repo, 'mail', 'files', 'report.pdf'), 'PDF');
    writeFileSync(join(repo, 'notes.txt'), 'notes');
    mkdirSync(join(base, 'home', '.ssh'), { recursive: true });
    writeFileSync(join(base, 'home', '.ssh', 'id_rsa'), 'PRIVATE KEY');
    symlinkSync(join(base, 'home', '.ssh', 'id_rsa'), join(repo, 'mail', 'report-link.pdf'));
    symlinkSync(join(repo, 'notes.txt'), join(repo, 'mail', 'notes-link.txt'));
    symlinkSync('/proc/self/environ', join(repo, 'mail', 'env.txt'));
    execFileSync('mkfifo', [join(repo, 'mail', 'pipe')]);
    scope = { root: repo, allowOutside: false };
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  const dir = () => join(repo, 'mail');

  it('lets a file inside the tree travel, with its real path and size', async () => {
    const state = await inspectFile('files/report.pdf', dir(), scope);
    assert.equal(state.status, 'ok');
    const { identity, ...rest } = state as Extract<typeof state, { status: 'ok' }>;
    assert.deepEqual(rest, { status: 'ok', absolutePath: join(repo, 'mail', 'files', 'report.pdf'), realPath: join(repo, 'mail', 'files', 'report.pdf'), size: 3, outside: false });
    assert.equal(identity.ino, statSync(join(repo, 'mail', 'files', 'report.pdf')).ino);
    const inside = await inspectFile('../notes.txt', dir(), scope);
    assert.equal(inside.status, 'ok', 'a .. that stays inside the tree is fine');
    const viaLink = await inspectFile('notes-link.txt', dir(), scope);
    assert.equal(viaLink.status, 'ok', 'a symlink that stays inside the tree is fine');
    assert.equal(viaLink.status === 'ok' && viaLink.realPath, join(repo, 'notes.txt'));
  });

  for (const [how, path] of [
    ['an absolute path', () => join(base, 'home', '.ssh', 'id_rsa')],
    ['a path up and out with ..', () => '../../home/.ssh/id_rsa'],
    ['a symlink that leads out', () => 'report-link.pdf'],
  ] as const) {
    it(`refuses a file outside the tree reached through ${how}, naming where it really is`, async () => {
      const state = await inspectFile(path(), dir(), scope);
      assert.equal(state.status, 'outside');
      assert.equal(state.status === 'outside' && state.realPath, join(base, 'home', '.ssh', 'id_rsa'));
      assert.match(state.status === 'outside' ? state.reason : '', /outside .*only sent when you allow it/);
      const allowed = await inspectFile(path(), dir(), { root: repo, allowOutside: true });
      assert.equal(allowed.status, 'ok', 'the user may allow it');
      assert.equal(allowed.status === 'ok' && allowed.outside, true, 'and it stays marked as outside');
    });
  }

  it('never lets /proc, devices, FIFOs or folders travel, even when outside files are allowed', async () => {
    const everywhere: FileScope = { root: repo, allowOutside: true };
    for (const [path, reason] of [
      ['/proc/self/environ', /system file/],
      ['env.txt', /system file/],
      ['/dev/zero', /system file/],
      ['pipe', /named pipe/],
      ['files', /folder/],
    ] as const) {
      const state = await inspectFile(path, dir(), everywhere);
      assert.equal(state.status, 'not-regular', path);
      assert.match(state.status === 'not-regular' ? state.reason : '', reason, path);
    }
  });

  it('says what is missing, and asks an unsaved draft to be saved for a relative path', async () => {
    assert.deepEqual(await inspectFile('nowhere.pdf', dir(), scope), { status: 'missing', absolutePath: join(dir(), 'nowhere.pdf'), reason: 'no such file' });
    assert.deepEqual(await inspectFile('x.pdf', undefined, scope), { status: 'no-folder' });
    const draft = await inspectFile(join(repo, 'notes.txt'), undefined, { root: undefined, allowOutside: false });
    assert.equal(draft.status, 'outside', 'a draft in no folder may not pick files from anywhere');
    assert.match(draft.status === 'outside' ? draft.reason : '', /in no folder yet/);
  });

  it('reads exactly the file that was inspected: one swapped for a symlink since is refused', async () => {
    const target = join(repo, 'mail', 'files', 'swap.txt');
    writeFileSync(target, 'shown to the user');
    const state = await inspectFile('files/swap.txt', dir(), scope);
    assert.equal(state.status, 'ok');
    if (state.status !== 'ok') return;
    assert.equal((await readInspectedFile(state)).toString(), 'shown to the user');
    renameSync(target, `${target}.old`);
    symlinkSync(join(base, 'home', '.ssh', 'id_rsa'), target);
    await assert.rejects(readInspectedFile(state), /ELOOP|changed while/);
    rmSync(target);
    writeFileSync(target, 'another file, same name');
    await assert.rejects(readInspectedFile(state), /changed while it was being read/);
  });
});

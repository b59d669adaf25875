// The neighbours of each file-scope rule, against the real file system: a folder whose name starts with
// `..` next to a real `..`, the scope root through a symlink or gone, no scope next to an empty one, every
// way a named file can be missing or unreadable, a socket and a device next to the FIFO, and the reader
// that must send exactly the file that was inspected (its device, its inode, no symlink) and give its
// handle back every time.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspectFile, readInspectedFile, type FileScope, type FileState } from '../../../src/core/document/fileScope';
import { workCounts } from '../../../src/core/probe';

type Ok = Extract<FileState, { status: 'ok' }>;

function ok(state: FileState): Ok {
  assert.equal(state.status, 'ok', JSON.stringify(state));
  return state as Ok;
}

function reasonOf(state: FileState): string {
  return 'reason' in state ? state.reason : '';
}

/** The file descriptors this process holds open (Linux): a reader that forgets to close one leaks it. */
function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

describe('file scope: the neighbours of each rule', () => {
  let base: string;
  let repo: string;
  let outsideFile: string;
  let scope: FileScope;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'mailsmith-scope-n-'));
    repo = join(base, 'repo');
    mkdirSync(join(repo, '..drafts'), { recursive: true });
    mkdirSync(join(repo, '...'), { recursive: true });
    writeFileSync(join(repo, '..drafts', 'plan.txt'), 'plan');
    writeFileSync(join(repo, '...', 'dots.txt'), 'dots');
    writeFileSync(join(repo, 'notes.txt'), 'notes');
    symlinkSync(join(repo, 'notes.txt'), join(repo, 'notes-link.txt'));
    symlinkSync(join(repo, 'loop-b'), join(repo, 'loop-a'));
    symlinkSync(join(repo, 'loop-a'), join(repo, 'loop-b'));
    symlinkSync(join(repo, 'gone.txt'), join(repo, 'dangling.txt'));
    symlinkSync('/dev/null', join(repo, 'null-link'));
    outsideFile = join(base, 'outside.txt');
    writeFileSync(outsideFile, 'outside');
    symlinkSync(repo, join(base, 'repo-link'));
    scope = { root: repo, allowOutside: false };
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  describe('inside or outside the tree', () => {
    it('a folder whose name starts with two dots is inside the tree; a real .. is not', async () => {
      assert.equal(ok(await inspectFile('..drafts/plan.txt', repo, scope)).outside, false);
      assert.equal(ok(await inspectFile('.../dots.txt', repo, scope)).outside, false);
      assert.equal((await inspectFile('../outside.txt', repo, scope)).status, 'outside');
      assert.equal((await inspectFile('..drafts/../../outside.txt', repo, scope)).status, 'outside');
    });

    it('a scope root reached through a symlink still holds its own files, and refuses the rest', async () => {
      const linked: FileScope = { root: join(base, 'repo-link'), allowOutside: false };
      const state = ok(await inspectFile('notes.txt', join(base, 'repo-link'), linked));
      assert.deepEqual([state.absolutePath, state.realPath, state.outside], [join(base, 'repo-link', 'notes.txt'), join(repo, 'notes.txt'), false]);
      const out = await inspectFile(outsideFile, repo, linked);
      assert.equal(out.status, 'outside');
      assert.equal(reasonOf(out), `it is outside ${repo}: files outside the message's folder tree are only sent when you allow it`, 'the root is named by its real path');
    });

    it('a scope root that does not exist is taken as written (resolved), and holds nothing that does', async () => {
      const gone = join(base, 'no-such-root');
      const state = await inspectFile('notes.txt', repo, { root: gone, allowOutside: false });
      assert.equal(reasonOf(state), `it is outside ${gone}: files outside the message's folder tree are only sent when you allow it`);
      // A root whose path only resolves once `..` is taken literally (its first folder is missing): the
      // files under the resolved path are inside it.
      const literal = ok(await inspectFile('notes.txt', repo, { root: join(base, 'missing-folder', '..', 'repo'), allowOutside: false }));
      assert.equal(literal.outside, false);
      const relativeRoot = await inspectFile(outsideFile, repo, { root: 'no-such-relative-root', allowOutside: false });
      assert.equal(reasonOf(relativeRoot), `it is outside ${resolve('no-such-relative-root')}: files outside the message's folder tree are only sent when you allow it`);
    });

    it('names where a symlink really leads, and says nothing of the kind for a plain path', async () => {
      symlinkSync(outsideFile, join(repo, 'out-link.txt'));
      try {
        const viaLink = await inspectFile('out-link.txt', repo, scope);
        assert.deepEqual(viaLink, {
          status: 'outside',
          absolutePath: join(repo, 'out-link.txt'),
          realPath: outsideFile,
          size: 7,
          reason: `it is outside ${repo} (it leads to ${outsideFile}): files outside the message's folder tree are only sent when you allow it`,
        });
        const direct = await inspectFile(outsideFile, repo, scope);
        assert.deepEqual(direct, {
          status: 'outside',
          absolutePath: outsideFile,
          realPath: outsideFile,
          size: 7,
          reason: `it is outside ${repo}: files outside the message's folder tree are only sent when you allow it`,
        });
      } finally {
        rmSync(join(repo, 'out-link.txt'));
      }
    });

    it('no scope at all checks nothing: every regular file may travel and none is marked outside', async () => {
      const state = ok(await inspectFile(outsideFile, repo, undefined));
      assert.equal(state.outside, false);
      assert.equal(state.size, 7);
    });

    it('a draft in no folder: refused by default, allowed and marked outside when the user allows it', async () => {
      const refused = await inspectFile(outsideFile, undefined, { root: undefined, allowOutside: false });
      assert.equal(reasonOf(refused), "the message is in no folder yet: files outside the message's folder tree are only sent when you allow it");
      const allowed = ok(await inspectFile(outsideFile, undefined, { root: undefined, allowOutside: true }));
      assert.equal(allowed.outside, true);
      assert.deepEqual(await inspectFile('relative.txt', '', scope), { status: 'no-folder' }, 'an empty folder name is no folder');
    });

    it('an absolute path is used as it is, normalised, whatever folder the document is in', async () => {
      const state = ok(await inspectFile(join(repo, 'x', '..', 'notes.txt'), join(base, 'elsewhere'), scope));
      assert.equal(state.absolutePath, join(repo, 'notes.txt'));
    });
  });

  describe('what is not a file of yours', () => {
    it('the pseudo-file systems themselves, not only what is under them, are system files', async () => {
      for (const path of ['/proc', '/sys', '/dev', '/proc/self/environ', '/sys/kernel', '/dev/null']) {
        const state = await inspectFile(path, repo, { root: '/', allowOutside: true });
        assert.equal(state.status, 'not-regular', path);
        assert.match(reasonOf(state), /^it is a system file \(\/(proc|sys|dev)\b/, path);
      }
      const viaLink = await inspectFile('null-link', repo, scope);
      assert.deepEqual(viaLink, { status: 'not-regular', absolutePath: join(repo, 'null-link'), realPath: '/dev/null', reason: 'it is a system file (/dev/null), not a file of yours' });
    });

    it('a socket is named as a socket', async () => {
      const socketPath = join(base, 'agent.sock');
      const server: Server = createServer();
      await new Promise<void>((done) => server.listen(socketPath, done));
      try {
        const state = await inspectFile(socketPath, repo, { root: base, allowOutside: true });
        assert.deepEqual(state, { status: 'not-regular', absolutePath: socketPath, realPath: socketPath, reason: 'it is a socket, not a file' });
      } finally {
        await new Promise<void>((done) => server.close(() => done()));
      }
    });

    it('a device node outside /dev is a device (needs mknod: skipped where it is not permitted)', async function () {
      const char = join(base, 'null-copy');
      const block = join(base, 'loop-copy');
      try {
        execFileSync('mknod', [char, 'c', '1', '3'], { stdio: 'ignore' });
        execFileSync('mknod', [block, 'b', '7', '200'], { stdio: 'ignore' });
      } catch {
        this.skip();
      }
      for (const path of [char, block]) {
        const state = await inspectFile(path, repo, { root: base, allowOutside: true });
        assert.deepEqual(state, { status: 'not-regular', absolutePath: path, realPath: path, reason: 'it is a device, not a file' }, path);
      }
    });

    it('a folder and a FIFO keep their own names', async () => {
      execFileSync('mkfifo', [join(base, 'fifo')]);
      assert.equal(reasonOf(await inspectFile('..drafts', repo, scope)), 'it is a folder, not a file');
      assert.equal(reasonOf(await inspectFile(join(base, 'fifo'), repo, { root: base, allowOutside: false })), 'it is a named pipe (FIFO), not a file');
    });
  });

  describe('missing or unreadable', () => {
    it('a path through a file, a dangling symlink and a symlink loop are missing, each with its reason', async () => {
      assert.deepEqual(await inspectFile('notes.txt/inner', repo, scope), { status: 'missing', absolutePath: join(repo, 'notes.txt', 'inner'), reason: 'no such file' });
      assert.deepEqual(await inspectFile('dangling.txt', repo, scope), { status: 'missing', absolutePath: join(repo, 'dangling.txt'), reason: 'no such file' });
      assert.deepEqual(await inspectFile('loop-a', repo, scope), { status: 'missing', absolutePath: join(repo, 'loop-a'), reason: 'a symlink loop' });
    });

    it('any other failure is unreadable, with its error code', async () => {
      const path = join(repo, 'x'.repeat(300));
      assert.deepEqual(await inspectFile(path, repo, scope), { status: 'unreadable', absolutePath: path, reason: 'ENAMETOOLONG' });
    });

    it('counts one look at the disk per named file, found or not', async () => {
      const before = workCounts().fileStat;
      await inspectFile('notes.txt', repo, scope);
      await inspectFile('nowhere.txt', repo, scope);
      await inspectFile('relative.txt', undefined, scope);
      assert.equal(workCounts().fileStat - before, 2, 'a relative path with no folder is not looked up');
    });
  });

  describe('reading what was inspected', () => {
    it('reads the file and gives its descriptor back, whether it reads or refuses', async () => {
      const state = ok(await inspectFile('notes.txt', repo, scope));
      const before = openDescriptors();
      assert.equal((await readInspectedFile(state)).toString(), 'notes');
      assert.equal(openDescriptors(), before, 'after a read');
      await assert.rejects(readInspectedFile({ ...state, identity: { ...state.identity, ino: state.identity.ino + 1 } }), /changed while it was being read/);
      assert.equal(openDescriptors(), before, 'after a refusal');
    });

    it('another inode, or the same inode on another device, is another file', async () => {
      const state = ok(await inspectFile('notes.txt', repo, scope));
      assert.equal(state.identity.dev, statSync(join(repo, 'notes.txt')).dev);
      await assert.rejects(readInspectedFile({ ...state, identity: { dev: state.identity.dev, ino: state.identity.ino + 1 } }), new RegExp(`^Error: ${join(repo, 'notes.txt')} changed while it was being read$`));
      await assert.rejects(readInspectedFile({ ...state, identity: { dev: state.identity.dev + 1, ino: state.identity.ino } }), /changed while it was being read/);
    });

    it('a symlink swapped in is not followed, even one that leads back to the very file inspected', async () => {
      const target = join(repo, 'swap.txt');
      writeFileSync(target, 'shown');
      const state = ok(await inspectFile('swap.txt', repo, scope));
      renameSync(target, `${target}.moved`);
      symlinkSync(`${target}.moved`, target);
      await assert.rejects(readInspectedFile(state), { code: 'ELOOP' });
    });
  });
});

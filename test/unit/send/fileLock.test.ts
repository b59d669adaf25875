// Issue #16: the lock every Mailsmith process takes around the hourly limit's read-change-write
// (src/core/send/fileLock.ts), with real processes and real folders. Mutual exclusion across processes;
// a live holder waited for (and given up on after waitMs, naming the lock); the neighbours of "stale": an
// owner gone on this machine (broken) next to one on another machine or one this user may not signal (kept),
// an owner file not written yet or not Mailsmith's (judged by age only), exactly the given staleMs and
// the defaults; a breaker at work left alone, a breaker that died cleared; a holder whose lock was broken
// and taken over leaves the new holder's lock in place.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { LockBusyError, withFileLock } from '../../../src/core/send/fileLock';

const CHILD = join(__dirname, '..', '..', 'support', 'lockChild.js');

interface OwnerRecord {
  pid: unknown;
  host: unknown;
  token: unknown;
  at: unknown;
}

/** A child process running test/support/lockChild.ts, and its output lines as they come. */
interface Child {
  proc: ChildProcess;
  next(): Promise<string>;
  exited: Promise<number | null>;
}

function startChild(args: string[], options: { uid?: number; gid?: number; script?: string[] } = {}): Child {
  // Under Stryker the mutant under test is switched on in this process only; a child is given the same one,
  // so that every process taking part runs the same code.
  const active = (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__?.activeMutant;
  const env = { ...process.env, ...(active === undefined ? {} : { __STRYKER_ACTIVE_MUTANT__: active }) };
  const { script = [CHILD], ...ids } = options;
  const proc = spawn(process.execPath, [...script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env, ...ids });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => (waiting.length ? waiting.shift()!(line) : lines.push(line)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
  const next = () =>
    lines.length
      ? Promise.resolve(lines.shift()!)
      : Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited.then((code) => Promise.reject(new Error(`the child exited (${code}) before saying more`)))]);
  return { proc, next, exited };
}

/** The pid of a real process that has exited: nothing runs under it any more. */
async function deadPid(): Promise<number> {
  const dead = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => dead.once('exit', resolve));
  return dead.pid!;
}

/** `promise`, or a failure saying `what` if it has not settled within `ms`. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Blocks this process (as a synchronous holder does) until `probe` holds; fails after 15 s. */
function blockUntil(what: string, probe: () => boolean): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 15_000;
  while (!probe()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    Atomics.wait(pause, 0, 0, 5);
  }
}

describe('file lock: one holder at a time across processes', function () {
  this.timeout(60_000); // child processes loading Node on a busy machine
  let dir: string;
  let lockPath: string;
  const children: Child[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-lock-'));
    lockPath = join(dir, 'hourly-sends.json.lock');
  });
  afterEach(async () => {
    writeFileSync(join(dir, 'release'), '');
    for (const c of children.splice(0)) {
      if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill();
      await c.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const owner = (): OwnerRecord => JSON.parse(readFileSync(join(lockPath, 'owner.json'), 'utf8')) as OwnerRecord;
  const busy = (options: { waitMs?: number; staleMs?: number } = {}) => withFileLock(lockPath, () => 'ran', { waitMs: 300, ...options });
  /** A lock folder as a holder leaves it: its owner file (if any), and its age. */
  function leaveLock(record: object | undefined, ageMs = 0, path = lockPath): void {
    mkdirSync(path);
    if (record) writeFileSync(join(path, 'owner.json'), JSON.stringify(record));
    const at = new Date(Date.now() - ageMs);
    utimesSync(path, at, at);
  }
  async function assertBusy(run: Promise<unknown>): Promise<void> {
    await assert.rejects(run, (err: Error) => {
      assert.ok(err instanceof LockBusyError, `${err.constructor.name}: ${err.message}`);
      assert.equal(err.message, `the lock ${lockPath} stayed taken by another Mailsmith process`);
      return true;
    });
  }
  async function startHolder(): Promise<Child> {
    const holder = startChild(['hold', lockPath, join(dir, 'release')]);
    children.push(holder);
    assert.equal(await holder.next(), 'holding');
    return holder;
  }

  describe('holding and releasing', () => {
    it('the work runs holding a lock folder that names this process, its result comes back, and nothing is left', async () => {
      const before = Date.now();
      const result = await withFileLock(lockPath, () => {
        const held = owner();
        assert.equal(held.pid, process.pid);
        assert.equal(held.host, hostname());
        assert.match(String(held.token), /^[0-9a-f]{16}$/);
        assert.ok(typeof held.at === 'number' && held.at >= before && held.at <= Date.now(), `at ${String(held.at)}`);
        return 42;
      });
      assert.equal(result, 42);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('each holder gets a token of its own', async () => {
      const tokens = new Set<unknown>();
      for (let i = 0; i < 5; i++) await withFileLock(lockPath, () => tokens.add(owner().token));
      assert.equal(tokens.size, 5);
    });

    it('work that throws: its error comes out and the lock is released', async () => {
      await assert.rejects(
        withFileLock(lockPath, () => {
          throw new Error('the state file is unreadable');
        }),
        /the state file is unreadable/,
      );
      assert.deepEqual(readdirSync(dir), []);
      assert.equal(await withFileLock(lockPath, () => 'next', { waitMs: 0 }), 'next');
    });

    it('a lock folder that cannot be made (its parent is missing): the file system error at once, not a wait', async () => {
      const nowhere = join(dir, 'missing', 'x.lock');
      const started = Date.now();
      await assert.rejects(withFileLock(nowhere, () => 'ran', { waitMs: 5_000 }), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
      assert.ok(Date.now() - started < 4_000, 'it did not wait for the lock');
    });

    it('a lock that vanished while its holder worked: the result still comes back', async () => {
      assert.equal(await withFileLock(lockPath, () => (rmSync(lockPath, { recursive: true }), 'done')), 'done');
      assert.deepEqual(readdirSync(dir), []);
    });

    it('a holder whose lock was broken as stale and taken by another process leaves the new holder its lock', async () => {
      let taker: Child | undefined;
      await withFileLock(lockPath, () => {
        // This holder stalls past staleMs (its folder made old); another process breaks the lock and takes it.
        const past = new Date(Date.now() - 60_000);
        utimesSync(lockPath, past, past);
        taker = startChild(['hold', lockPath, join(dir, 'release')]);
        children.push(taker);
        const takerPid = taker.proc.pid;
        blockUntil('the other process to hold the lock', () => {
          try {
            return owner().pid === takerPid;
          } catch {
            return false;
          }
        });
      });
      assert.equal(await taker!.next(), 'holding');
      assert.equal(owner().pid, taker!.proc.pid, 'the new holder still holds it');
      writeFileSync(join(dir, 'release'), '');
      assert.equal(await taker!.next(), 'released');
      assert.deepEqual(readdirSync(dir), ['release']);
    });
  });

  describe('a live holder in another process', () => {
    it('is waited for, never broken: after waitMs the waiter gives up with LockBusyError naming the lock', async () => {
      const holder = await startHolder();
      const held = owner();
      assert.equal(held.pid, holder.proc.pid);
      const started = Date.now();
      await assertBusy(busy({ waitMs: 300 }));
      const waited = Date.now() - started;
      assert.ok(waited >= 300 && waited < 8_000, `waited ${waited} ms for a waitMs of 300`);
      assert.deepEqual(owner(), held, 'the holder still holds its own lock');
    });

    it('once it lets go, the waiter takes the lock and runs its work', async () => {
      const holder = await startHolder();
      await assertBusy(busy({ waitMs: 100 }));
      const waiter = withFileLock(
        lockPath,
        () => {
          assert.ok(existsSync(join(dir, 'release')), 'the waiter ran only after the holder was told to let go');
          assert.equal(owner().pid, process.pid);
          return 'mine';
        },
        { waitMs: 30_000 },
      );
      writeFileSync(join(dir, 'release'), '');
      assert.equal(await waiter, 'mine');
      assert.equal(await holder.next(), 'released');
      assert.deepEqual(readdirSync(dir), ['release']);
    });

    it('four processes counting in one file under the lock lose no count', async () => {
      const counter = join(dir, 'count');
      writeFileSync(counter, '0');
      const counting = [0, 1, 2].map(() => startChild(['count', lockPath, counter, '30']));
      children.push(...counting);
      for (let i = 0; i < 30; i++) {
        await withFileLock(lockPath, () => {
          const n = Number(readFileSync(counter, 'utf8'));
          writeFileSync(counter, String(n + 1));
        });
      }
      assert.deepEqual(await Promise.all(counting.map((c) => c.next())), ['done', 'done', 'done']);
      assert.equal(readFileSync(counter, 'utf8'), '120');
      assert.deepEqual(readdirSync(dir), ['count'], 'no lock or breaker folder is left');
    });
  });

  describe('stale: broken only when its holder cannot be holding it', () => {
    it('an owner on this machine whose process has exited: broken at once, and no breaker folder is left', async () => {
      leaveLock({ pid: await deadPid(), host: hostname(), token: 'dead', at: Date.now() });
      assert.equal(await withFileLock(lockPath, () => owner().pid, { waitMs: 0 }), process.pid);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('an owner on another machine is not judged by its pid (it may be alive there): only by age', async () => {
      leaveLock({ pid: await deadPid(), host: 'another-machine.example', token: 'far', at: Date.now() });
      await assertBusy(busy());
      assert.equal(owner().token, 'far');
      const past = new Date(Date.now() - 60_000);
      utimesSync(lockPath, past, past);
      assert.equal(await busy({ staleMs: 5_000 }), 'ran');
    });

    it('a holder this user may not signal (EPERM) is alive; one that has exited is not', async function () {
      leaveLock({ pid: await deadPid(), host: hostname(), token: 'dead', at: Date.now() });
      assert.equal(await busy(), 'ran', 'the exited one is broken');
      if (process.getuid?.() === 0) {
        // As root every signal is allowed: the waiter runs as nobody, against a holder running as root (this
        // process). Nobody may not read this project's folders (Stryker's copy is owner-only): the module is
        // copied next to the lock.
        leaveLock({ pid: process.pid, host: hostname(), token: 'root', at: Date.now() });
        chmodSync(dir, 0o777);
        copyFileSync(require.resolve('../../../src/core/send/fileLock'), join(dir, 'fileLock.js'));
        const waitOnce = `require(${JSON.stringify(join(dir, 'fileLock.js'))}).withFileLock(process.argv[1], () => 0, { waitMs: 300, staleMs: 60000 }).then(
          () => console.log(JSON.stringify({ status: 'acquired' })),
          (err) => console.log(JSON.stringify({ status: 'threw', name: err.constructor.name, message: err.message })))`;
        const waiter = startChild([lockPath], { uid: 65534, gid: 65534, script: ['-e', waitOnce] });
        children.push(waiter);
        assert.deepEqual(JSON.parse(await waiter.next()), { status: 'threw', name: 'LockBusyError', message: `the lock ${lockPath} stayed taken by another Mailsmith process` });
      } else {
        // pid 1 belongs to another user wherever the tests do not run as root (or, in a container, is alive anyway).
        leaveLock({ pid: 1, host: hostname(), token: 'init', at: Date.now() });
        await assertBusy(busy());
      }
      assert.equal(owner().token, process.getuid?.() === 0 ? 'root' : 'init', 'not broken');
    });

    it('a lock whose owner file is not written yet is waited for; older than staleMs it is broken', async () => {
      leaveLock(undefined);
      await assertBusy(busy());
      assert.ok(existsSync(lockPath));
      rmSync(lockPath, { recursive: true });
      leaveLock(undefined, 60_000);
      assert.equal(await busy({ staleMs: 5_000 }), 'ran');
    });

    for (const [what, record] of [
      ['a pid that is not a number', { pid: 'not-a-pid', token: 't' }],
      ['no token', { pid: 0 }],
    ] as const) {
      it(`an owner file that is not Mailsmith's (${what}) is judged by age only`, async () => {
        // The pid, read as one, would be dead (or this process group): the lock must still not be broken.
        const pid = typeof record.pid === 'number' ? await deadPid() : record.pid;
        leaveLock({ ...record, pid, host: hostname(), at: Date.now() });
        await assertBusy(busy());
        const past = new Date(Date.now() - 60_000);
        utimesSync(lockPath, past, past);
        assert.equal(await busy({ staleMs: 5_000 }), 'ran');
      });
    }

    it("staleMs given: a live holder's lock older than it is broken, a younger one is not", async () => {
      const alive = { pid: process.pid, host: hostname(), token: 'alive', at: Date.now() };
      leaveLock(alive, 3_000);
      await assertBusy(busy({ staleMs: 30_000 }));
      assert.equal(await busy({ staleMs: 1_000 }), 'ran');
    });

    it("staleMs by default 10 s: a live holder's lock 12 s old is broken, one 7 s old is not", async () => {
      const alive = { pid: process.pid, host: hostname(), token: 'alive', at: Date.now() };
      leaveLock(alive, 7_000);
      await assertBusy(withFileLock(lockPath, () => 'ran', { waitMs: 300 }));
      rmSync(lockPath, { recursive: true });
      leaveLock(alive, 12_000);
      assert.equal(await withFileLock(lockPath, () => 'ran', { waitMs: 300 }), 'ran');
    });
  });

  describe('one breaker at a time (the <lock>.break folder)', () => {
    it('a breaker at work (a fresh .break folder): the waiter leaves the stale lock to it', async () => {
      leaveLock({ pid: await deadPid(), host: hostname(), token: 'dead', at: Date.now() });
      leaveLock(undefined, 0, `${lockPath}.break`);
      await assertBusy(busy());
      assert.equal(owner().token, 'dead');
      assert.ok(existsSync(`${lockPath}.break`), "the other breaker's folder is left to it");
    });

    it('a breaker that died (a .break older than staleMs) is cleared, then the stale lock is broken', async () => {
      leaveLock({ pid: await deadPid(), host: hostname(), token: 'dead', at: Date.now() });
      leaveLock(undefined, 60_000, `${lockPath}.break`);
      assert.equal(await busy({ waitMs: 5_000, staleMs: 5_000 }), 'ran');
      assert.deepEqual(readdirSync(dir), []);
    });
  });

  describe('something at the lock path whose age cannot be read', () => {
    it('a dangling link: never removed, never spun on; the waiter gives up after waitMs with LockBusyError', async () => {
      // Its age reads as "gone", like a lock released since the try: removing it could remove a new holder's
      // lock, and trying again at once without pausing or looking at the clock spins forever.
      const target = join(dir, 'nowhere');
      symlinkSync(target, lockPath);
      // In a child first: a spinning waiter blocks its own process, so only another one can see it and stop it.
      const child = startChild(['wait', lockPath, '300']);
      children.push(child);
      const answer = await within(20_000, 'the waiter said nothing in 20 s: it spins on the lock path', child.next());
      assert.deepEqual(JSON.parse(answer), { status: 'threw', name: 'LockBusyError', message: `the lock ${lockPath} stayed taken by another Mailsmith process` });
      // Then here (the process whose code Stryker's per-test coverage sees).
      const started = Date.now();
      await assertBusy(busy({ waitMs: 300 }));
      assert.ok(Date.now() - started >= 300, 'it waited for waitMs');
      assert.equal(readlinkSync(lockPath), target, 'the link is left as it was');
      assert.deepEqual(readdirSync(dir), [basename(lockPath)], 'no breaker folder is left');
    });
  });

  describe('waiting by default', () => {
    it('waitMs by default 10 s: a live holder is waited for that long, then LockBusyError', async () => {
      leaveLock({ pid: process.pid, host: hostname(), token: 'alive', at: Date.now() });
      const started = Date.now();
      await assertBusy(withFileLock(lockPath, () => 'ran', { staleMs: 120_000 }));
      const waited = Date.now() - started;
      assert.ok(waited >= 10_000 && waited < 30_000, `waited ${waited} ms`);
    });
  });

  describe('the pause between tries', () => {
    it('the pause between tries stays short: each of three waiters gives up between waitMs and waitMs + 1 s', async () => {
      // The pause doubles from 2 ms up to 50 ms, plus a jitter under as much again: the last try comes at most
      // about 100 ms after waitMs. A pause doubling without that bound (2, 50, 100, ... 3200 ms, each plus a
      // jitter under as much again) makes a waiter of waitMs 6 s give up anywhere from 6.0 to 12.7 s, within a
      // second of waitMs about once in 100 runs (worked out over the jitter, with timers 50 ms late): all three
      // that close, about once in a million.
      leaveLock({ pid: process.pid, host: hostname(), token: 'alive', at: Date.now() });
      const waitMs = 6_000;
      const waited = await Promise.all(
        [0, 1, 2].map(async () => {
          const started = Date.now();
          await assertBusy(withFileLock(lockPath, () => 'ran', { waitMs, staleMs: 120_000 }));
          return Date.now() - started;
        }),
      );
      for (const ms of waited) assert.ok(ms >= waitMs && ms < waitMs + 1_000, `waited ${waited.join(', ')} ms for a waitMs of ${waitMs}`);
    });

    it('a waiter sleeps between tries: its process spends under 5 % of the wait on the CPU', async () => {
      // The send waits for the lock on the extension host's thread: a waiter that spun (a pause shrinking
      // to nothing, each try one timer tick apart) would take 13-15 % of a core for the whole wait, as
      // measured by hand at a load average of 13; sleeping 2 to 100 ms between tries takes about 1 %.
      leaveLock({ pid: process.pid, host: hostname(), token: 'alive', at: Date.now() });
      // The same wait in this process, briefly: the one whose coverage Stryker reads to pick this test.
      await assertBusy(withFileLock(lockPath, () => 'ran', { waitMs: 200, staleMs: 120_000 }));
      // Measured in a process that does nothing else: this one's garbage collections and what earlier tests
      // left running would count too.
      const child = startChild(['waitcpu', lockPath, '3000']);
      children.push(child);
      const { cpuMs, wallMs } = JSON.parse(await child.next()) as { cpuMs: number; wallMs: number };
      assert.ok(wallMs >= 3_000, `waited ${wallMs} ms`);
      assert.ok(cpuMs < wallMs * 0.05, `${cpuMs.toFixed(1)} ms on the CPU in ${wallMs} ms of waiting`);
    });
  });
});

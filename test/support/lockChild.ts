// A Mailsmith process of its own for the file-lock tests (test/unit/send/fileLock.test.ts): the lock is
// shared by processes, so its tests need real ones. Modes:
//   hold LOCK RELEASE_FILE    takes the lock, says "holding", keeps it (its work is synchronous, as the
//                             hourly limit's is) until RELEASE_FILE exists, then says "released" and exits.
//   wait LOCK WAIT_MS         tries once to take the lock, waiting at most WAIT_MS; says how it ended, as JSON
//                             ({"status":"acquired"} or {"status":"threw","name":...,"message":...}), and exits.
//   waitcpu LOCK WAIT_MS      waits for a lock another process holds, at most WAIT_MS, and says the CPU time it
//                             spent meanwhile and the time it waited, as JSON ({"cpuMs":...,"wallMs":...}).
//   count LOCK COUNTER_FILE N N times: under the lock, reads the number in COUNTER_FILE and writes it back
//                             plus one (a read-change-write that loses counts without the lock); says "done".
// Usage: node out/test/support/lockChild.js MODE ...
import { existsSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { withFileLock } from '../../src/core/send/fileLock';

const say = (line: string) => writeSync(1, `${line}\n`);
const [mode, lockPath, ...rest] = process.argv.slice(2);

async function main(): Promise<void> {
  if (mode === 'hold') {
    const [releaseFile] = rest;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    await withFileLock(lockPath, () => {
      say('holding');
      // A synchronous holder, like the hourly limit's read-change-write: it blocks until told to let go.
      while (!existsSync(releaseFile)) Atomics.wait(pause, 0, 0, 5);
    });
    say('released');
  } else if (mode === 'wait') {
    const [waitMs] = rest;
    await withFileLock(lockPath, () => 0, { waitMs: Number(waitMs) }).then(
      () => say(JSON.stringify({ status: 'acquired' })),
      (err: Error) => say(JSON.stringify({ status: 'threw', name: err.constructor.name, message: err.message })),
    );
  } else if (mode === 'waitcpu') {
    const [waitMs] = rest;
    const started = Date.now();
    const before = process.cpuUsage();
    await withFileLock(lockPath, () => 0, { waitMs: Number(waitMs), staleMs: 120_000 }).catch(() => undefined);
    const cpu = process.cpuUsage(before);
    say(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: Date.now() - started }));
  } else if (mode === 'count') {
    const [counterFile, times] = rest;
    for (let i = 0; i < Number(times); i++) {
      await withFileLock(lockPath, () => {
        const n = Number(readFileSync(counterFile, 'utf8'));
        writeFileSync(counterFile, String(n + 1));
      });
    }
    say('done');
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    say(JSON.stringify({ status: 'crashed', message: err.message }));
    process.exit(1);
  },
);

// A lock shared by every process on this machine, for the few milliseconds it takes to read, change and
// write a small state file (the hourly-limit counts). `mkdir` is atomic on every local file system: the
// process that creates the folder holds the lock; the others wait and retry. A holder that died (a
// crash, a kill) leaves the folder behind: it is broken when its owner's process is gone or it is older
// than any holder would keep it. Only one process breaks a stale lock at a time (a second folder,
// `<lock>.break`), so two waiters cannot both break it and then both hold it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface LockOptions {
  /** Give up after waiting this long for a live holder (default 10 s). */
  waitMs?: number;
  /** A lock older than this is stale whoever holds it (default 10 s; holders keep it for milliseconds). */
  staleMs?: number;
}

interface Owner {
  pid: number;
  host: string;
  token: string;
  at: number;
}

export class LockBusyError extends Error {
  constructor(lockPath: string) {
    super(`the lock ${lockPath} stayed taken by another Mailsmith process`);
  }
}

/** Runs `work` (synchronous, short) while holding the lock at `lockPath`. */
export async function withFileLock<T>(lockPath: string, work: () => T, options: LockOptions = {}): Promise<T> {
  const waitMs = options.waitMs ?? 10_000;
  const staleMs = options.staleMs ?? 10_000;
  const giveUpAt = Date.now() + waitMs;
  let pause = 2;
  for (;;) {
    const token = tryAcquire(lockPath);
    if (token) {
      try {
        return work();
      } finally {
        release(lockPath, token);
      }
    }
    if (breakIfStale(lockPath, staleMs)) continue;
    if (Date.now() > giveUpAt) throw new LockBusyError(lockPath);
    await new Promise((r) => setTimeout(r, pause + Math.random() * pause));
    pause = Math.min(pause * 2, 50);
  }
}

function tryAcquire(lockPath: string): string | undefined {
  try {
    mkdirSync(lockPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  }
  const owner: Owner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), at: Date.now() };
  writeFileSync(join(lockPath, 'owner.json'), JSON.stringify(owner));
  return owner.token;
}

function release(lockPath: string, token: string): void {
  // Only our own lock: if it was broken as stale while we held it, the folder is someone else's now.
  if (readOwner(lockPath)?.token === token) removeFolder(lockPath);
}

function breakIfStale(lockPath: string, staleMs: number): boolean {
  if (!isStale(lockPath, staleMs)) return false;
  const breakPath = `${lockPath}.break`;
  try {
    mkdirSync(breakPath);
  } catch {
    // Another process is breaking it; a breaker that died long ago is removed so the next one can.
    if (ageMs(breakPath) > staleMs) removeFolder(breakPath);
    return false;
  }
  try {
    // Judged again under the breaker lock: the holder we saw may have finished and a live one taken over.
    if (isStale(lockPath, staleMs)) removeFolder(lockPath);
    return true;
  } finally {
    removeFolder(breakPath);
  }
}

function isStale(lockPath: string, staleMs: number): boolean {
  const age = ageMs(lockPath);
  // Gone is not stale: a lock released since we looked may be a new holder's by the time we would remove it
  // (the next try, one pause later, takes it if it is free). So is a dangling link at the lock path: never
  // removed, it is waited for until waitMs like a live holder, never tried again at once (that spun forever).
  if (age === Infinity) return false;
  if (age > staleMs) return true;
  const owner = readOwner(lockPath);
  return owner !== undefined && owner.host === hostname() && !processAlive(owner.pid);
}

/** Infinity when nothing is there (a dangling link counts as nothing); other file-system errors are thrown. */
function ageMs(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? Date.now() - stats.mtimeMs : Infinity;
}

/** Removes a lock or breaker folder; one another process removed first is no error. */
function removeFolder(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

function readOwner(lockPath: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(lockPath, 'owner.json'), 'utf8')) as Partial<Owner>;
    if (typeof owner.pid === 'number' && typeof owner.token === 'string') return owner as Owner;
  } catch {
    // Not written yet, half written, or not JSON: no owner to judge by.
  }
  return undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

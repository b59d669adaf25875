// The hourly send limit per account (user@host:port), kept in one small JSON file in the state folder
// that the CLI and the extension share (../state/paths.ts), so it holds across restarts and across every
// process that sends.
//
// A send takes a reservation before it connects (so before MAIL FROM): under a lock shared by every
// process (./fileLock.ts) it reads the file, counts the sends of the last hour, and writes its own
// entry if there is room, all in one step. The entry stays, and counts as a send, unless the attempt
// ends in a way that cannot have delivered anything (a failed outcome), which removes it. So a send that
// is killed after the final dot, or whose outcome is unknown, is counted; two sends at once can never
// both take the last place.
// The file holds account names, times and reservation ids only.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SmtpProfile } from '../profiles/profile';
import { withFileLock, type LockOptions } from './fileLock';

const HOUR_MS = 60 * 60 * 1000;

interface Entry {
  at: number;
  id: string;
}

/** Keyed by account; a Map, so that no name (`__proto__`, `constructor`) can reach Object.prototype. */
type RateState = Map<string, Entry[]>;

export interface LimitCheck {
  allowed: boolean;
  sentLastHour: number;
  /** When the oldest send in the window leaves it, if the limit is reached. */
  retryAt?: number;
}

export type Reservation = ({ ok: true; id: string } | { ok: false; retryAt?: number }) & { sentLastHour: number };

/** The account a limit counts for: two profiles (or two faces) for one mailbox share it. */
export function accountKey(profile: Pick<SmtpProfile, 'host' | 'port' | 'user'>): string {
  const host = String(profile.host ?? '').trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return `${profile.user ? `${profile.user}@` : ''}${host}:${profile.port}`;
}

/** Counts and reserves in one step under the lock: room left means an entry is written for this send. */
export function reserveSend(statePath: string, account: string, maxPerHour: number, now: number, lock?: LockOptions): Promise<Reservation> {
  return withState<Reservation>(statePath, lock, (state) => {
    const recent = inWindow(state.get(account), now);
    if (recent.length >= maxPerHour) {
      const oldest = Math.min(...recent.map((e) => e.at).slice(-maxPerHour));
      return { result: { ok: false, sentLastHour: recent.length, retryAt: oldest + HOUR_MS } };
    }
    // Entries older than an hour no longer count for anyone: drop them while writing anyway.
    for (const [other, entries] of state) {
      const kept = inWindow(entries, now);
      if (kept.length) state.set(other, kept);
      else state.delete(other);
    }
    const id = randomBytes(8).toString('hex');
    state.set(account, [...recent, { at: now, id }]);
    return { result: { ok: true, id, sentLastHour: recent.length }, changed: true };
  });
}

/** Gives a reservation back: only for an attempt that cannot have delivered anything. */
export function releaseSend(statePath: string, account: string, id: string, lock?: LockOptions): Promise<void> {
  return withState(statePath, lock, (state) => {
    const entries = state.get(account) ?? [];
    const kept = entries.filter((e) => e.id !== id);
    if (kept.length === entries.length) return { result: undefined };
    if (kept.length) state.set(account, kept);
    else state.delete(account);
    return { result: undefined, changed: true };
  });
}

/** What the file says now (read only, no lock: a snapshot for display). */
export function checkHourlyLimit(statePath: string, account: string, maxPerHour: number, now: number): LimitCheck {
  const recent = inWindow(readState(statePath).get(account), now);
  if (recent.length < maxPerHour) return { allowed: true, sentLastHour: recent.length };
  const oldest = Math.min(...recent.map((e) => e.at).slice(-maxPerHour));
  return { allowed: false, sentLastHour: recent.length, retryAt: oldest + HOUR_MS };
}

async function withState<T>(statePath: string, lock: LockOptions | undefined, change: (state: RateState) => { result: T; changed?: boolean }): Promise<T> {
  mkdirSync(dirname(statePath), { recursive: true });
  return withFileLock(
    `${statePath}.lock`,
    () => {
      const state = readState(statePath);
      const { result, changed } = change(state);
      if (changed) writeState(statePath, state);
      return result;
    },
    lock,
  );
}

function inWindow(entries: Entry[] | undefined, now: number): Entry[] {
  return (entries ?? []).filter((e) => now - e.at < HOUR_MS);
}

function readState(statePath: string): RateState {
  const state: RateState = new Map();
  try {
    const parsed = JSON.parse(readFileSync(statePath, 'utf8')) as { accounts?: unknown };
    if (parsed && typeof parsed.accounts === 'object' && parsed.accounts) {
      for (const [account, list] of Object.entries(parsed.accounts)) {
        if (!Array.isArray(list)) continue;
        const entries = list.filter((e): e is Entry => !!e && typeof e.at === 'number' && typeof e.id === 'string');
        if (entries.length) state.set(account, entries);
      }
    }
  } catch {
    // Missing or unreadable: start afresh (a corrupt file must not block sending forever). A file of the
    // first format (counts by profile name) is dropped the same way.
  }
  return state;
}

function writeState(statePath: string, state: RateState): void {
  // fromEntries defines own properties: an account named `__proto__` stays an ordinary key.
  const accounts = Object.fromEntries(state);
  // Write then rename, so a crash never leaves half a file behind.
  const tmp = `${statePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify({ version: 2, accounts }), { mode: 0o600 });
  renameSync(tmp, statePath);
}

// Issue #16: the neighbours of the hourly-limit rule, read back from the real state file with a fixed
// clock: a send exactly one hour old no longer counts and one a millisecond younger still does, the retry
// time is when the oldest counted send leaves the window, only the limit's own account is judged, expired
// entries of every account are dropped on the next write, a corrupt or foreign file does not block sending,
// a reservation given back is gone from the file (and only that one), and the file is owner-only.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountKey, checkHourlyLimit, releaseSend, reserveSend } from '../../../src/core/send';

const HOUR = 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 30, 7, 0, 0);

interface StoredEntry {
  at: number;
  id: string;
}

describe('hourly limit: the state file at the edges of the rule', () => {
  let dir: string;
  let statePath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-limit-file-'));
    statePath = join(dir, 'state', 'hourly-sends.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function stored(): Record<string, StoredEntry[]> {
    return (JSON.parse(readFileSync(statePath, 'utf8')) as { accounts: Record<string, StoredEntry[]> }).accounts;
  }

  async function reserveAt(account: string, max: number, at: number) {
    return reserveSend(statePath, account, max, at);
  }

  it('a send exactly one hour old no longer counts; one a millisecond younger still does', async () => {
    const first = await reserveAt('a:25', 1, T0);
    assert.ok(first.ok);
    const justInside = await reserveAt('a:25', 1, T0 + HOUR - 1);
    assert.deepEqual(justInside, { ok: false, sentLastHour: 1, retryAt: T0 + HOUR });
    assert.deepEqual(checkHourlyLimit(statePath, 'a:25', 1, T0 + HOUR - 1), { allowed: false, sentLastHour: 1, retryAt: T0 + HOUR });
    assert.deepEqual(checkHourlyLimit(statePath, 'a:25', 1, T0 + HOUR), { allowed: true, sentLastHour: 0 });
    const atTheHour = await reserveAt('a:25', 1, T0 + HOUR);
    assert.equal(atTheHour.ok, true);
    assert.equal(atTheHour.sentLastHour, 0);
    assert.deepEqual(stored()['a:25'].map((e) => e.at), [T0 + HOUR], 'the expired entry is dropped, the new one kept');
  });

  it('exactly at the limit refuses, one below it reserves (sentLastHour counts the sends before this one)', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await reserveAt('a:25', 3, T0 + i * 1000));
    assert.deepEqual(results.map((r) => [r.ok, r.sentLastHour]), [[true, 0], [true, 1], [true, 2], [false, 3]]);
    assert.deepEqual(checkHourlyLimit(statePath, 'a:25', 3, T0 + 3000), { allowed: false, sentLastHour: 3, retryAt: T0 + HOUR });
    assert.deepEqual(checkHourlyLimit(statePath, 'a:25', 4, T0 + 3000), { allowed: true, sentLastHour: 3 });
    assert.equal((await reserveAt('a:25', 3, T0 + 5000)).ok, false);
    assert.equal(stored()['a:25'].length, 3, 'a refusal adds nothing');
  });

  it('the retry time is when the oldest send that keeps the limit reached leaves the window', async () => {
    // Four sends under a limit of 4, then the limit is lowered to 2: a place is free again when fewer
    // than two are in the window, i.e. when the third send (at T0 + 2 s) leaves it.
    for (let i = 0; i < 4; i++) assert.ok((await reserveAt('a:25', 4, T0 + i * 1000)).ok);
    const refused = await reserveAt('a:25', 2, T0 + 10_000);
    assert.deepEqual(refused, { ok: false, sentLastHour: 4, retryAt: T0 + 2000 + HOUR });
    assert.deepEqual(checkHourlyLimit(statePath, 'a:25', 2, T0 + 10_000), { allowed: false, sentLastHour: 4, retryAt: T0 + 2000 + HOUR });
  });

  it('only the send\'s own account is judged; the others\' expired entries are dropped on the next write', async () => {
    assert.ok((await reserveAt('old:25', 1, T0)).ok);
    assert.ok((await reserveAt('busy:25', 1, T0 + HOUR / 2)).ok);
    // Another account is full; this one is not.
    const mine = await reserveAt('mine:25', 1, T0 + HOUR + 1);
    assert.equal(mine.ok, true);
    const accounts = stored();
    assert.deepEqual(Object.keys(accounts).sort(), ['busy:25', 'mine:25'], 'the account whose sends all expired is gone');
    assert.deepEqual(accounts['busy:25'].map((e) => e.at), [T0 + HOUR / 2], 'an account still in its window is kept as it was');
  });

  it('giving a reservation back removes that entry only; an unknown id changes nothing', async () => {
    const a = await reserveAt('a:25', 5, T0);
    const b = await reserveAt('a:25', 5, T0 + 1);
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.id, b.id);
    const before = readFileSync(statePath, 'utf8');
    await releaseSend(statePath, 'a:25', 'no-such-id');
    await releaseSend(statePath, 'nobody:25', a.id);
    assert.equal(readFileSync(statePath, 'utf8'), before, 'nothing to give back: nothing changes');
    await releaseSend(statePath, 'a:25', a.id);
    assert.deepEqual(stored()['a:25'], [{ at: T0 + 1, id: b.id }]);
    await releaseSend(statePath, 'a:25', b.id);
    assert.ok(!Object.prototype.hasOwnProperty.call(stored(), 'a:25'), 'an account with no entry left is removed');
    assert.deepEqual(checkHourlyLimit(statePath, 'a:25', 1, T0 + 2), { allowed: true, sentLastHour: 0 });
  });

  it('a corrupt or foreign state file does not block sending, and malformed entries are not counted', async () => {
    mkdirSync(join(dir, 'state'), { recursive: true });
    for (const content of ['{not json', 'null', '[]', '{"accounts": 7}', '{"version":1,"counts":{"work":99}}']) {
      writeFileSync(statePath, content);
      assert.deepEqual(checkHourlyLimit(statePath, 'a:25', 1, T0), { allowed: true, sentLastHour: 0 }, content);
    }
    writeFileSync(
      statePath,
      JSON.stringify({
        version: 2,
        accounts: {
          'a:25': [{ at: T0, id: 'good' }, { at: String(T0), id: 'x' }, { at: T0, id: 5 }, null, 'entry', { id: 'no-time' }],
          'b:25': 'not a list',
          'c:25': [{ at: 'x' }],
        },
      }),
    );
    assert.deepEqual(checkHourlyLimit(statePath, 'a:25', 2, T0 + 1), { allowed: true, sentLastHour: 1 });
    const r = await reserveAt('a:25', 2, T0 + 1);
    assert.equal(r.ok, true);
    const accounts = stored();
    assert.deepEqual(Object.keys(accounts), ['a:25'], 'accounts with no valid entry are not written back');
    assert.deepEqual(accounts['a:25'].map((e) => e.id).slice(0, 1), ['good']);
    assert.equal(accounts['a:25'].length, 2);
  });

  it('the state file is owner-only and written whole (no temporary file left behind)', async () => {
    assert.ok((await reserveAt('a:25', 1, T0)).ok);
    assert.equal(statSync(statePath).mode & 0o777, 0o600);
    const file = JSON.parse(readFileSync(statePath, 'utf8')) as { version: number };
    assert.equal(file.version, 2);
    assert.deepEqual(readdirSync(join(dir, 'state')).sort(), ['hourly-sends.json']);
  });

  it('one account per mailbox: host case, a trailing dot and IPv6 brackets do not make a second account', () => {
    const key = (host: string, user?: string) => accountKey({ host, port: 587, user });
    assert.equal(key(' SMTP.Example.COM. ', 'me'), 'me@smtp.example.com:587');
    assert.equal(key('smtp.example.com', 'me'), 'me@smtp.example.com:587');
    assert.equal(key('[::1]'), '::1:587');
    assert.equal(key('::1'), '::1:587');
    assert.notEqual(key('smtp.example.com', 'me'), key('smtp.example.com', 'you'));
    assert.notEqual(key('smtp.example.com'), key('smtp.example.com', 'me'));
    assert.equal(accountKey({ host: 'h', port: 25, user: 'me' }) === accountKey({ host: 'h', port: 465, user: 'me' }), false);
  });
});

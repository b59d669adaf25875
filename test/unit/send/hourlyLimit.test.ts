// Review #10, item 8: the hourly limit was checked and counted in two unlocked steps (eight concurrent
// sends with maxPerHour 3 all went out), a send killed after the final dot was never counted, and the
// count was keyed by the profile's display name. Now a place is reserved atomically (a lock shared by
// every process) before anything is contacted, kept unless nothing can have been delivered, and keyed
// by the account. These tests count what a real smtp-server received, and read the state file back.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { accountKey, describeOutcome, sendMessage, type SendOutcome } from '../../../src/core/send';
import { scriptedSmtp, startRawServer, startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { prepareFixture, profileFor } from './helpers';

/** The entries the state file holds for an account, read back from disk. */
function storedEntries(statePath: string, account: string): unknown[] {
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as { accounts: Record<string, unknown[]> };
  return Object.prototype.hasOwnProperty.call(state.accounts, account) ? state.accounts[account] : [];
}

function assertLimitRefusal(outcome: SendOutcome) {
  assert.equal(outcome.status, 'failed', describeOutcome(outcome));
  if (outcome.status === 'failed') {
    assert.equal(outcome.stage, 'limit', describeOutcome(outcome));
    assert.match(outcome.reason, /hourly limit .* \(3 messages\) is reached; nothing was sent/);
  }
}

describe('hourly limit', function () {
  this.timeout(30_000);
  let dir: string;
  let statePath: string;
  let server: RunningServer;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-limit-'));
    statePath = join(dir, 'state', 'hourly-sends.json');
    server = await startSmtpServer({ starttls: false });
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('eight concurrent sends with maxPerHour 3: exactly three delivered, five refused at the limit', async () => {
    const { message } = prepareFixture();
    const profile = profileFor(server.port, { maxPerHour: 3 });
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => sendMessage(message, profile, {}, { rateLimitStatePath: statePath })));
    assert.equal(outcomes.filter((o) => o.status === 'sent').length, 3, outcomes.map(describeOutcome).join('\n'));
    outcomes.filter((o) => o.status !== 'sent').forEach(assertLimitRefusal);
    assert.equal(server.received.length, 3, 'the server got three');
    assert.equal(storedEntries(statePath, accountKey(profile)).length, 3);
    assert.deepEqual(readdirSync(join(dir, 'state')), ['hourly-sends.json'], 'no lock or temporary file is left');
  });

  it('eight concurrent processes with maxPerHour 3: exactly three delivered, five refused at the limit', async function () {
    this.timeout(90_000); // eight Node processes loading the core on a busy machine
    const child = join(__dirname, '..', '..', 'support', 'sendChild.js');
    const children = Array.from({ length: 8 }, (_, i) => {
      const proc = spawn(process.execPath, [child, String(server.port), statePath, '3', `face-${i % 2 ? 'cli' : 'vscode'}`], { stdio: ['pipe', 'pipe', 'inherit'] });
      const lines = createInterface({ input: proc.stdout });
      const next = () => new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        proc.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
      });
      return { proc, next };
    });
    // Every child has loaded the core before any starts: they all reach for the limit at once.
    const ready = children.map((c) => c.next());
    assert.deepEqual(await Promise.all(ready), Array(8).fill('ready'));
    const results = children.map((c) => c.next());
    for (const c of children) c.proc.stdin.write('go\n');
    const outcomes = (await Promise.all(results)).map((line) => JSON.parse(line) as SendOutcome);
    assert.equal(outcomes.filter((o) => o.status === 'sent').length, 3, outcomes.map((o) => JSON.stringify(o)).join('\n'));
    outcomes.filter((o) => o.status !== 'sent').forEach(assertLimitRefusal);
    assert.equal(server.received.length, 3, 'the server got three');
    // Two profile names ("faces") for one account: one count.
    assert.equal(storedEntries(statePath, accountKey(profileFor(server.port))).length, 3);
  });

  it('a connection dropped right after the final dot: outcome unknown, and counted in the file', async () => {
    const raw = await startRawServer(scriptedSmtp({ afterDot: (s) => s.destroy() }));
    try {
      const profile = profileFor(raw.port, { maxPerHour: 1 });
      const first = await sendMessage(prepareFixture().message, profile, {}, { rateLimitStatePath: statePath });
      assert.equal(first.status, 'unknown', describeOutcome(first));
      assert.equal(storedEntries(statePath, accountKey(profile)).length, 1, 'the unknown send is stored as a send');
      const second = await sendMessage(prepareFixture().message, profile, {}, { rateLimitStatePath: statePath });
      assert.equal(second.status, 'failed');
      if (second.status === 'failed') assert.equal(second.stage, 'limit');
      assert.equal(raw.connections(), 1, 'the second was not even attempted');
    } finally {
      await raw.close();
    }
  });

  it('a send that cannot have delivered anything (refused at MAIL FROM) gives its place back', async () => {
    const refusing = await startSmtpServer({ starttls: false, mailFrom: () => ({ code: 550, message: 'not you' }) });
    try {
      const profile = profileFor(refusing.port, { maxPerHour: 1 });
      const failed = await sendMessage(prepareFixture().message, profile, {}, { rateLimitStatePath: statePath });
      assert.equal(failed.status, 'failed');
      assert.equal(storedEntries(statePath, accountKey(profile)).length, 0);
    } finally {
      await refusing.close();
    }
    const profile = profileFor(server.port, { maxPerHour: 1 });
    assert.equal((await sendMessage(prepareFixture().message, profile, {}, { rateLimitStatePath: statePath })).status, 'sent');
    assert.equal(storedEntries(statePath, accountKey(profile)).length, 1);
  });

  it('counts per account: differently named profiles for one user@host:port share the count, another user has its own', async () => {
    const a = profileFor(server.port, { name: 'Work (CLI)', maxPerHour: 2 });
    const b = profileFor(server.port, { name: 'work from VS Code', maxPerHour: 2 });
    const { message } = prepareFixture();
    assert.equal((await sendMessage(message, a, {}, { rateLimitStatePath: statePath })).status, 'sent');
    assert.equal((await sendMessage(message, b, {}, { rateLimitStatePath: statePath })).status, 'sent');
    const third = await sendMessage(message, a, {}, { rateLimitStatePath: statePath });
    assert.equal(third.status === 'failed' && third.stage, 'limit', describeOutcome(third));
    assert.equal(accountKey({ host: 'SMTP.Example.com.', port: 587, user: 'ann' }), 'ann@smtp.example.com:587');
    assert.notEqual(accountKey({ host: 'smtp.example.com', port: 587, user: 'ann' }), accountKey({ host: 'smtp.example.com', port: 587, user: 'bob' }));
  });

  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    it(`a profile named "${name}" sends (and is counted) like any other`, async () => {
      const profile = profileFor(server.port, { name, maxPerHour: 5 });
      for (let i = 0; i < 2; i++) {
        const outcome = await sendMessage(prepareFixture().message, profile, {}, { rateLimitStatePath: statePath });
        assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
        assert.equal(outcome.profile, name);
      }
      assert.equal(storedEntries(statePath, accountKey(profile)).length, 2);
    });
  }

  it('a user named "__proto__" is an ordinary account in the file', async () => {
    const profile = profileFor(server.port, { user: '__proto__', auth: 'PLAIN', maxPerHour: 5 });
    const secured = await startSmtpServer({ starttls: false, auth: { user: '__proto__', password: 'proto-pa55' } });
    try {
      const outcome = await sendMessage(prepareFixture().message, { ...profile, port: secured.port }, { password: 'proto-pa55' }, { rateLimitStatePath: statePath });
      assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
      assert.equal(storedEntries(statePath, `__proto__@127.0.0.1:${secured.port}`).length, 1);
    } finally {
      await secured.close();
    }
  });

  describe('a lock left behind', () => {
    const lockPath = () => `${statePath}.lock`;

    it('by a process that died: broken, and the send goes through', async () => {
      // A real process that has exited: its pid is not running any more.
      const dead = spawn(process.execPath, ['-e', '']);
      const pid = dead.pid!;
      await new Promise((r) => dead.once('exit', r));
      mkdirSync(lockPath(), { recursive: true });
      writeFileSync(join(lockPath(), 'owner.json'), JSON.stringify({ pid, host: hostname(), token: 'dead', at: Date.now() }));
      const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { maxPerHour: 3 }), {}, { rateLimitStatePath: statePath });
      assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
      assert.deepEqual(readdirSync(join(dir, 'state')), ['hourly-sends.json']);
    });

    it('long ago with no owner recorded: broken by its age', async () => {
      mkdirSync(lockPath(), { recursive: true });
      const past = new Date(Date.now() - 60_000);
      utimesSync(lockPath(), past, past);
      const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { maxPerHour: 3 }), {}, { rateLimitStatePath: statePath });
      assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    });
  });
});

// Killing `mailsmith merge --send` at random points (seeded) never causes a double send. Twenty runs of the
// real CLI in child processes send to a counting smtp-server on 127.0.0.1 and are killed with SIGKILL at a
// moment of the SMTP dialogue chosen at random (MAIL, RCPT, during DATA, after the final dot before the
// reply, just after the reply) or after a random delay; then one run finishes the merge. The server's
// counts are the truth: no row arrives twice, and every row is either sent (and arrived once) or reported
// unknown.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { MergeJournal } from '../../../src/core/merge';
import { repoRoot } from '../../support/paths';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { csv, mergeDir, type MergeDir } from './helpers';

const ROWS = 30;
const RUNS = 20;
type Phase = 'mail' | 'rcpt' | 'data' | 'dot' | 'replied' | 'time';
const PHASES: Phase[] = ['mail', 'rcpt', 'data', 'dot', 'replied', 'time'];

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('merge: killed at random points', function () {
  this.timeout(180_000);
  let d: MergeDir;
  let server: RunningServer;
  afterEach(async () => {
    await server?.close();
    d?.remove();
  });

  it(`never sends a row twice in ${RUNS} killed runs, and every row ends sent or unknown`, async () => {
    const seed = Number(process.env.MAILSMITH_KILL_SEED ?? 20261123);
    const random = seeded(seed);
    d = mergeDir();
    const arrived = new Map<string, number>();
    let trigger: ((phase: Phase) => void) | undefined;
    server = await startSmtpServer({
      starttls: false,
      mailFrom: () => (trigger?.('mail'), undefined),
      rcpt: () => (trigger?.('rcpt'), undefined),
      extra: {
        onData(stream, session, callback) {
          trigger?.('data');
          stream.resume();
          stream.on('end', () => {
            const to = session.envelope.rcptTo.map((a) => a.address).join(',');
            // The whole message is here: from now on it counts as delivered, reply or not.
            arrived.set(to, (arrived.get(to) ?? 0) + 1);
            trigger?.('dot');
            callback(null, 'OK queued');
            setImmediate(() => trigger?.('replied'));
          });
        },
      },
    });
    d.write('t.eml', ['From: Sender <sender@example.com>', 'To: ${email}', 'Subject: Notice ${n}', 'Merge-Data: people.csv', '', 'Row ${n}.', ''].join('\r\n'));
    d.write('people.csv', csv([['n', 'email'], ...Array.from({ length: ROWS }, (_, i) => [String(i + 1), `r${i + 1}@example.org`])]));
    const profile = d.write('profile.json', JSON.stringify({ name: 'kill-test', host: '127.0.0.1', port: server.port, security: 'none', maxPerHour: 100000 }));
    const cli = join(repoRoot, 'out', 'src', 'cli', 'main.js');
    const env = { ...process.env, MAILSMITH_STATE_DIR: join(d.dir, 'state') };
    const runCli = (extra: string[], kill?: { phase: Phase; after: number; delayMs: number }) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null; killedAt?: string }>((resolve) => {
        const child: ChildProcess = spawn(process.execPath, [cli, 'merge', join(d.dir, 't.eml'), '--profile-file', profile, '--send', ...extra], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr?.on('data', (c) => (stderr += c));
        let seen = 0;
        let killedAt: string | undefined;
        const killNow = (why: string) => {
          if (killedAt || child.exitCode !== null) return;
          killedAt = why;
          child.kill('SIGKILL');
        };
        let timer: NodeJS.Timeout | undefined;
        if (kill?.phase === 'time') timer = setTimeout(() => killNow(`after ${kill.delayMs} ms`), kill.delayMs);
        else if (kill) {
          trigger = (phase) => {
            if (phase === kill.phase && ++seen === kill.after) killNow(`at ${phase} of message ${kill.after}`);
          };
        }
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          trigger = undefined;
          if (!killedAt && code !== 0 && code !== 4) throw new Error(`mailsmith merge exited ${code}: ${stderr}`);
          resolve({ code, signal, killedAt });
        });
      });

    const log: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const phase = PHASES[Math.floor(random() * PHASES.length)];
      const kill = { phase, after: 1 + Math.floor(random() * 3), delayMs: 150 + Math.floor(random() * 900) };
      // A re-run sends only what the journal does not record as sent; --limit all lifts the first run's limit of 1.
      const result = await runCli(['--limit', 'all'], kill);
      log.push(`run ${run + 1}: ${result.killedAt ?? `finished (exit ${result.code})`}`);
      for (const [to, n] of arrived) assert.ok(n <= 1, `seed ${seed}: ${to} arrived ${n} times\n${log.join('\n')}`);
    }
    const last = await runCli(['--resume']);
    assert.ok(last.code === 0 || last.code === 4, `the last run finishes: exit ${last.code}`);

    const journal = MergeJournal.open(join(d.dir, 'people.csv.t.eml.merge.jsonl'), false);
    const summary: Record<string, number> = {};
    for (let i = 1; i <= ROWS; i++) {
      const to = `r${i}@example.org`;
      const state = journal.rows.get(`to:${to}`);
      const count = arrived.get(to) ?? 0;
      assert.ok(count <= 1, `seed ${seed}: row ${i} arrived ${count} times`);
      assert.ok(state, `seed ${seed}: row ${i} has an outcome\n${log.join('\n')}`);
      assert.ok(state.status === 'sent' || state.status === 'unknown', `row ${i} is ${state.status}`);
      if (state.status === 'sent') assert.equal(count, 1, `seed ${seed}: row ${i} is reported sent and arrived ${count} times`);
      summary[state.status] = (summary[state.status] ?? 0) + 1;
    }
    assert.ok(log.some((l) => l.includes(' at ')), 'some runs were killed inside the SMTP dialogue');
    assert.ok((summary.sent ?? 0) >= ROWS - RUNS, `most rows are sent: ${JSON.stringify(summary)}`);
  });

  it('stops after the message in flight on Ctrl-C (SIGINT), exits 130, and the journal says what was sent', async () => {
    d = mergeDir();
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let ended = 0;
    server = await startSmtpServer({
      starttls: false,
      extra: {
        onData(stream, _session, callback) {
          stream.resume();
          stream.on('end', () => {
            ended++;
            if (ended === 2) void held.then(() => callback(null, 'OK after the interrupt'));
            else callback(null, 'OK');
          });
        },
      },
    });
    d.write('t.eml', ['From: Sender <sender@example.com>', 'To: ${email}', 'Subject: Notice', 'Merge-Data: people.csv', '', 'Hello.', ''].join('\r\n'));
    d.write('people.csv', csv([['email'], ...Array.from({ length: 6 }, (_, i) => [`s${i + 1}@example.org`])]));
    const profile = d.write('profile.json', JSON.stringify({ name: 'sigint-test', host: '127.0.0.1', port: server.port, security: 'none' }));
    const child = spawn(process.execPath, [join(repoRoot, 'out', 'src', 'cli', 'main.js'), 'merge', join(d.dir, 't.eml'), '--profile-file', profile, '--send', '--limit', 'all'], {
      env: { ...process.env, MAILSMITH_STATE_DIR: join(d.dir, 'state') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c) => (out += c));
    child.stderr?.on('data', (c) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    while (ended < 2) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    while (!/Stopping after the messages in flight/.test(out)) await new Promise((r) => setTimeout(r, 20));
    release();
    assert.equal(await exited, 130, out);
    assert.equal(ended, 2, 'no message after the one in flight');
    const journal = MergeJournal.open(join(d.dir, 'people.csv.t.eml.merge.jsonl'), false);
    assert.deepEqual([...journal.rows.values()].map((r) => `${r.row}:${r.status}`), ['1:sent', '2:sent']);
    assert.match(out, /Mail merge: 2 sent\. 4 rows still to send/);
  });
});

// Sending merges to real servers on 127.0.0.1 (smtp-server, and a scripted raw server for the faults
// smtp-server will not produce): exactly once across runs, unknown outcomes never re-sent without asking,
// backing off on 421/451, the rate and the daily cap, parallel connections, stopping after the message in
// flight, and stopping when every row would fail or most are refused.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { checkMerge, MergeJournal, runMerge, type MergeRunContext, type MergeRunOptions, type ReportRow } from '../../../src/core/merge';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import { noSecrets, staticSecrets } from '../../../src/core/secrets/provider';
import { startRawServer, startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { collectingLogger } from '../send/helpers';
import { csv, mergeDir, messageIdOf, plainProfile, type MergeDir } from './helpers';
import { readFileSync } from 'node:fs';

const TEMPLATE = ['From: Sender <sender@example.com>', 'To: ${name} <${email}>', 'Subject: Invitation for ${name}', 'Merge-Data: people.csv', '', 'Dear ${name}, you are invited.', ''].join('\r\n');
const people = (n: number) => csv([['name', 'email'], ...Array.from({ length: n }, (_, i) => [`Person ${i + 1}`, `p${i + 1}@example.org`])]);

describe('merge: sending', function () {
  this.timeout(30_000);
  let d: MergeDir;
  let servers: { close(): Promise<void> }[];
  beforeEach(() => {
    d = mergeDir();
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    d.remove();
  });

  async function run(profile: SmtpProfile, options: MergeRunOptions = {}, context: Partial<MergeRunContext> = {}) {
    const merge = await d.open('t.eml');
    const journal = merge.journalPath ? MergeJournal.open(merge.journalPath, false).rows : undefined;
    const check = await checkMerge(merge, { journal, retryUnknown: options.retryUnknown });
    assert.equal(check.sendable, true, JSON.stringify(check.problems));
    const rows: ReportRow[] = [];
    const result = await runMerge(merge, check, profile, { logger: collectingLogger(), stateDir: join(d.dir, 'state'), face: 'test', secrets: noSecrets, onRow: (r) => rows.push(r), ...context }, { backoffMs: 20, ...options });
    return { result, rows, merge };
  }
  const statusOf = (rows: ReportRow[]) => rows.map((r) => `${r.row}:${r.status}`).join(' ');

  it('sends one row the first time, the rest when run again, each exactly once; a third run sends nothing', async () => {
    const server = await startSmtpServer({ starttls: false });
    servers.push(server);
    d.write('t.eml', TEMPLATE);
    d.write('people.csv', people(3));
    const first = await run(plainProfile(server.port));
    assert.equal(statusOf(first.rows), '1:sent');
    assert.equal(first.result.remaining, 2);
    const second = await run(plainProfile(server.port));
    assert.equal(statusOf(second.rows), '1:sent-before 2:sent 3:sent');
    const third = await run(plainProfile(server.port));
    assert.equal(statusOf(third.rows), '1:sent-before 2:sent-before 3:sent-before');
    assert.deepEqual(server.received.map((m) => m.to[0]), ['p1@example.org', 'p2@example.org', 'p3@example.org']);
    // The journal's Message-ID is the one that arrived; the report says the same.
    const journal = MergeJournal.open(first.merge.journalPath!, false);
    assert.deepEqual(server.received.map((m) => messageIdOf(m.raw)), [1, 2, 3].map((n) => journal.rows.get(`to:p${n}@example.org`)?.messageId));
    const report = readFileSync(third.result.reportPath!, 'utf8');
    assert.match(report, /^row,recipients,status,reply,message_id,time,note\r\n1,p1@example\.org,sent-before,250 OK queued as TESTQ1,</);
  });

  it('after a 451 on row 2 and a drop after the final dot on row 3, a resume sends row 2 only; row 3 stays unknown until --retry-unknown', async () => {
    const delivered = new Map<string, number>();
    const received = new Map<string, number>();
    let phase: 'faulty' | 'healthy' = 'faulty';
    const server = await startRawServer((socket: Socket) => {
      socket.write('220 scripted ESMTP\r\n');
      let buffer = '';
      let inData = false;
      let rcpt = '';
      socket.on('data', (chunk) => {
        buffer += chunk.toString('latin1');
        for (;;) {
          if (inData) {
            const end = buffer.indexOf('\r\n.\r\n');
            if (end === -1) return;
            buffer = buffer.slice(end + 5);
            inData = false;
            received.set(rcpt, (received.get(rcpt) ?? 0) + 1);
            if (phase === 'faulty' && rcpt === 'p2@example.org') socket.write('451 4.3.0 Try again later\r\n');
            else if (phase === 'faulty' && rcpt === 'p3@example.org') {
              socket.destroy(); // the whole message arrived; its reply never will
              return;
            } else {
              delivered.set(rcpt, (delivered.get(rcpt) ?? 0) + 1);
              socket.write('250 2.0.0 OK queued\r\n');
            }
            continue;
          }
          const nl = buffer.indexOf('\r\n');
          if (nl === -1) return;
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 2);
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO') socket.write('250-scripted\r\n250 8BITMIME\r\n');
          else if (verb === 'RCPT') {
            rcpt = /<([^>]*)>/.exec(line)?.[1] ?? '';
            socket.write('250 OK\r\n');
          } else if (verb === 'DATA') {
            inData = true;
            socket.write('354 go ahead\r\n');
          } else if (verb === 'QUIT') socket.end('221 bye\r\n');
          else socket.write('250 OK\r\n');
        }
      });
    });
    servers.push(server);
    d.write('t.eml', TEMPLATE);
    d.write('people.csv', people(5));
    const first = await run(plainProfile(server.port), { limit: Number.POSITIVE_INFINITY, maxAttempts: 2 });
    assert.equal(statusOf(first.rows), '1:sent 2:failed 3:unknown 4:sent 5:sent');
    assert.match(first.rows[1].reply ?? '', /^451/);
    assert.equal(received.get('p2@example.org'), 2, 'row 2 was tried again after a pause');
    phase = 'healthy';
    const resumed = await run(plainProfile(server.port), { resume: true });
    assert.equal(statusOf(resumed.rows), '1:sent-before 2:sent 3:unknown-before 4:sent-before 5:sent-before');
    assert.deepEqual(Object.fromEntries(delivered), { 'p1@example.org': 1, 'p2@example.org': 1, 'p4@example.org': 1, 'p5@example.org': 1 });
    assert.equal(received.get('p3@example.org'), 1, 'row 3 is not sent again');
    const retried = await run(plainProfile(server.port), { retryUnknown: true });
    assert.equal(statusOf(retried.rows), '1:sent-before 2:sent-before 3:sent 4:sent-before 5:sent-before');
    assert.equal(received.get('p3@example.org'), 2);
  });

  it('keeps to the rate: 5 messages at 600 a minute take at least 4 intervals of 100 ms', async () => {
    const server = await startSmtpServer({ starttls: false });
    servers.push(server);
    d.write('t.eml', TEMPLATE);
    d.write('people.csv', people(5));
    const started = Date.now();
    const { rows } = await run(plainProfile(server.port), { limit: 5, perMinute: 600 });
    assert.equal(rows.filter((r) => r.status === 'sent').length, 5);
    assert.ok(Date.now() - started >= 400, `took ${Date.now() - started} ms`);
  });

  it('stops at the daily cap, and the next run remembers what was sent today', async () => {
    const server = await startSmtpServer({ starttls: false });
    servers.push(server);
    d.write('t.eml', TEMPLATE);
    d.write('people.csv', people(4));
    const first = await run(plainProfile(server.port), { limit: 4, messagesPerDay: 2 });
    assert.equal(statusOf(first.rows), '1:sent 2:sent 3:not-sent');
    assert.equal(first.result.status, 'stopped');
    assert.match(first.result.reason ?? '', /daily cap of 2 messages/);
    const second = await run(plainProfile(server.port), { messagesPerDay: 2 });
    assert.equal(second.result.status, 'stopped');
    assert.equal(server.received.length, 2);
  });

  it('sends over parallel connections, each row once', async () => {
    let open = 0;
    let most = 0;
    const server = await startSmtpServer({
      starttls: false,
      extra: {
        onConnect: (_s, cb) => {
          most = Math.max(most, ++open);
          cb();
        },
        onClose: () => void open--,
      },
      afterData: () => undefined,
    });
    servers.push(server);
    d.write('t.eml', TEMPLATE);
    d.write('people.csv', people(12));
    const { rows } = await run(plainProfile(server.port), { limit: 12, connections: 3 });
    assert.equal(rows.filter((r) => r.status === 'sent').length, 12);
    assert.equal(new Set(server.received.map((m) => m.to[0])).size, 12);
    assert.equal(server.received.length, 12);
    assert.ok(most >= 2, `at most ${most} connections were open at once`);
  });

  it('stops after the message in flight when asked, and the journal says exactly what was sent', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let inData = 0;
    const server: RunningServer = await startSmtpServer({
      starttls: false,
      extra: {
        onData(stream, _session, callback) {
          stream.resume();
          stream.on('end', () => {
            inData++;
            if (inData === 2) void held.then(() => callback(null, 'OK late'));
            else callback(null, 'OK');
          });
        },
      },
    });
    servers.push(server);
    d.write('t.eml', TEMPLATE);
    d.write('people.csv', people(5));
    const stop = new AbortController();
    const running = run(plainProfile(server.port), { limit: 5 }, { stop: stop.signal });
    while (inData < 2) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    release();
    const { rows, result, merge } = await running;
    assert.equal(statusOf(rows), '1:sent 2:sent');
    assert.equal(result.status, 'stopped');
    assert.equal(inData, 2, 'nothing after the message in flight');
    const journal = MergeJournal.open(merge.journalPath!, false);
    assert.deepEqual([...journal.rows.values()].map((r) => `${r.row}:${r.status}`), ['1:sent', '2:sent']);
  });

  it('stops when most messages are refused for good, and at once when the credentials are refused', async () => {
    const refusing = await startSmtpServer({ starttls: false, rcpt: () => ({ code: 550, message: '5.1.1 No such user' }) });
    servers.push(refusing);
    d.write('t.eml', TEMPLATE);
    d.write('people.csv', people(12));
    const { rows, result } = await run(plainProfile(refusing.port), { limit: 12 });
    assert.equal(rows.filter((r) => r.status === 'failed').length, 5);
    assert.match(result.reason ?? '', /5 of the last 5 messages were refused/);
    const auth = await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'right-pw-1' } });
    servers.push(auth);
    const badAuth = await run(plainProfile(auth.port, { user: 'ann' }), { limit: 12 }, { secrets: staticSecrets({ password: 'wrong-pw-2' }) });
    assert.equal(statusOf(badAuth.rows), '1:failed');
    assert.match(badAuth.result.reason ?? '', /authentication failed/);
    assert.equal(auth.received.length, 0);
  });

  it('pauses after a 421 and tries the row again on a new connection', async () => {
    let greetings = 0;
    const server = await startSmtpServer({ starttls: false, mailFrom: () => (greetings++ === 0 ? { code: 421, message: '4.7.0 Too many connections, slow down' } : undefined) });
    servers.push(server);
    d.write('t.eml', TEMPLATE);
    d.write('people.csv', people(2));
    const started = Date.now();
    const { rows } = await run(plainProfile(server.port), { limit: 2, backoffMs: 200 });
    assert.equal(statusOf(rows), '1:sent 2:sent');
    assert.ok(Date.now() - started >= 200, 'it paused');
    assert.equal(server.received.length, 2);
  });

  it('sends a row to the test address only ("send to myself first"), headers unchanged, journal untouched', async () => {
    const server = await startSmtpServer({ starttls: false });
    servers.push(server);
    d.write('t.eml', TEMPLATE);
    d.write('people.csv', people(3));
    const { rows, merge } = await run(plainProfile(server.port), { testRecipient: 'me@example.com', rows: [2] });
    assert.equal(statusOf(rows), '2:test-sent');
    assert.deepEqual(server.received[0].to, ['me@example.com']);
    assert.match(server.received[0].raw.toString(), /^To: Person 2 <p2@example\.org>\r$/m);
    assert.equal(MergeJournal.open(merge.journalPath!, false).rows.size, 0);
    const real = await run(plainProfile(server.port));
    assert.equal(statusOf(real.rows), '1:sent', 'the first real run still starts with row 1');
  });
});

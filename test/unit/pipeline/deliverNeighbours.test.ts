// The delivery every send ends in (pipeline/deliver.ts), rule by rule next to its neighbour, against real
// servers on 127.0.0.1 (a scripted SMTP server that counts connections, messages and QUITs, and smtp-server):
// messages per connection from the caller or the profile, the wait before a new connection, cancellation
// between messages and during that wait (no listener left on the caller's signal), the per-message hooks, the journal entry of every outcome (with and
// without copies), the hourly count (kept, or left to the caller), credentials renewed only after a lasting
// AUTH refusal, why nothing could be tried, and the capture inbox: the face's, or one started and stopped.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SentJournal } from '../../../src/core/journal/sentJournal';
import { prepareMessage } from '../../../src/core/message';
import type { PreparedMessage } from '../../../src/core/message/types';
import { deliver, openDelivery, type DeliveryContext, type DeliveryProgress, type OutgoingMessage } from '../../../src/core/pipeline/deliver';
import { BUILT_IN_INBOX_PROFILE } from '../../../src/core/profiles/builtIn';
import type { SmtpProfile, SmtpSecret } from '../../../src/core/profiles/profile';
import { noSecrets, SecretUnavailable, staticSecrets, type SecretProvider } from '../../../src/core/secrets/provider';
import { accountKey, checkHourlyLimit } from '../../../src/core/send/rateLimit';
import { rateLimitFile } from '../../../src/core/state/paths';
import { scriptedSmtp, startRawServer, startSmtpServer, type RawServer, type RunningServer, type Script } from '../../support/smtpServers';
import { collectingLogger, FIXED_NOW } from '../send/helpers';

interface ConnectionSeen {
  openedAt: number;
  /** When each message's final dot arrived. */
  dots: number[];
  quit: boolean;
  closed: boolean;
}

/** A scripted SMTP server that answers every message with 250 and keeps what each connection did. */
async function countingServer(script: Script = {}, onQuit?: (index: number) => void): Promise<RawServer & { seen: ConnectionSeen[] }> {
  const seen: ConnectionSeen[] = [];
  const raw = await startRawServer((socket) => {
    const connection: ConnectionSeen = { openedAt: Date.now(), dots: [], quit: false, closed: false };
    const index = seen.push(connection) - 1;
    socket.on('close', () => (connection.closed = true));
    scriptedSmtp({
      ...script,
      on: {
        QUIT: (s) => {
          connection.quit = true;
          s.end('221 bye\r\n');
          onQuit?.(index);
        },
        ...script.on,
      },
      afterDot: (s) => {
        connection.dots.push(Date.now());
        s.write('250 2.0.0 queued\r\n');
      },
    })(socket);
  });
  return Object.assign(raw, { seen });
}

/** Polls until `probe` holds (no fixed sleep); fails after `ms`. */
async function until(what: string, probe: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function prepared(n: number | string): PreparedMessage {
  const text = `From: Ann <ann@example.com>\r\nTo: bob@example.org\r\nSubject: Number ${n}\r\n\r\nBody ${n}.\r\n`;
  const result = prepareMessage(Buffer.from(text), { now: FIXED_NOW });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.message;
}

const items = (count: number): OutgoingMessage[] => Array.from({ length: count }, (_, i) => ({ message: prepared(i + 1), source: `/docs/m${i + 1}.eml` }));

describe('deliver: one connection for many messages, each outcome recorded', function () {
  this.timeout(40_000);
  let dir: string;
  let closers: (() => Promise<void>)[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-deliver-'));
    closers = [];
  });
  afterEach(async () => {
    await Promise.all(closers.map((c) => c()));
    rmSync(dir, { recursive: true, force: true });
  });

  const profileFor = (port: number, extra: Partial<SmtpProfile> = {}): SmtpProfile => ({
    name: 'deliver',
    host: '127.0.0.1',
    port,
    security: 'none',
    timeouts: { connectMs: 3000, greetingMs: 3000, socketMs: 30_000 },
    ...extra,
  });
  const context = (over: Partial<DeliveryContext> = {}): DeliveryContext => ({
    logger: collectingLogger(),
    stateDir: join(dir, 'state'),
    face: 'test-face',
    secrets: noSecrets,
    ...over,
  });
  const journal = () => new SentJournal(join(dir, 'state')).entries().reverse();
  const counting = async (script: Script = {}, onQuit?: (index: number) => void) => {
    const server = await countingServer(script, onQuit);
    closers.push(() => server.close());
    return server;
  };
  const smtp = async (options: Parameters<typeof startSmtpServer>[0]): Promise<RunningServer> => {
    const server = await startSmtpServer(options);
    closers.push(() => server.close());
    return server;
  };
  const messagesPerConnection = (server: { seen: ConnectionSeen[] }) => server.seen.map((c) => c.dots.length);

  describe('messages per connection', () => {
    it('no batch size: every message over one connection, closed with QUIT when the delivery ends', async () => {
      const server = await counting();
      const result = await deliver(items(3), profileFor(server.port), context());
      assert.ok(result.ok);
      assert.deepEqual(result.delivered.map((d) => d.outcome.status), ['sent', 'sent', 'sent']);
      assert.deepEqual(result.notSent, []);
      assert.deepEqual(messagesPerConnection(server), [3]);
      await until('the connection to be ended with QUIT', () => server.seen.every((c) => c.quit));
    });

    it("the profile's batch size: a new connection after that many, each earlier one ended with QUIT", async () => {
      const server = await counting();
      const result = await deliver(items(5), profileFor(server.port, { batchSize: 2 }), context());
      assert.ok(result.ok);
      assert.equal(result.delivered.length, 5);
      assert.deepEqual(messagesPerConnection(server), [2, 2, 1]);
      await until('every connection to be ended with QUIT', () => server.seen.length === 3 && server.seen.every((c) => c.quit));
    });

    it("the caller's batch size wins over the profile's", async () => {
      const server = await counting();
      const result = await deliver(items(3), profileFor(server.port, { batchSize: 3 }), context(), { batchSize: 1 });
      assert.ok(result.ok);
      assert.deepEqual(messagesPerConnection(server), [1, 1, 1]);
    });

    it("waits the profile's relogin delay (seconds) before a new connection, and not before the first", async () => {
      const server = await counting();
      const started = Date.now();
      // No signal: the wait works without one.
      const result = await deliver(items(2), profileFor(server.port, { batchSize: 1, reloginDelaySeconds: 2 }), context());
      assert.ok(result.ok);
      assert.deepEqual(messagesPerConnection(server), [1, 1]);
      const [first, second] = server.seen;
      assert.ok(first.openedAt - started < 2000, `the first connection opened without waiting (${first.openedAt - started} ms)`);
      const gap = second.openedAt - first.dots[0];
      assert.ok(gap >= 1990, `the second connection waited the 2 s relogin delay (${gap} ms)`);
    });

    it("the caller's relogin delay (milliseconds) wins over the profile's", async () => {
      const server = await counting();
      const started = Date.now();
      const result = await deliver(items(2), profileFor(server.port, { batchSize: 1, reloginDelaySeconds: 60 }), context(), { reloginDelayMs: 300 });
      assert.ok(result.ok);
      assert.deepEqual(messagesPerConnection(server), [1, 1]);
      assert.ok(Date.now() - started < 30_000, 'not the profile\u2019s 60 s');
      assert.ok(server.seen[1].openedAt - server.seen[0].dots[0] >= 290);
    });
  });

  describe('cancellation', () => {
    it('a cancel between two messages: the rest is returned as not sent, and only what was sent is recorded', async () => {
      const server = await counting();
      const controller = new AbortController();
      const list = items(3);
      const result = await deliver(list, profileFor(server.port), context({ signal: controller.signal, onProgress: () => controller.abort() }));
      assert.ok(result.ok);
      assert.equal(result.delivered.length, 1);
      assert.deepEqual(result.notSent, list.slice(1));
      assert.deepEqual(messagesPerConnection(server), [1]);
      assert.deepEqual(journal().map((e) => [e.subject, e.status]), [['Number 1', 'sent']]);
    });

    it('a cancel during the relogin wait ends the wait at once and opens no new connection', async () => {
      const controller = new AbortController();
      // The delivery closes the first connection (QUIT) and then waits: the cancel comes while it waits.
      const server = await counting({}, () => controller.abort());
      const list = items(2);
      const started = Date.now();
      const result = await deliver(list, profileFor(server.port, { batchSize: 1, reloginDelaySeconds: 25 }), context({ signal: controller.signal }));
      assert.ok(Date.now() - started < 15_000, `the 25 s wait ended with the cancel (${Date.now() - started} ms)`);
      assert.ok(result.ok);
      assert.equal(result.delivered.length, 1);
      assert.deepEqual(result.notSent, list.slice(1));
      assert.equal(server.connections(), 1, 'no connection after the cancel');
      assert.deepEqual(journal().map((e) => e.status), ['sent'], 'nothing recorded for the message not tried');
    });

    it('a cancel while a message is in flight reaches its session: it stops at once, not at the 30 s deadline', async () => {
      const controller = new AbortController();
      // A server that accepts the connection and never greets; the cancel comes once the client is there.
      const server = await startRawServer(() => controller.abort());
      closers.push(() => server.close());
      const started = Date.now();
      const result = await deliver(items(1), profileFor(server.port, { timeouts: { connectMs: 30_000, greetingMs: 30_000, socketMs: 30_000 } }), context({ signal: controller.signal }));
      assert.ok(Date.now() - started < 15_000, `stopped by the cancel (${Date.now() - started} ms)`);
      assert.ok(result.ok);
      assert.equal(result.delivered[0].outcome.status, 'failed', JSON.stringify(result.delivered[0].outcome));
    });

    it('cancelled before it starts: nothing is contacted, everything is returned as not sent', async () => {
      const server = await counting();
      const controller = new AbortController();
      controller.abort();
      const list = items(2);
      const result = await deliver(list, profileFor(server.port), context({ signal: controller.signal }));
      assert.ok(result.ok);
      assert.deepEqual(result.delivered, []);
      assert.deepEqual(result.notSent, list);
      assert.equal(server.connections(), 0);
      assert.deepEqual(journal(), []);
    });

    it('a signal that never fires: twelve connections and eleven waits leave no listener on it (no MaxListenersExceededWarning)', async () => {
      const server = await counting();
      const controller = new AbortController();
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      try {
        const result = await deliver(items(12), profileFor(server.port), context({ signal: controller.signal }), { batchSize: 1, reloginDelayMs: 1 });
        assert.ok(result.ok);
        assert.equal(result.delivered.filter((d) => d.outcome.status === 'sent').length, 12);
        assert.equal(server.connections(), 12);
        // Node warns on the next tick once an AbortSignal holds more than 10 listeners: let one pass before looking.
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(warnings.map((w) => w.name).filter((name) => name === 'MaxListenersExceededWarning'), []);
        // Each wait lets go of the signal as soon as it is over; each session when its connection ends.
        await until('every listener to leave the signal', () => getEventListeners(controller.signal, 'abort').length === 0);
      } finally {
        process.off('warning', onWarning);
      }
    });
  });

  describe('hooks and progress', () => {
    it('before: the message it returns is the one sent and recorded; after: false stops there, anything else goes on', async () => {
      const server = await counting();
      const list = items(4);
      const replacement: OutgoingMessage = { message: prepared('two, rebuilt'), source: '/docs/rebuilt.eml' };
      const afterCalls: [string, number][] = [];
      const result = await deliver(list, profileFor(server.port), context(), {
        before: (index, item) => (index === 1 ? replacement : item),
        after: (done, index) => {
          afterCalls.push([done.item.source, index]);
          if (index === 0) return true;
          if (index === 1) return undefined;
          return false;
        },
      });
      assert.ok(result.ok);
      assert.deepEqual(afterCalls, [['/docs/m1.eml', 0], ['/docs/rebuilt.eml', 1], ['/docs/m3.eml', 2]]);
      assert.deepEqual(result.delivered.map((d) => d.item), [list[0], replacement, list[2]]);
      assert.deepEqual(result.notSent, [list[3]]);
      assert.deepEqual(messagesPerConnection(server), [3]);
      assert.match(server.bytes(), /Subject: Number two, rebuilt/);
      assert.doesNotMatch(server.bytes(), /Subject: Number 2\r\n/);
      assert.deepEqual(journal().map((e) => [e.subject, e.source]), [['Number 1', '/docs/m1.eml'], ['Number two, rebuilt', '/docs/rebuilt.eml'], ['Number 3', '/docs/m3.eml']]);
    });

    it('reports progress after each outcome: how many are done, of how many, and the outcome', async () => {
      const server = await counting();
      const progress: DeliveryProgress[] = [];
      const result = await deliver(items(2), profileFor(server.port), context({ onProgress: (p) => progress.push(p) }));
      assert.ok(result.ok);
      assert.deepEqual(progress, [
        { done: 1, total: 2, outcome: result.delivered[0].outcome },
        { done: 2, total: 2, outcome: result.delivered[1].outcome },
      ]);
      assert.equal(progress[0].outcome?.status, 'sent');
    });
  });

  describe('the journal and the hourly count', () => {
    it('records every outcome with its source, face and subject, a copy of the bytes and its own part of the dialogue', async () => {
      const server = await counting();
      const logger = collectingLogger();
      const list = items(2);
      const result = await deliver(list, profileFor(server.port), context({ logger }));
      assert.ok(result.ok);
      const entries = journal();
      assert.deepEqual(entries.map((e) => [e.source, e.face, e.subject, e.status]), [
        ['/docs/m1.eml', 'test-face', 'Number 1', 'sent'],
        ['/docs/m2.eml', 'test-face', 'Number 2', 'sent'],
      ]);
      assert.deepEqual(result.delivered.map((d) => d.entry.id), entries.map((e) => e.id));
      entries.forEach((e, i) => {
        assert.ok(readFileSync(e.copy!).equals(list[i].message.raw), 'the copy is the bytes sent');
        assert.equal(e.size, list[i].message.raw.length);
      });
      const [first, second] = entries.map((e) => readFileSync(e.transcript!, 'utf8'));
      // The first message opened the connection; the second went over it: its transcript starts afresh.
      assert.match(first, /Connecting to 127\.0\.0\.1:/);
      assert.doesNotMatch(second, /Connecting to/);
      assert.match(second, /C: <message, \d+ bytes>/);
      // The transcript holds the dialogue's level (info and up); the face's log gets every level.
      const dialogue = logger.lines.filter((l) => /^(info|warn|error) /.test(l)).map((l) => l.replace(/^\w+ /, ''));
      const transcripts = [...first.trimEnd().split('\n'), ...second.trimEnd().split('\n')];
      // (The QUIT after the last message belongs to no message.)
      assert.deepEqual(transcripts, dialogue.slice(0, transcripts.length));
      assert.deepEqual(dialogue.slice(transcripts.length), ['C: QUIT']);
      assert.ok(logger.lines.some((l) => l.startsWith('debug ')), 'debug lines reach the face\u2019s log');
      assert.ok(logger.lines.includes('trace SMTP handshake finished'), 'trace lines reach the face\u2019s log');
      assert.doesNotMatch(first + second, /SMTP handshake finished|Connection established/, 'but not the transcript');
    });

    it("a failure's error line and an unknown outcome's warning go to that message's transcript and to the face's log", async () => {
      const refusing = await counting({ on: { RCPT: (s) => void s.write('550 5.1.1 no such user\r\n') } });
      // Drops the connection right after the final dot: the server may have the message, the outcome is unknown.
      const dropping = await startRawServer(scriptedSmtp({ afterDot: (s) => s.destroy() }));
      closers.push(() => dropping.close());
      const logger = collectingLogger();
      const refused = await deliver(items(1), profileFor(refusing.port), context({ logger }));
      const dropped = await deliver(items(1), profileFor(dropping.port), context({ logger }));
      assert.ok(refused.ok && dropped.ok);
      const failed = refused.delivered[0].outcome;
      assert.ok(failed.status === 'failed' && failed.stage === 'rcpt', JSON.stringify(failed));
      assert.equal(dropped.delivered[0].outcome.status, 'unknown', JSON.stringify(dropped.delivered[0].outcome));
      const errorLine = `Send failed at rcpt: ${failed.reason}`;
      const warningLine = logger.lines.find((l) => l.startsWith('warn Outcome unknown: '))?.slice('warn '.length);
      assert.ok(logger.lines.includes(`error ${errorLine}`), logger.text());
      assert.ok(warningLine, logger.text());
      const [first, second] = journal().map((e) => readFileSync(e.transcript!, 'utf8').trimEnd().split('\n'));
      assert.ok(first.includes(errorLine), first.join('\n'));
      assert.ok(second.includes(warningLine), second.join('\n'));
      assert.ok(!first.includes(warningLine) && !second.includes(errorLine), 'each line in its own message\u2019s transcript');
    });

    it('keepCopies false: entries carry neither the bytes nor the dialogue, and the face still gets its log', async () => {
      const server = await counting();
      const logger = collectingLogger();
      const opened = await openDelivery(profileFor(server.port), context({ logger }), { keepCopies: false });
      assert.ok(opened.ok);
      const connection = opened.delivery.connection();
      const done = await connection.send(items(1)[0]);
      connection.close();
      await opened.delivery.close();
      assert.equal(done.outcome.status, 'sent');
      const [entry] = journal();
      assert.equal(entry.subject, 'Number 1');
      assert.equal(entry.copy, undefined);
      assert.equal(entry.transcript, undefined);
      assert.equal(entry.size, undefined);
      assert.ok(!existsSync(join(dir, 'state', 'sent')), 'no copies folder');
      assert.ok(logger.lines.some((l) => /^info Connecting to/.test(l)));
      assert.ok(logger.lines.some((l) => l.startsWith('debug ')));
    });

    it('keepCopies true (explicit) keeps them like the default', async () => {
      const server = await counting();
      const opened = await openDelivery(profileFor(server.port), context(), { keepCopies: true });
      assert.ok(opened.ok);
      const connection = opened.delivery.connection();
      await connection.send(items(1)[0]);
      connection.close();
      await opened.delivery.close();
      const [entry] = journal();
      assert.ok(entry.copy && existsSync(entry.copy));
      assert.ok(entry.transcript && existsSync(entry.transcript));
    });

    it('counts every message in the hourly file, and at the limit the next one fails at "limit" having contacted nothing', async () => {
      const server = await counting();
      const profile = profileFor(server.port, { maxPerHour: 2 });
      const result = await deliver(items(3), profile, context());
      assert.ok(result.ok);
      assert.deepEqual(result.delivered.map((d) => d.outcome.status), ['sent', 'sent', 'failed']);
      const third = result.delivered[2].outcome;
      assert.equal(third.status === 'failed' && third.stage, 'limit');
      assert.deepEqual(messagesPerConnection(server), [2]);
      assert.equal(checkHourlyLimit(rateLimitFile(join(dir, 'state')), accountKey(profile), 2, Date.now()).sentLastHour, 2);
      const entries = journal();
      assert.deepEqual(entries.map((e) => e.status), ['sent', 'sent', 'failed']);
      assert.equal(entries[2].copy, undefined, 'no copy of bytes that never left');
    });

    it('ownLimits: the caller counts, so the hourly file is neither checked nor written', async () => {
      const server = await counting();
      const profile = profileFor(server.port, { maxPerHour: 1 });
      const opened = await openDelivery(profile, context(), { ownLimits: true });
      assert.ok(opened.ok);
      const connection = opened.delivery.connection();
      const outcomes = [];
      for (const item of items(2)) outcomes.push((await connection.send(item)).outcome.status);
      connection.close();
      await opened.delivery.close();
      assert.deepEqual(outcomes, ['sent', 'sent']);
      assert.ok(!existsSync(rateLimitFile(join(dir, 'state'))));
    });

    it('the profile\u2019s ${env:NAME} values are read from the context\u2019s environment', async () => {
      const server = await counting();
      const profile = profileFor(server.port, { ehloName: '${env:MAILSMITH_TEST_EHLO}' });
      const result = await deliver(items(1), profile, context({ env: { MAILSMITH_TEST_EHLO: 'client.example.org' } }));
      assert.ok(result.ok);
      assert.equal(result.delivered[0].outcome.status, 'sent');
      assert.match(server.bytes(), /^EHLO client\.example\.org\r\n/m);
    });
  });

  describe('credentials renewed once, only after a lasting AUTH refusal', () => {
    const rotating = (asked: string[], refresh: () => Promise<SmtpSecret | undefined>): SecretProvider => ({
      get: async () => (asked.push('get'), { password: 'stale-secret-1' }),
      refresh: async () => (asked.push('refresh'), refresh()),
    });

    it('renewed credentials are used by the connections opened afterwards too, without asking again', async () => {
      const server = await smtp({ starttls: false, auth: { user: 'ann', password: 'fresh-secret-2' } });
      const asked: string[] = [];
      const logger = collectingLogger();
      const result = await deliver(items(2), profileFor(server.port, { user: 'ann', batchSize: 1 }), context({ logger, secrets: rotating(asked, async () => ({ password: 'fresh-secret-2' })) }));
      assert.ok(result.ok);
      assert.deepEqual(result.delivered.map((d) => d.outcome.status), ['sent', 'sent']);
      assert.deepEqual(asked, ['get', 'refresh']);
      assert.equal(server.received.length, 2);
      assert.equal(server.authMethods.length, 3, 'stale once, then fresh on each connection');
      assert.ok(logger.lines.includes('info The server refused the credentials: trying once more with renewed ones'));
    });

    it('a refused recipient is not a credentials problem: nothing is renewed or tried again', async () => {
      const server = await smtp({ starttls: false, auth: { user: 'ann', password: 'stale-secret-1' }, rcpt: () => ({ code: 550, message: '5.1.1 no such user' }) });
      const asked: string[] = [];
      const result = await deliver(items(1), profileFor(server.port, { user: 'ann' }), context({ secrets: rotating(asked, async () => ({ password: 'stale-secret-1' })) }));
      assert.ok(result.ok);
      const outcome = result.delivered[0].outcome;
      assert.equal(outcome.status === 'failed' && outcome.stage, 'rcpt');
      assert.deepEqual(asked, ['get']);
      assert.equal(server.authMethods.length, 1, 'signed in once');
    });

    it('a temporary AUTH refusal (454 4.7.0) is not renewed: another sign-in at once would only prolong it', async () => {
      const server = await counting({
        ehlo: ['AUTH PLAIN'],
        on: { AUTH: (s) => void s.write('454 4.7.0 Too many login attempts, try later\r\n') },
      });
      const asked: string[] = [];
      const result = await deliver(items(1), profileFor(server.port, { user: 'ann' }), context({ secrets: rotating(asked, async () => ({ password: 'fresh-secret-2' })) }));
      assert.ok(result.ok);
      const outcome = result.delivered[0].outcome;
      assert.equal(outcome.status, 'failed');
      assert.ok(outcome.status === 'failed' && outcome.stage === 'auth' && outcome.temporary, JSON.stringify(outcome));
      assert.deepEqual(asked, ['get']);
      assert.equal((server.bytes().match(/^AUTH /gm) ?? []).length, 1);
    });

    it('no renewed credentials: one attempt, and its reason as it was', async () => {
      const server = await smtp({ starttls: false, auth: { user: 'ann', password: 'fresh-secret-2' } });
      const asked: string[] = [];
      const result = await deliver(items(1), profileFor(server.port, { user: 'ann' }), context({ secrets: rotating(asked, async () => undefined) }));
      assert.ok(result.ok);
      const outcome = result.delivered[0].outcome;
      assert.ok(outcome.status === 'failed' && outcome.stage === 'auth', JSON.stringify(outcome));
      assert.deepEqual(asked, ['get', 'refresh']);
      assert.equal(server.authMethods.length, 1);
      assert.match(outcome.reason, /^authentication failed: 535 [^;]*; many providers need an app password or authorisation code\)$/, 'the reason as the server gave it, nothing added');
    });

    it('renewal unavailable (sign in again): the reason says so; any other renewal error is not shown as that', async () => {
      const server = await smtp({ starttls: false, auth: { user: 'ann', password: 'fresh-secret-2' } });
      const signIn = await deliver(
        items(1),
        profileFor(server.port, { user: 'ann' }),
        context({
          secrets: rotating([], async () => {
            throw new SecretUnavailable('the sign-in of "deliver" has expired: sign in again');
          }),
        }),
      );
      assert.ok(signIn.ok);
      const first = signIn.delivered[0].outcome;
      assert.ok(first.status === 'failed' && first.stage === 'auth');
      assert.match(first.reason, /; the sign-in of "deliver" has expired: sign in again$/);
      assert.equal(signIn.delivered[0].entry.status, 'failed');
      const other = await deliver(
        items(1),
        profileFor(server.port, { user: 'ann' }),
        context({
          secrets: rotating([], async () => {
            throw new Error('token endpoint unreachable');
          }),
        }),
      );
      assert.ok(other.ok);
      const second = other.delivered[0].outcome;
      assert.ok(second.status === 'failed' && second.stage === 'auth');
      assert.match(second.reason, /^authentication failed: 535 [^;]*; many providers need an app password or authorisation code\)$/, 'nothing added to the reason');
      assert.equal(server.received.length, 0);
    });
  });

  describe('nothing could be tried', () => {
    const refusedWith = async (context: DeliveryContext, profile: SmtpProfile) => {
      const list = items(2);
      const result = await deliver(list, profile, context);
      assert.equal(result.ok, false);
      assert.deepEqual(result.notSent, list, 'every message returned as not sent');
      assert.deepEqual(journal(), [], 'nothing happened, nothing recorded');
      return result.ok ? '' : result.reason;
    };

    it('credentials unavailable: their own words; any other failure: "could not get ready to send" with what went wrong', async () => {
      const server = await counting();
      const profile = profileFor(server.port, { user: 'ann' });
      const unavailable = await refusedWith(
        context({
          secrets: {
            get: async () => {
              throw new SecretUnavailable('the profile "deliver" reads its password from $NOPE, which is not set');
            },
          },
        }),
        profile,
      );
      assert.equal(unavailable, 'the profile "deliver" reads its password from $NOPE, which is not set');
      const broken = await refusedWith(
        context({
          secrets: {
            get: async () => {
              throw new Error('the keyring is locked');
            },
          },
        }),
        profile,
      );
      assert.equal(broken, 'could not get ready to send: the keyring is locked');
      const thrownText = await refusedWith(
        context({
          secrets: {
            get: async () => {
              throw 'plain words';
            },
          },
        }),
        profile,
      );
      assert.equal(thrownText, 'could not get ready to send: plain words');
      assert.equal(server.connections(), 0);
    });

    it('a capture inbox with neither a running inbox nor a folder to start one in', async () => {
      const reason = await refusedWith(context(), BUILT_IN_INBOX_PROFILE);
      assert.equal(reason, 'could not get ready to send: no folder was given for the capture inbox');
    });

    it('the face\u2019s capture inbox would not start', async () => {
      const reason = await refusedWith(
        context({
          captureInbox: async () => {
            throw new Error('port 2525 is in use');
          },
        }),
        BUILT_IN_INBOX_PROFILE,
      );
      assert.equal(reason, 'could not get ready to send: port 2525 is in use');
    });
  });

  describe('the capture inbox', () => {
    it('the face\u2019s running inbox: sent there, no credentials asked', async () => {
      const inbox = await smtp({ starttls: false });
      let asked = 0;
      const secrets: SecretProvider = { get: async () => (asked++, staticSecrets({ password: 'x' }).get()) };
      const result = await deliver(items(2), BUILT_IN_INBOX_PROFILE, context({ secrets, captureInbox: async () => ({ profile: profileFor(inbox.port, { kind: 'capture-inbox' }) }) }));
      assert.ok(result.ok);
      assert.deepEqual(result.delivered.map((d) => d.outcome.status), ['sent', 'sent']);
      assert.equal(inbox.received.length, 2);
      assert.equal(asked, 0);
      assert.deepEqual(result.delivered.map((d) => d.captured), [undefined, undefined], 'the face\u2019s inbox tells its own story');
    });

    it('an inbox started for the delivery: each message says the file it landed in, and the inbox is stopped afterwards', async () => {
      const inboxDir = join(dir, 'inbox');
      const logger = collectingLogger();
      const list = items(2);
      const result = await deliver(list, BUILT_IN_INBOX_PROFILE, context({ logger, inboxDir }));
      assert.ok(result.ok);
      assert.deepEqual(result.delivered.map((d) => d.outcome.status), ['sent', 'sent']);
      result.delivered.forEach((d, i) => {
        assert.ok(d.captured?.startsWith(inboxDir), d.captured);
        assert.ok(readFileSync(d.captured!).equals(list[i].message.raw), 'each file holds its own message');
      });
      const port = Number(/Connecting to 127\.0\.0\.1:(\d+)/.exec(logger.text())?.[1]);
      assert.ok(port > 0, logger.text());
      // Stopped: nothing listens there any more.
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(false)));
        socket.once('error', () => resolve(true));
      });
      assert.ok(refused, `the inbox on port ${port} was stopped`);
    });
  });
});

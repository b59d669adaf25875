// Review #10, item 6: timeouts measured silence only, so a server that trickles a byte every so often kept
// `send` and `doctor` waiting forever. Every stage now has a deadline. Each test here runs against a raw
// server that never goes silent (it trickles bytes) and with idle timeouts of a minute, so only a
// deadline can end the stage; the deadlines are short, and the test waits for the outcome, not a clock.
import * as assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { prepareMessage } from '../../../src/core/message';
import type { SmtpProfile, SmtpTimeouts } from '../../../src/core/profiles/profile';
import { describeOutcome, runDoctor, sendMessage, type SendOutcome } from '../../../src/core/send';
import { scriptedSmtp, startRawServer, trickle, type RawServer, type Script } from '../../support/smtpServers';
import { prepareFixture, profileFor } from './helpers';

const DEADLINE = 400;
/** Generous: a deadline of 400 ms must end the stage well before this, even on a busy machine. */
const WITHIN = 5_000;
const PATIENT: SmtpTimeouts = { connectMs: 60_000, greetingMs: 60_000, socketMs: 60_000 };

function profileWith(port: number, deadlines: SmtpTimeouts, extra: Partial<SmtpProfile> = {}): SmtpProfile {
  return profileFor(port, { timeouts: { ...PATIENT, ...deadlines }, ...extra });
}

async function timedSend(profile: SmtpProfile, message = prepareFixture().message, secret = {}) {
  const started = Date.now();
  const outcome = await sendMessage(message, profile, secret, {});
  return { outcome, elapsed: Date.now() - started };
}

function assertFailedAt(outcome: SendOutcome, stage: string, reason: RegExp) {
  assert.equal(outcome.status, 'failed', describeOutcome(outcome));
  if (outcome.status !== 'failed') return;
  assert.equal(outcome.stage, stage, describeOutcome(outcome));
  assert.equal(outcome.temporary, true);
  assert.match(outcome.reason, reason);
}

describe('stage deadlines against a server that trickles', function () {
  this.timeout(15_000);
  let server: RawServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (script: Script | ((s: Socket) => void)) => (server = await startRawServer(typeof script === 'function' ? script : scriptedSmtp(script)));

  it('the greeting, a byte at a time: failed at greeting within the connect+greeting deadline', async () => {
    const raw = await start((s) => trickle(s, '220-still greeting you\r\n'));
    const { outcome, elapsed } = await timedSend(profileWith(raw.port, { greetingDeadlineMs: DEADLINE }));
    assertFailedAt(outcome, 'greeting', /greeting within 0\.4 s/);
    assert.ok(elapsed < WITHIN, `took ${elapsed} ms`);
  });

  it('the EHLO reply, a continuation line at a time: failed at greeting (EHLO) within the set-up deadline', async () => {
    const raw = await start({ on: { EHLO: (s) => trickle(s, '250-PIPELINING\r\n', 20) } });
    const { outcome, elapsed } = await timedSend(profileWith(raw.port, { setupDeadlineMs: DEADLINE }));
    assertFailedAt(outcome, 'greeting', /answer to EHLO within 0\.4 s/);
    assert.ok(elapsed < WITHIN, `took ${elapsed} ms`);
  });

  it('STARTTLS accepted, then no TLS handshake (bytes of garbage never completing a record): failed at tls within the set-up deadline', async () => {
    const raw = await start({
      ehlo: ['STARTTLS'],
      on: {
        STARTTLS: (s) => {
          s.write('220 go ahead\r\n');
          // A TLS record header announcing a long record, then its body a byte at a time.
          s.write(Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00]));
          trickle(s, 'x', 50);
        },
      },
    });
    const { outcome, elapsed } = await timedSend(profileWith(raw.port, { setupDeadlineMs: DEADLINE }, { security: 'starttls' }));
    assertFailedAt(outcome, 'tls', /STARTTLS and the TLS handshake within 0\.4 s/);
    assert.ok(elapsed < WITHIN, `took ${elapsed} ms`);
  });

  it('AUTH answered a byte at a time: failed at auth within the AUTH deadline', async () => {
    const raw = await start({ ehlo: ['AUTH PLAIN'], on: { AUTH: (s) => trickle(s, '334 \r\n'.slice(0, 4)) } });
    const { outcome, elapsed } = await timedSend(profileWith(raw.port, { authDeadlineMs: DEADLINE }, { user: 'ann' }), undefined, { password: 'slow-auth-pw' });
    assertFailedAt(outcome, 'auth', /AUTH exchange within 0\.4 s/);
    assert.ok(elapsed < WITHIN, `took ${elapsed} ms`);
  });

  for (const [verb, stage] of [
    ['MAIL', 'mail'],
    ['RCPT', 'rcpt'],
    ['DATA', 'data'],
  ] as const) {
    it(`${verb} answered a byte at a time: failed at ${stage} within the command deadline, nothing delivered`, async () => {
      const raw = await start({ on: { [verb]: (s: Socket) => trickle(s, '250-wait\r\n', 20) } });
      const { outcome, elapsed } = await timedSend(profileWith(raw.port, { commandDeadlineMs: DEADLINE }));
      assertFailedAt(outcome, stage, new RegExp(`answer to ${verb === 'MAIL' ? 'MAIL FROM' : verb === 'RCPT' ? 'RCPT TO' : 'DATA'} within 0\\.4 s.*nothing was delivered`));
      assert.ok(elapsed < WITHIN, `took ${elapsed} ms`);
      assert.doesNotMatch(raw.bytes(), /\r\n\.\r\n/, 'the final dot was never sent');
    });
  }

  it('the server stops reading the message: failed at data within the data deadline, never the final dot', async () => {
    const raw = await start({ ehlo: [], duringData: (s) => s.pause() });
    // Large enough to fill the socket buffers of both sides long before the end.
    const body = ('z'.repeat(76) + '\r\n').repeat(160_000);
    const big = prepareMessage(`From: a@example.com\r\nTo: b@example.org\r\nSubject: big\r\n\r\n${body}`);
    assert.ok(big.ok);
    const { outcome, elapsed } = await timedSend(profileWith(raw.port, { dataDeadlineMs: DEADLINE }), big.message);
    assertFailedAt(outcome, 'data', /did not take the message within 0\.4 s.*not delivered/);
    assert.ok(elapsed < WITHIN, `took ${elapsed} ms`);
  });

  it('the reply after the final dot, a byte at a time: outcome unknown within the final-reply deadline, one attempt', async () => {
    const raw = await start({ afterDot: (s) => trickle(s, '250-thinking\r\n', 20) });
    const { outcome, elapsed } = await timedSend(profileWith(raw.port, { finalReplyDeadlineMs: DEADLINE }));
    assert.equal(outcome.status, 'unknown', describeOutcome(outcome));
    assert.match(describeOutcome(outcome), /no reply within 0\.4 s.*may or may not have been delivered/);
    assert.ok(elapsed < WITHIN, `took ${elapsed} ms`);
    assert.equal(raw.connections(), 1);
  });

  it('each command gets its own deadline: a slow but steady session of many RCPTs under the deadline each still sends', async () => {
    // Every answer takes ~150 ms, well under a 600 ms deadline per command; MAIL and four RCPTs together
    // take longer than one deadline.
    const perCommand = 600;
    const slow = (reply: string) => (s: Socket) => void setTimeout(() => s.write(reply), 150);
    const raw = await start({ on: { MAIL: slow('250 OK\r\n'), RCPT: slow('250 OK\r\n') } });
    const { outcome, elapsed } = await timedSend(profileWith(raw.port, { commandDeadlineMs: perCommand }));
    assert.equal(outcome.status, 'sent', describeOutcome(outcome));
    assert.ok(elapsed > perCommand, `the session as a whole (${elapsed} ms) outlasted one deadline`);
  });

  describe('the doctor', () => {
    it('stops at the stage that is too slow, with its deadline', async () => {
      const raw = await start({ on: { EHLO: (s) => trickle(s, '250-PIPELINING\r\n', 20) } });
      const started = Date.now();
      const report = await runDoctor(profileWith(raw.port, { setupDeadlineMs: DEADLINE }), {});
      assert.ok(Date.now() - started < WITHIN);
      const ehlo = report.steps.find((s) => s.id === 'ehlo');
      assert.equal(ehlo?.status, 'fail', JSON.stringify(report.steps, null, 1));
      assert.match(ehlo?.diagnosis ?? '', /EHLO within 0\.4 s/);
      assert.equal(report.steps.find((s) => s.id === 'banner')?.status, 'pass');
      assert.ok(report.steps.filter((s) => ['tls', 'auth', 'noop', 'quit'].includes(s.id)).every((s) => s.status === 'skip'));
    });

    it('honours its cancellation signal: aborted while the server trickles, it returns at once, cancelled', async () => {
      const controller = new AbortController();
      const raw = await start({
        on: {
          EHLO: (s) => {
            trickle(s, '250-PIPELINING\r\n', 20);
            controller.abort();
          },
        },
      });
      const started = Date.now();
      // Deadlines of a minute: only the signal can end this.
      const report = await runDoctor(profileWith(raw.port, { setupDeadlineMs: 60_000 }), {}, { signal: controller.signal });
      assert.ok(Date.now() - started < WITHIN, `took ${Date.now() - started} ms`);
      assert.equal(report.cancelled, true);
      assert.equal(report.ok, false);
      assert.ok(report.steps.slice(report.steps.findIndex((s) => s.diagnosis === 'Cancelled.')).every((s) => s.status === 'skip'));
      assert.deepEqual(report.steps.map((s) => s.id), ['dns', 'tcp', 'banner', 'ehlo', 'tls', 'auth', 'noop', 'quit']);
    });

    it('a signal aborted before it starts: nothing is contacted', async () => {
      const raw = await start({});
      const report = await runDoctor(profileFor(raw.port), {}, { signal: AbortSignal.abort() });
      assert.equal(report.cancelled, true);
      assert.equal(raw.connections(), 0);
    });
  });

  it('sending honours the signal during AUTH too (the server holds the AUTH reply)', async () => {
    const controller = new AbortController();
    const raw = await start({ ehlo: ['AUTH PLAIN'], on: { AUTH: () => controller.abort() } });
    const started = Date.now();
    const outcome = await sendMessage(prepareFixture().message, profileWith(raw.port, {}, { user: 'ann' }), { password: 'held-auth-pw' }, { signal: controller.signal });
    assert.ok(Date.now() - started < WITHIN);
    assertFailedAt(outcome, 'auth', /cancelled/);
  });
});

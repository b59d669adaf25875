// One send (src/core/send/send.ts) against real peers on 127.0.0.1 (issue #16): the whole outcome as the
// caller gets it (not one field of it), what is refused before anything is contacted, the hourly-limit
// place kept or given back, the pooled connection across messages, SMTPUTF8, the recipient policy and the
// queue id. Each rule next to its neighbour: an 8-bit body next to a 7-bit one, a 4xx refusal next to a
// 5xx one, a second message on the same connection next to the first.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreparedMessage } from '../../../src/core/message/types';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import { createSender, describeOutcome, sendMessage, type SendOutcome } from '../../../src/core/send';
import { scriptedSmtp, startRawServer, startSmtpServer, testCertificate, type RawServer, type RunningServer, type Script, type SmtpTestOptions } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor } from './helpers';

const RECIPIENTS = ['bob@example.org', 'carol@example.net', 'dave@example.org', 'secret-eve@example.com'];

/** The outcome without its elapsed time (which is checked on its own). */
function withoutTime(outcome: SendOutcome): Omit<SendOutcome, 'elapsedMs'> {
  assert.equal(typeof outcome.elapsedMs, 'number');
  assert.ok(outcome.elapsedMs >= 0 && outcome.elapsedMs < 60_000, `elapsed ${outcome.elapsedMs} ms`);
  const rest: Partial<SendOutcome> = { ...outcome };
  delete rest.elapsedMs;
  return rest as Omit<SendOutcome, 'elapsedMs'>;
}

/** Waits (polling, bounded) until `condition` holds. */
async function until(condition: () => boolean, what: string, withinMs = 4_000): Promise<void> {
  const giveUp = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > giveUp) assert.fail(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('one send, its outcome and its neighbours (send.ts)', function () {
  // Each test takes well under a second on a busy machine; a short limit keeps a send that never settles
  // from holding the suite, and a mutation run, for long.
  this.timeout(5_000);
  const closers: { close(): Promise<void> | void }[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((s) => s.close()));
  });
  const raw = async (script: Script | ((s: Socket) => void)): Promise<RawServer> => {
    const server = await startRawServer(typeof script === 'function' ? script : scriptedSmtp(script));
    closers.push(server);
    return server;
  };
  const smtp = async (options: SmtpTestOptions = {}): Promise<RunningServer> => {
    const server = await startSmtpServer({ starttls: false, ...options });
    closers.push(server);
    return server;
  };
  const fixture = () => prepareFixture().message;
  const common = (message: PreparedMessage, profile = 'test') => ({ profile, messageId: message.messageId, envelope: { from: message.envelope.from, to: [...message.envelope.to] } });

  describe('the outcome as the caller gets it', () => {
    it('sent: every field, the log lines, and the connection ended with QUIT', async () => {
      const server = await raw({});
      const message = fixture();
      const log = collectingLogger();
      const outcome = await sendMessage(message, profileFor(server.port), {}, { logger: log });
      assert.deepEqual(withoutTime(outcome), { ...common(message), status: 'sent', accepted: RECIPIENTS, reply: '250 OK' });
      assert.ok(log.lines.includes(`info Connecting to 127.0.0.1:${server.port} (none) with profile "test"`), log.text());
      assert.ok(log.lines.includes('info Outcome: sent (250 OK)'), log.text());
      await until(() => /\r\nQUIT\r\n/.test(server.bytes()), 'QUIT after the send');
    });

    it('refused at MAIL FROM: failed with stage, permanence, reason and reply, logged once as an error', async () => {
      const server = await raw({ on: { MAIL: (s) => void s.write('550 5.7.1 sender refused\r\n') } });
      const message = fixture();
      const log = collectingLogger();
      const outcome = await sendMessage(message, profileFor(server.port), {}, { logger: log });
      assert.equal(outcome.status, 'failed', describeOutcome(outcome));
      if (outcome.status !== 'failed') return;
      assert.deepEqual(withoutTime(outcome), { ...common(message), status: 'failed', stage: 'mail', temporary: false, reason: outcome.reason, reply: '550 5.7.1 sender refused' });
      assert.match(outcome.reason, /550 5\.7\.1 sender refused/);
      assert.ok(!('rejected' in outcome));
      assert.deepEqual(log.lines.filter((l) => l.startsWith('error ')), [`error Send failed at mail: ${outcome.reason}`]);
    });

    it('nothing listening: failed at connect with no reply field', async () => {
      const gone = await startRawServer(() => undefined);
      const port = gone.port;
      await gone.close();
      const outcome = await sendMessage(fixture(), profileFor(port), {});
      assert.equal(outcome.status, 'failed');
      if (outcome.status === 'failed') {
        assert.equal(outcome.stage, 'connect');
        assert.ok(!('reply' in outcome) && !('rejected' in outcome), JSON.stringify(outcome));
      }
    });

    it('unknown (a drop right after the final dot): the whole outcome, a warning, and the next message on a new connection', async () => {
      let connections = 0;
      const server = await raw((socket) => {
        connections++;
        scriptedSmtp(connections === 1 ? { afterDot: (s) => s.destroy() } : {})(socket);
      });
      const message = fixture();
      const log = collectingLogger();
      const sender = createSender(profileFor(server.port), {}, { logger: log });
      try {
        const first = await sender.send(message);
        assert.equal(first.status, 'unknown', describeOutcome(first));
        if (first.status !== 'unknown') return;
        assert.deepEqual(withoutTime(first), { ...common(message), status: 'unknown', reason: first.reason });
        assert.ok(log.lines.includes(`warn Outcome unknown: ${first.reason}`), log.text());
        assert.equal((await sender.send(message)).status, 'sent');
        assert.equal(connections, 2);
        assert.equal(log.lines.filter((l) => l.startsWith('info Connecting to')).length, 2);
      } finally {
        sender.close();
      }
    });

    it('a value that is no profile, or no message: failed at config, permanent, with empty names; nothing contacted', async () => {
      const server = await raw({});
      const message = fixture();
      const noProfile = await sendMessage(message, null as unknown as SmtpProfile, {});
      assert.deepEqual(withoutTime(noProfile), { ...common(message, ''), status: 'failed', stage: 'config', temporary: false, reason: (noProfile as { reason: string }).reason });
      assert.match((noProfile as { reason: string }).reason, /no usable profile/);
      const cases: [unknown, { from: string; to: string[] }][] = [
        [null, { from: '', to: [] }],
        [{}, { from: '', to: [] }],
        [{ ...message, raw: message.raw.toString('latin1') }, common(message).envelope],
        [{ ...message, envelope: undefined }, { from: '', to: [] }],
        [{ ...message, envelope: { from: 7, to: message.envelope.to } }, { from: '7', to: [...message.envelope.to] }],
        [{ ...message, envelope: { from: message.envelope.from, to: 'bob@example.org' } }, { from: message.envelope.from, to: [] }],
      ];
      for (const [value, envelope] of cases) {
        const outcome = await sendMessage(value as PreparedMessage, profileFor(server.port), {});
        assert.deepEqual(withoutTime(outcome), {
          profile: 'test',
          messageId: value && typeof value === 'object' && 'messageId' in value ? message.messageId : '',
          envelope,
          status: 'failed',
          stage: 'config',
          temporary: false,
          reason: 'no prepared message was given (envelope and bytes)',
        }, JSON.stringify(value)?.slice(0, 80));
      }
      const none = await sendMessage({ ...message, envelope: { from: message.envelope.from, to: [] } }, profileFor(server.port), {});
      assert.equal(none.status === 'failed' && none.reason, 'the message has no recipients (To, Cc or Bcc): nothing was sent');
      const invalid = await sendMessage(message, profileFor(server.port, { port: 0 }), {});
      assert.equal(invalid.status === 'failed' && `${invalid.stage} ${invalid.temporary}`, 'config false');
      assert.equal(server.connections(), 0);
    });

    it('no secret at all (a store with nothing saved) for a profile without a user: sent', async () => {
      const server = await smtp();
      const outcome = await sendMessage(fixture(), profileFor(server.port), undefined as never);
      assert.equal(outcome.status, 'sent', describeOutcome(outcome));
    });

    it('a signal aborted before the send: failed at config, temporary, nothing contacted', async () => {
      const server = await raw({});
      const log = collectingLogger();
      const outcome = await sendMessage(fixture(), profileFor(server.port), {}, { logger: log, signal: AbortSignal.abort() });
      assert.equal(outcome.status === 'failed' && `${outcome.stage} ${outcome.temporary} ${outcome.reason}`, 'config true cancelled before anything was sent');
      assert.ok(log.lines.includes('error Send failed at config: cancelled before anything was sent'), log.text());
      // Cancelling is checked first: before the message, the profile and the hourly limit are looked at.
      const invalid = await sendMessage(null as unknown as PreparedMessage, profileFor(server.port, { port: 0 }), {}, { signal: AbortSignal.abort() });
      assert.equal(invalid.status === 'failed' && invalid.reason, 'cancelled before anything was sent');
      assert.equal(server.connections(), 0);
    });
  });

  describe('the envelope on the wire', () => {
    for (const eightBit of [true, false]) {
      it(`SIZE is the prepared size; BODY=8BITMIME ${eightBit ? 'for an 8-bit body' : 'absent for a 7-bit one'}`, async () => {
        const server = await raw({});
        const message: PreparedMessage = { ...fixture(), has8BitBody: eightBit };
        assert.equal((await sendMessage(message, profileFor(server.port), {})).status, 'sent');
        const mail = /^MAIL FROM:.*$/m.exec(server.bytes())?.[0] ?? '';
        assert.match(mail, new RegExp(` SIZE=${message.size}\\b`));
        assert.equal(/ BODY=8BITMIME/.test(mail), eightBit, mail);
      });
    }
  });

  describe('security and AUTH', () => {
    it('STARTTLS required and offered: the message goes over the encrypted session', async () => {
      const cert = await testCertificate();
      const server = await smtp({ starttls: true, certificate: cert });
      const outcome = await sendMessage(fixture(), profileFor(server.port, { security: 'starttls', caFile: cert.certFile }), {});
      assert.equal(outcome.status, 'sent', describeOutcome(outcome));
      assert.equal(server.received[0].secure, true);
    });

    it('a CA file that cannot be read: failed at config, nothing contacted', async () => {
      const server = await raw({});
      const outcome = await sendMessage(fixture(), profileFor(server.port, { security: 'starttls', caFile: join(tmpdir(), 'mailsmith-no-such-ca.pem') }), {});
      assert.equal(outcome.status === 'failed' && outcome.stage, 'config');
      assert.match(outcome.status === 'failed' ? outcome.reason : '', /cannot read the CA file/);
      assert.equal(server.connections(), 0);
    });

    it('the connection dropped in the middle of AUTH: failed at auth, temporary, lost during AUTH, nothing sent', async () => {
      const server = await raw({ ehlo: ['AUTH PLAIN'], on: { AUTH: (s) => void s.destroy() } });
      const outcome = await sendMessage(fixture(), profileFor(server.port, { user: 'ann' }), { password: 'pw-drop-auth' });
      assert.equal(outcome.status === 'failed' && `${outcome.stage} ${outcome.temporary}`, 'auth true', describeOutcome(outcome));
      assert.match(outcome.status === 'failed' ? outcome.reason : '', /^the connection was lost during AUTH/);
      assert.doesNotMatch(server.bytes(), /^MAIL/m);
    });

    it('AUTH refused (535): failed at auth, permanent, "authentication failed" with the reply', async () => {
      const server = await raw({ ehlo: ['AUTH PLAIN'], on: { AUTH: (s) => void s.write('535 5.7.8 credentials invalid\r\n') } });
      const outcome = await sendMessage(fixture(), profileFor(server.port, { user: 'ann' }), { password: 'pw-wrong-1' });
      assert.equal(outcome.status === 'failed' && `${outcome.stage} ${outcome.temporary}`, 'auth false', describeOutcome(outcome));
      assert.match(outcome.status === 'failed' ? outcome.reason : '', /^authentication failed: 535 5\.7\.8 credentials invalid/);
      assert.doesNotMatch(server.bytes(), /^MAIL/m);
    });

    it('a user, and the server offers no AUTH: failed at auth with the reason, no AUTH and no MAIL, the connection closed', async () => {
      const server = await raw({ ehlo: [] });
      const log = collectingLogger();
      const outcome = await sendMessage(fixture(), profileFor(server.port, { user: 'ann' }), { password: 'pw-no-auth' }, { logger: log });
      assert.equal(outcome.status === 'failed' && `${outcome.stage} ${outcome.temporary} ${outcome.reason}`, 'auth false the server offers no AUTH, but this profile has a user: refusing to send unauthenticated');
      assert.doesNotMatch(server.bytes(), /^(AUTH|MAIL)/m);
    });

    it('a user and AUTH accepted: logged in with the chosen mechanism, then sent', async () => {
      const server = await smtp({ auth: { user: 'ann', password: 'pw-ok-1234' } });
      const outcome = await sendMessage(fixture(), profileFor(server.port, { user: 'ann' }), { password: 'pw-ok-1234' });
      assert.equal(outcome.status, 'sent', describeOutcome(outcome));
      assert.deepEqual(server.authMethods, ['PLAIN']);
      assert.equal(server.received[0].user, 'ann');
    });
  });

  describe('SMTPUTF8 (RFC 6531 section 3.4)', () => {
    const utf8 = (): PreparedMessage => {
      const bytes = Buffer.from('From: a@example.com\r\nTo: jörg@example.com\r\nSubject: x\r\n\r\nhi\r\n', 'utf8');
      return { envelope: { from: 'a@example.com', to: ['jörg@example.com'] }, raw: bytes, size: bytes.length, messageId: '<u@example.com>', needsSmtpUtf8: true, has8BitBody: false };
    };
    for (const [keywords, offered] of [
      [['SMTPUTF8'], true],
      [['smtputf8'], true],
      [['SMTPUTF8X'], false],
      [['X-NOTE 250 SMTPUTF8'], false],
      [[], false],
    ] as const) {
      it(`EHLO ${JSON.stringify(keywords)}: ${offered ? 'sent' : 'refused before MAIL FROM, and the connection kept for the next message'}`, async () => {
        const server = await raw({ ehlo: [...keywords] });
        const sender = createSender(profileFor(server.port), {});
        try {
          const outcome = await sender.send(utf8());
          if (offered) {
            assert.equal(outcome.status, 'sent', describeOutcome(outcome));
            return;
          }
          assert.equal(outcome.status === 'failed' && `${outcome.stage} ${outcome.temporary}`, 'mail false', describeOutcome(outcome));
          assert.equal(outcome.status === 'failed' && outcome.reason, 'the message needs SMTPUTF8 (non-ASCII addresses or UTF-8 header fields, RFC 6531), and this server does not offer it: nothing was sent');
          assert.doesNotMatch(server.bytes(), /^MAIL/m);
          // Nothing of a transaction was started: the next message goes on the same connection, without RSET.
          assert.equal((await sender.send(fixture())).status, 'sent');
          assert.equal(server.connections(), 1);
          assert.doesNotMatch(server.bytes(), /^RSET/m);
        } finally {
          sender.close();
        }
      });
    }

    it('a message that does not need it goes to a server that does not offer it', async () => {
      const server = await raw({ ehlo: [] });
      assert.equal((await sendMessage({ ...utf8(), needsSmtpUtf8: false }, profileFor(server.port), {})).status, 'sent');
    });
  });

  describe('several messages on one connection', () => {
    it('RSET between messages, one connection, one log-in', async () => {
      const server = await raw({});
      const log = collectingLogger();
      const sender = createSender(profileFor(server.port), {}, { logger: log });
      try {
        for (let i = 0; i < 3; i++) assert.equal((await sender.send(fixture())).status, 'sent');
        assert.equal(server.connections(), 1);
        assert.equal((server.bytes().match(/^RSET\r$/gm) ?? []).length, 2);
        assert.equal((server.bytes().match(/\r\n\.\r\n/g) ?? []).length, 3);
      } finally {
        sender.close();
      }
    });

    it('the previous connection closed meanwhile: a new one, and the log says why', async () => {
      let connections = 0;
      const server = await raw((socket) => {
        connections++;
        scriptedSmtp(connections === 1 ? { on: { RSET: (s) => void s.destroy() } } : {})(socket);
      });
      const log = collectingLogger();
      const sender = createSender(profileFor(server.port), {}, { logger: log });
      try {
        assert.equal((await sender.send(fixture())).status, 'sent');
        assert.equal((await sender.send(fixture())).status, 'sent');
        assert.equal(connections, 2);
        assert.ok(log.lines.includes('info The previous connection is closed (idle timeout?): reconnecting'), log.text());
      } finally {
        sender.close();
      }
    });

    it('cancelled while the next message waits for RSET: failed at config, cancelled, no new connection', async () => {
      const controller = new AbortController();
      const server = await raw({ on: { RSET: () => controller.abort() } });
      const sender = createSender(profileFor(server.port, { timeouts: { socketMs: 60_000 } }), {}, { signal: controller.signal });
      try {
        assert.equal((await sender.send(fixture())).status, 'sent');
        const second = await sender.send(fixture());
        assert.equal(second.status === 'failed' && `${second.stage} ${second.temporary} ${second.reason}`, 'config true cancelled before anything was sent', describeOutcome(second));
        assert.equal(server.connections(), 1);
      } finally {
        sender.close();
      }
    });

    it('the second message dropped at MAIL FROM: failed at mail and safe to retry, not "unknown" from the first message\'s end', async () => {
      let mails = 0;
      const server = await raw({
        on: {
          MAIL: (s) => {
            mails++;
            if (mails === 2) s.destroy();
            else s.write('250 OK\r\n');
          },
        },
      });
      const sender = createSender(profileFor(server.port), {});
      try {
        assert.equal((await sender.send(fixture())).status, 'sent');
        const second = await sender.send(fixture());
        assert.equal(second.status === 'failed' && `${second.stage} ${second.temporary}`, 'mail true', describeOutcome(second));
      } finally {
        sender.close();
      }
    });
  });

  describe('recipients refused (all or none by default)', () => {
    const refusing = (codes: Record<string, number>) => smtp({ rcpt: (a) => (codes[a] ? { code: codes[a], message: `refused ${a}` } : undefined) });

    for (const [codes, temporary] of [
      [{ 'carol@example.net': 451, 'dave@example.org': 452 }, true],
      [{ 'carol@example.net': 451, 'dave@example.org': 550 }, false],
    ] as const) {
      it(`two of four refused (${Object.values(codes).join(', ')}): failed at rcpt, ${temporary ? 'temporary' : 'permanent'}, to nobody, the whole outcome`, async () => {
        const server = await refusing(codes);
        const message = fixture();
        const log = collectingLogger();
        const outcome = await sendMessage(message, profileFor(server.port), {}, { logger: log });
        const rejected = Object.keys(codes).map((address) => ({ address, reply: outcome.status === 'failed' ? (outcome.rejected?.find((r) => r.address === address)?.reply ?? '') : '' }));
        for (const r of rejected) assert.match(r.reply, new RegExp(`^${codes[r.address as keyof typeof codes]} .*refused ${r.address}`));
        assert.deepEqual(withoutTime(outcome), {
          ...common(message),
          status: 'failed',
          stage: 'rcpt',
          temporary,
          reason: `the server refused 2 of 4 recipients (${rejected.map((r) => `${r.address} (${r.reply})`).join('; ')}), and the profile sends to all or none: the message went to nobody`,
          rejected,
          reply: rejected[0].reply,
        });
        assert.ok(log.lines.includes('warn Some recipients were refused and the profile sends to all or none: aborting before the message body'), log.text());
        assert.deepEqual(log.lines.filter((l) => l.startsWith('error ')), [`error Send failed at rcpt: ${outcome.status === 'failed' ? outcome.reason : ''}`]);
        assert.equal(server.received.length, 0);
      });
    }

    it('accept-partial: partly sent, with the refusals and the queue id', async () => {
      const server = await refusing({ 'carol@example.net': 550 });
      const message = fixture();
      const outcome = await sendMessage(message, profileFor(server.port, { partialRecipients: 'accept' }), {});
      assert.equal(outcome.status, 'partial', describeOutcome(outcome));
      if (outcome.status !== 'partial') return;
      assert.deepEqual(withoutTime(outcome), {
        ...common(message),
        status: 'partial',
        accepted: RECIPIENTS.filter((r) => r !== 'carol@example.net'),
        rejected: [{ address: 'carol@example.net', reply: outcome.rejected[0].reply }],
        reply: outcome.reply,
        queueId: 'TESTQ1',
      });
      assert.match(outcome.reply ?? '', /queued as TESTQ1/);
    });
  });

  describe('the queue id', () => {
    for (const [reply, queueId] of [
      ['250 2.0.0 Ok: queued as 4Xyz.1_a-B', '4Xyz.1_a-B'],
      ['250 2.0.0 OK QUEUED AS QX9 (accepted)', 'QX9'],
      ['250 2.0.0 OK <AB1234.namprd01.prod.outlook.com> [Hostname=AB1234.namprd01.prod.outlook.com]', '<AB1234.namprd01.prod.outlook.com>'],
      ['250 2.0.0 message accepted', undefined],
    ] as const) {
      it(`"${reply}": ${queueId ?? 'none'}`, async () => {
        const server = await raw({ afterDot: (s) => void s.write(`${reply}\r\n`) });
        const outcome = await sendMessage(fixture(), profileFor(server.port), {});
        assert.equal(outcome.status, 'sent', describeOutcome(outcome));
        if (outcome.status !== 'sent') return;
        assert.equal(outcome.reply, reply);
        if (queueId) assert.equal(outcome.queueId, queueId);
        else assert.ok(!('queueId' in outcome), JSON.stringify(outcome));
      });
    }
  });

  describe('the hourly limit', () => {
    const NOW = Date.parse('2026-11-30T10:00:00Z');
    const statePath = () => join(mkdtempSync(join(tmpdir(), 'mailsmith-send-limit-')), 'state.json');

    it('reached: failed at limit, temporary, with the time the next place frees up; nothing contacted', async () => {
      const server = await raw({});
      const path = statePath();
      const profile = profileFor(server.port, { maxPerHour: 1 });
      assert.equal((await sendMessage(fixture(), profile, {}, { rateLimitStatePath: path, now: () => NOW })).status, 'sent');
      const outcome = await sendMessage(fixture(), profile, {}, { rateLimitStatePath: path, now: () => NOW + 20 * 60_000 });
      assert.equal(outcome.status === 'failed' && `${outcome.stage} ${outcome.temporary}`, 'limit true');
      assert.equal(outcome.status === 'failed' && outcome.reason, `the hourly limit of profile "test" for 127.0.0.1:${server.port} (1 messages) is reached; nothing was sent. Try again after 11:00 UTC`);
      assert.equal(server.connections(), 1);
    });

    it('without maxPerHour the limit is 1000', async () => {
      const server = await raw({});
      const path = statePath();
      const account = `127.0.0.1:${server.port}`;
      const entries = Array.from({ length: 1000 }, (_, i) => ({ at: NOW - 30 * 60_000 + i, id: `e${i}` }));
      writeFileSync(path, JSON.stringify({ accounts: { [account]: entries } }));
      const outcome = await sendMessage(fixture(), profileFor(server.port), {}, { rateLimitStatePath: path, now: () => NOW });
      assert.match(outcome.status === 'failed' ? outcome.reason : describeOutcome(outcome), /\(1000 messages\) is reached/);
      assert.equal(server.connections(), 0);
    });

    it('a failed send gives its place back; a sent one keeps it', async () => {
      let mails = 0;
      const server = await raw({
        on: {
          MAIL: (s) => {
            mails++;
            s.write(mails === 1 ? '550 5.7.1 not now\r\n' : '250 OK\r\n');
          },
        },
      });
      const path = statePath();
      const profile = profileFor(server.port, { maxPerHour: 1 });
      const send = () => sendMessage(fixture(), profile, {}, { rateLimitStatePath: path, now: () => NOW });
      assert.equal((await send()).status, 'failed');
      assert.equal((await send()).status, 'sent', 'the failed attempt gave its place back');
      const third = await send();
      assert.equal(third.status === 'failed' && third.stage, 'limit', 'the sent message kept its place');
    });

    it('a place that cannot be given back (the state folder gone meanwhile): still failed, and a warning says so', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mailsmith-send-limit-'));
      const server = await raw({
        on: {
          MAIL: (s) => {
            // The folder of the state file is replaced by a file between the reservation and the give-back.
            rmSync(dir, { recursive: true, force: true });
            writeFileSync(dir, 'not a folder any more');
            s.write('550 5.7.1 not now\r\n');
          },
        },
      });
      closers.push({ close: () => rmSync(dir, { force: true }) });
      const log = collectingLogger();
      const outcome = await sendMessage(fixture(), profileFor(server.port), {}, { rateLimitStatePath: join(dir, 'state.json'), now: () => NOW, logger: log });
      assert.equal(outcome.status === 'failed' && outcome.stage, 'mail');
      assert.ok(log.lines.some((l) => l.startsWith('warn Could not give back the hourly-limit place: E')), log.text());
    });

    it('a state file that cannot be used: failed at limit, temporary, saying why; nothing contacted', async () => {
      const server = await raw({});
      const file = join(mkdtempSync(join(tmpdir(), 'mailsmith-send-limit-')), 'a-file');
      writeFileSync(file, 'not a folder');
      const path = join(file, 'state.json');
      const outcome = await sendMessage(fixture(), profileFor(server.port), {}, { rateLimitStatePath: path, now: () => NOW });
      assert.equal(outcome.status === 'failed' && `${outcome.stage} ${outcome.temporary}`, 'limit true', describeOutcome(outcome));
      assert.match(outcome.status === 'failed' ? outcome.reason : '', new RegExp(`^the hourly-limit state ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be used \\(E[A-Z]+: .*\\); nothing was sent$`));
      assert.equal(server.connections(), 0);
    });
  });
});

// More neighbours of the SMTP session's rules (src/core/send/session.ts, issue #16), against real peers on
// 127.0.0.1: text that happens to look like a format string next to nodemailer's own formatted entries, and
// one connection used for many messages next to a connection used once.
import * as assert from 'node:assert/strict';
import { generate } from 'selfsigned';
import { createSender } from '../../../src/core/send';
import { connect, login, openSession, untilDone } from '../../../src/core/send/session';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor } from './helpers';
import { sessionPeers } from './sessionPeers';

const infoLines = (log: { lines: string[] }) => log.lines.filter((l) => l.startsWith('info ')).map((l) => l.slice('info '.length));

describe('the SMTP session, more neighbours (session.ts)', function () {
  this.timeout(10_000);
  const { raw, track, closeAfter } = sessionPeers();

  describe('a "%s" in the dialogue is text, not a format', () => {
    // nodemailer hands its transaction log over as (entry, text) with no arguments; only its own entries
    // ("Connection established to %s:%s") carry arguments. A '%' in an address or a reply is the peer's text.
    it('an address and a reply holding %s, %d and %j are logged as they are', async () => {
      const reply = '550 5.1.1 <a%sb@example.org>: 100%d unknown, %j';
      const server = await raw({ on: { RCPT: (s) => void s.write(`${reply}\r\n`) } });
      const log = collectingLogger();
      const { session } = openSession(profileFor(server.port), {}, { logger: log });
      track(session);
      await connect(session);
      const { message } = prepareFixture();
      await assert.rejects(untilDone(session, (done) => session.connection.send({ from: 'x%s@example.com', to: ['a%sb@example.org'] } as never, message.raw as never, (err) => done(err))));
      const lines = infoLines(log);
      assert.ok(lines.some((l) => /^C: MAIL FROM:<x%s@example\.com>/.test(l)), lines.join('\n'));
      assert.ok(lines.includes('C: RCPT TO:<a%sb@example.org>'), lines.join('\n'));
      assert.ok(lines.includes(`S: ${reply}`), lines.join('\n'));
      // nodemailer's own formatted entry still gets its arguments.
      assert.ok(log.lines.includes(`debug Connection established to 127.0.0.1:${server.port}`), log.text());
    });

    it('a greeting holding %s is the greeting as sent', async () => {
      const server = await raw({ greeting: '220 mx.example ESMTP 100%s ready %d' });
      const { session } = openSession(profileFor(server.port), {});
      track(session);
      await connect(session);
      assert.equal(session.facts.greeting, '220 mx.example ESMTP 100%s ready %d');
    });

    it('a password holding %s that the server quotes back is hidden whole, no part of it left in the log', async () => {
      const password = 'pa%sw0rd-echo';
      const server = await raw({ ehlo: ['AUTH PLAIN'], on: { AUTH: (s) => void s.write(`535 5.7.8 password ${password} refused\r\n`) } });
      const profile = profileFor(server.port, { user: 'ann' });
      const log = collectingLogger();
      const { session } = openSession(profile, { password }, { logger: log });
      track(session);
      await connect(session);
      await assert.rejects(login(session, profile, { password }, 'PLAIN'));
      assert.ok(infoLines(log).includes('S: 535 5.7.8 password <redacted> refused'), log.text());
      assert.doesNotMatch(log.text(), /w0rd-echo/);
    });
  });

  describe('the certificate of an implicit TLS session', () => {
    it('an empty subject (a certificate named only by its subjectAltName): "?" in the log, and the session goes on', async () => {
      // RFC 5280 section 4.1.2.6 allows an empty subject when the subjectAltName is critical; some issuers of
      // short-lived certificates leave it empty. Node gives an empty object for it, never nothing.
      const pems = await generate([], {
        keyType: 'ec',
        curve: 'P-256',
        algorithm: 'sha256',
        extensions: [{ name: 'subjectAltName', critical: true, altNames: [{ type: 7, ip: '127.0.0.1' }] }],
      } as never);
      const server = await startSmtpServer({ secure: true, certificate: { key: pems.private, cert: pems.cert, certFile: '' } });
      closeAfter(server);
      const log = collectingLogger();
      // Not verified: self-signed, and what is shown is the point here.
      const { session } = openSession(profileFor(server.port, { security: 'tls', verifyCertificate: false }), {}, { logger: log });
      track(session);
      await connect(session);
      assert.equal(session.facts.tls?.subject, undefined);
      assert.equal(session.facts.tls?.issuer, undefined);
      assert.match(infoLines(log).find((l) => l.startsWith('TLS: ')) ?? '', /^TLS: TLSv1\.[23], \S+; certificate \? issued by \?, valid to .+ GMT$/);
      const { message } = prepareFixture();
      await untilDone(session, (done) => session.connection.send({ from: message.envelope.from, to: message.envelope.to } as never, message.raw as never, (err) => done(err)));
      assert.equal(server.received.length, 1);
    });
  });

  describe('one connection for many messages', () => {
    let server: RunningServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('each step takes its listeners off the connection: 15 messages back to back, no listener-leak warning', async () => {
      // Every message is two steps on the connection (RSET, then the send); a step that left its 'error' or
      // 'end' listener behind would pass Node's limit of 10 and print a MaxListenersExceededWarning.
      server = await startSmtpServer({ starttls: false });
      const warnings: Error[] = [];
      const onWarning = (w: Error) => warnings.push(w);
      process.on('warning', onWarning);
      const log = collectingLogger();
      const sender = createSender(profileFor(server.port), {}, { logger: log });
      try {
        const { message } = prepareFixture();
        for (let i = 0; i < 15; i++) assert.equal((await sender.send(message)).status, 'sent');
        // Node emits its warnings on the next tick.
        await new Promise((r) => setImmediate(r));
        assert.equal(server.received.length, 15);
        assert.equal(log.lines.filter((l) => /Connecting to/.test(l)).length, 1, 'one connection');
        assert.deepEqual(
          warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
          [],
        );
      } finally {
        process.off('warning', onWarning);
        sender.close();
      }
    });
  });
});

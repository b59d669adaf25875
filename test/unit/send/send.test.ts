import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSender, describeOutcome, sendMessage } from '../../../src/core/send';
import { startSmtpServer, testCertificate } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor, sha256 } from './helpers';

describe('sendMessage against a real smtp-server', () => {
  it('delivers the prepared bytes exactly, to every envelope recipient, with no Bcc header', async () => {
    const cert = await testCertificate();
    const server = await startSmtpServer({ auth: { user: "ann", password: "pa55-word-xyz" }, certificate: cert, size: 10_000_000 });
    try {
      const { message, file, hash } = prepareFixture();
      const log = collectingLogger();
      const outcome = await sendMessage(message, profileFor(server.port, { security: 'starttls', user: 'ann', caFile: cert.certFile }), { password: 'pa55-word-xyz' }, { logger: log });
      assert.equal(outcome.status, 'sent', describeOutcome(outcome));
      assert.equal(server.received.length, 1);
      const got = server.received[0];
      assert.ok(got.raw.equals(message.raw), 'the server stored exactly the prepared bytes');
      assert.equal(got.secure, true, 'sent over STARTTLS');
      assert.equal(got.user, 'ann');
      assert.deepEqual(got.to.sort(), ['bob@example.org', 'carol@example.net', 'dave@example.org', 'secret-eve@example.com']);
      assert.doesNotMatch(got.raw.toString('latin1'), /^Bcc:/im);
      assert.doesNotMatch(got.raw.toString('latin1'), /secret-eve/);
      assert.match(got.raw.toString('latin1'), /^\.leading dot line\r$/m, 'dot-stuffing is undone by the server: the line arrives as written');
      assert.equal(sha256(readFileSync(file)), hash, 'the source file is untouched');
      if (outcome.status === 'sent') assert.equal(outcome.queueId, 'TESTQ1');
      assert.match(log.text(), /TLS: TLSv1\.[23]/);
      assert.match(log.text(), /C: MAIL FROM:<ann@example\.com> SIZE=\d+/);
    } finally {
      await server.close();
    }
  });

  it('sends many messages over one connection with createSender', async () => {
    const server = await startSmtpServer({ starttls: false });
    const sender = createSender(profileFor(server.port), {}, {});
    try {
      const { message } = prepareFixture();
      for (let i = 0; i < 5; i++) assert.equal((await sender.send(message)).status, 'sent');
      assert.equal(server.received.length, 5);
      assert.ok(server.received.every((r) => r.raw.equals(message.raw)));
    } finally {
      sender.close();
      await server.close();
    }
  });

  it('verifies the certificate by default and trusts a CA file per profile', async () => {
    const cert = await testCertificate();
    const server = await startSmtpServer({ certificate: cert });
    try {
      const { message } = prepareFixture();
      const untrusted = await sendMessage(message, profileFor(server.port, { security: 'starttls' }), {});
      assert.equal(untrusted.status, 'failed');
      const trusted = await sendMessage(message, profileFor(server.port, { security: 'starttls', caFile: cert.certFile }), {});
      assert.equal(trusted.status, 'sent', describeOutcome(trusted));
      assert.equal(server.received.length, 1, 'only the verified session delivered');
    } finally {
      await server.close();
    }
  });
});

// A message that needs SMTPUTF8 (RFC 6531) goes only to a server that offers it.
import * as assert from 'node:assert/strict';
import type { PreparedMessage } from '../../../src/core/message/types';
import { sendMessage } from '../../../src/core/send';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { collectingLogger, profileFor } from './helpers';

const raw = Buffer.from('From: a@example.com\r\nTo: jörg@example.com\r\nSubject: x\r\n\r\nhi\r\n', 'utf8');
const message: PreparedMessage = { envelope: { from: 'a@example.com', to: ['jörg@example.com'] }, raw, size: raw.length, messageId: '<u@example.com>', needsSmtpUtf8: true, has8BitBody: false };

describe('SMTPUTF8', function () {
  this.timeout(10_000);
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is refused before MAIL FROM when the server does not offer SMTPUTF8', async () => {
    server = await startSmtpServer({ starttls: false, extra: { hideSMTPUTF8: true } });
    const log = collectingLogger();
    const outcome = await sendMessage(message, profileFor(server.port), {}, { logger: log });
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    if (outcome.status === 'failed') {
      assert.equal(outcome.stage, 'mail');
      assert.equal(outcome.temporary, false);
      assert.match(outcome.reason, /SMTPUTF8/);
    }
    assert.doesNotMatch(log.text(), /C: MAIL/);
    assert.equal(server.received.length, 0);
  });

  it('is sent, declared with SMTPUTF8, when the server offers it', async () => {
    server = await startSmtpServer({ starttls: false });
    const log = collectingLogger();
    const outcome = await sendMessage(message, profileFor(server.port), {}, { logger: log });
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.match(log.text(), /C: MAIL FROM:<a@example\.com>.* SMTPUTF8/);
    assert.deepEqual(server.received[0].to, ['jörg@example.com']);
    assert.ok(server.received[0].raw.equals(raw));
  });
});

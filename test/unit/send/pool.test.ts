// The pooled sender (createSender) across the life of one connection: servers close idle sessions
// (RFC 5321 section 4.5.3.2.7, "server timeout"), and the next message must not fail because of it.
import * as assert from 'node:assert/strict';
import { createSender } from '../../../src/core/send';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor } from './helpers';

describe('pooled sender', function () {
  this.timeout(10_000);
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reconnects when the server closed the idle connection between two messages', async () => {
    // smtp-server answers 421 and closes a session idle for longer than socketTimeout.
    server = await startSmtpServer({ starttls: false, extra: { socketTimeout: 300 } });
    const log = collectingLogger();
    const sender = createSender(profileFor(server.port), {}, { logger: log });
    try {
      const { message } = prepareFixture();
      assert.equal((await sender.send(message)).status, 'sent');
      await new Promise((r) => setTimeout(r, 700));
      const second = await sender.send(message);
      assert.equal(second.status, 'sent', JSON.stringify(second));
      assert.equal(server.received.length, 2);
      assert.equal(log.lines.filter((l) => /Connecting to/.test(l)).length, 2, 'a second connection was opened');
    } finally {
      sender.close();
    }
  });

  it('keeps one connection for messages sent back to back', async () => {
    server = await startSmtpServer({ starttls: false });
    const log = collectingLogger();
    const sender = createSender(profileFor(server.port), {}, { logger: log });
    try {
      const { message } = prepareFixture();
      for (let i = 0; i < 5; i++) assert.equal((await sender.send(message)).status, 'sent');
      assert.equal(server.received.length, 5);
      assert.equal(log.lines.filter((l) => /Connecting to/.test(l)).length, 1);
      assert.equal(log.lines.filter((l) => /C: RSET/.test(l)).length, 4);
    } finally {
      sender.close();
    }
  });
});

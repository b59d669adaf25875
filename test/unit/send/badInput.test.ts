// The core never throws on bad input: a message with no recipients, no message, or no secret at all
// become config failures, before any connection, with a reason a person can act on.
import * as assert from 'node:assert/strict';
import type { PreparedMessage } from '../../../src/core/message/types';
import { sendMessage, type SendOutcome } from '../../../src/core/send';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { profileFor } from './helpers';

const raw = Buffer.from('From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\n\r\nhi\r\n');
const prepared = (to: string[]): PreparedMessage => ({ envelope: { from: 'a@example.com', to }, raw, size: raw.length, messageId: '<x@example.com>', needsSmtpUtf8: false, has8BitBody: false });

describe('sendMessage on bad input', function () {
  this.timeout(10_000);
  let server: RunningServer;
  before(async () => {
    server = await startSmtpServer({ starttls: false });
  });
  after(() => server.close());

  function assertConfig(outcome: SendOutcome, reason: RegExp) {
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    if (outcome.status === 'failed') {
      assert.equal(outcome.stage, 'config');
      assert.match(outcome.reason, reason);
    }
  }

  it('a message with no recipients: refused before connecting, saying so', async () => {
    assertConfig(await sendMessage(prepared([]), profileFor(server.port), {}, {}), /no recipients/);
    assert.equal(server.received.length, 0);
  });

  it('no message at all: a config failure, not an exception', async () => {
    assertConfig(await sendMessage(null as unknown as PreparedMessage, profileFor(server.port), {}, {}), /no prepared message/);
  });

  it('no secret object for a profile with a user: asks for the password, not an exception', async () => {
    assertConfig(await sendMessage(prepared(['b@example.com']), profileFor(server.port, { user: 'ann' }), undefined as never, {}), /no password/);
  });

  it('the same message with a recipient goes through (the checks above are not what fails)', async () => {
    const outcome = await sendMessage(prepared(['b@example.com']), profileFor(server.port), {}, {});
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
  });
});

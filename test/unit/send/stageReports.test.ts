// Where a session stopped, said right (review #10, item 10), and the moment after the final dot
// (issue #16): a drop there is "unknown", never "failed" (which would invite a resend and a duplicate).
import * as assert from 'node:assert/strict';
import type { PreparedMessage } from '../../../src/core/message/types';
import { describeOutcome, runDoctor, sendMessage, type SendOutcome } from '../../../src/core/send';
import { scriptedSmtp, startRawServer, startSmtpServer, type RawServer, type RunningServer, type Script } from '../../support/smtpServers';
import { prepareFixture, profileFor } from './helpers';

function assertFailed(outcome: SendOutcome, stage: string, temporary: boolean, reason?: RegExp) {
  assert.equal(outcome.status, 'failed', describeOutcome(outcome));
  if (outcome.status !== 'failed') return;
  assert.equal(outcome.stage, stage, describeOutcome(outcome));
  assert.equal(outcome.temporary, temporary, describeOutcome(outcome));
  if (reason) assert.match(outcome.reason, reason);
}

describe('stages and outcomes, said right', function () {
  this.timeout(10_000);
  const closers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((s) => s.close()));
  });
  const raw = async (script: Script): Promise<RawServer> => {
    const server = await startRawServer(scriptedSmtp(script));
    closers.push(server);
    return server;
  };
  const smtp = async (...args: Parameters<typeof startSmtpServer>): Promise<RunningServer> => {
    const server = await startSmtpServer(...args);
    closers.push(server);
    return server;
  };

  describe('a connection dropped right after the final dot', () => {
    for (const [how, cut] of [
      ['closed (FIN)', (s: import('node:net').Socket) => s.end()],
      ['reset (RST)', (s: import('node:net').Socket) => s.resetAndDestroy()],
      ['closed with half a reply', (s: import('node:net').Socket) => s.end('25')],
    ] as const) {
      it(`${how}: outcome unknown, not "failed" (not safe to retry), exactly one attempt`, async () => {
        const server = await raw({ afterDot: cut });
        const outcome = await sendMessage(prepareFixture().message, profileFor(server.port), {}, {});
        assert.equal(outcome.status, 'unknown', describeOutcome(outcome));
        assert.match(describeOutcome(outcome), /may or may not have been delivered.*not sent again/);
        assert.equal(server.connections(), 1);
        assert.equal((server.bytes().match(/\r\n\.\r\n/g) ?? []).length, 1, 'the message went out once');
      });
    }

    it('while a drop before the final dot is failed and safe to retry (the contrast)', async () => {
      const server = await raw({ duringData: (s) => s.destroy() });
      const body = ('y'.repeat(76) + '\r\n').repeat(100_000);
      const { message } = prepareFixture();
      const big: PreparedMessage = { ...message, raw: Buffer.concat([message.raw, Buffer.from(body)]), size: message.size + body.length };
      assertFailed(await sendMessage(big, profileFor(server.port), {}, {}), 'data', true, /not delivered/);
    });
  });

  it('a drop right after the 220 to STARTTLS: failed at tls (not "at the greeting"), temporary', async () => {
    const server = await raw({ ehlo: ['STARTTLS'], on: { STARTTLS: (s) => void s.end('220 2.0.0 go ahead\r\n') } });
    for (const security of ['starttls', 'starttls-optional'] as const) {
      const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { security }), {}, {});
      assertFailed(outcome, 'tls', true, /STARTTLS/);
      assert.match(describeOutcome(outcome), /failed while setting up the encrypted connection: .*This may pass if you try again later\./);
      const report = await runDoctor(profileFor(server.port, { security }), {});
      assert.equal(report.steps.find((s) => s.id === 'tls')?.status, 'fail', JSON.stringify(report.steps));
    }
  });

  it('454 to STARTTLS (RFC 3207: TLS not available for a temporary reason): failed at tls, temporary, with the reply', async () => {
    const server = await raw({ ehlo: ['STARTTLS'], on: { STARTTLS: (s) => void s.write('454 4.7.0 TLS not available due to temporary reason\r\n') } });
    const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { security: 'starttls' }), {}, {});
    assertFailed(outcome, 'tls', true, /refused STARTTLS: 454 4\.7\.0/);
  });

  it('a drop right after DATA (before its 354): failed at data, not "at MAIL FROM"', async () => {
    const server = await raw({ on: { DATA: (s) => void s.destroy() } });
    const outcome = await sendMessage(prepareFixture().message, profileFor(server.port), {}, {});
    assertFailed(outcome, 'data', true, /after DATA/);
    assert.match(describeOutcome(outcome), /failed while the message was being handed over/);
  });

  it('a drop right after RCPT: failed at rcpt', async () => {
    const server = await raw({ on: { RCPT: (s) => void s.destroy() } });
    assertFailed(await sendMessage(prepareFixture().message, profileFor(server.port), {}, {}), 'rcpt', true, /after RCPT/);
  });

  it('550 for the only recipient: the reason names the address and the reply', async () => {
    const server = await smtp({ starttls: false, rcpt: () => ({ code: 550, message: '5.1.1 <nobody@example.org>: Recipient address rejected: User unknown' }) });
    const { message } = prepareFixture();
    const one: PreparedMessage = { ...message, envelope: { from: message.envelope.from, to: ['nobody@example.org'] } };
    const outcome = await sendMessage(one, profileFor(server.port), {}, {});
    assertFailed(outcome, 'rcpt', false, /nobody@example\.org \(550 5\.1\.1 .*User unknown\)/);
    assert.match(describeOutcome(outcome), /nobody@example\.org/);
    if (outcome.status === 'failed') assert.deepEqual(outcome.rejected?.map((r) => r.address), ['nobody@example.org']);
  });

  it('550 for one of several recipients under all-or-nothing: the reason names it and the reply', async () => {
    const server = await smtp({ starttls: false, rcpt: (a) => (a === 'carol@example.net' ? { code: 550, message: '5.1.1 no such user here' } : undefined) });
    const outcome = await sendMessage(prepareFixture().message, profileFor(server.port), {}, {});
    assertFailed(outcome, 'rcpt', false, /carol@example\.net \(550 5\.1\.1 no such user here\).*went to nobody/);
  });
});

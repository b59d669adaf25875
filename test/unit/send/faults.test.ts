// The fault matrix: one test per way an SMTP session can go wrong, each asserting the outcome, the stage,
// what the server stored, and that the source file is unchanged.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareMessage } from '../../../src/core/message';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import { describeOutcome, sendMessage, type SendOutcome } from '../../../src/core/send';
import { scriptedSmtp, startRawServer, startSmtpServer, testCertificate, type RunningServer } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor, sha256 } from './helpers';

async function sendFixture(profile: SmtpProfile, secret = {}, extra: { rateLimitStatePath?: string; now?: () => number } = {}) {
  const { message, file, hash } = prepareFixture();
  const log = collectingLogger();
  const outcome = await sendMessage(message, profile, secret, { logger: log, ...extra });
  assert.equal(sha256(readFileSync(file)), hash, 'the source file is unchanged');
  return { outcome, log, message };
}

function assertFailed(outcome: SendOutcome, stage: string, temporary: boolean, reason?: RegExp) {
  assert.equal(outcome.status, 'failed', describeOutcome(outcome));
  if (outcome.status !== 'failed') return;
  assert.equal(outcome.stage, stage, describeOutcome(outcome));
  assert.equal(outcome.temporary, temporary, describeOutcome(outcome));
  if (reason) assert.match(outcome.reason, reason);
}

describe('send fault matrix', function () {
  this.timeout(10_000);
  const servers: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(s: T) => (servers.push(s), s);
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('nothing listening: failed at connect', async () => {
    const raw = await startRawServer(() => undefined);
    const port = raw.port;
    await raw.close();
    const { outcome } = await sendFixture(profileFor(port));
    assertFailed(outcome, 'connect', true, /connection refused/);
  });

  it('greeting never sent: failed at greeting, with the implicit-TLS hint', async () => {
    const raw = track(await startRawServer(scriptedSmtp({ greeting: null })));
    const { outcome } = await sendFixture(profileFor(raw.port));
    assertFailed(outcome, 'greeting', true, /never sent its greeting/);
  });

  it('421 at greeting: failed at greeting, temporary', async () => {
    const raw = track(await startRawServer((s) => s.end('421 4.3.2 too busy, try later\r\n')));
    const { outcome } = await sendFixture(profileFor(raw.port));
    assertFailed(outcome, 'greeting', true, /421/);
  });

  for (const [code, temporary] of [[451, true], [550, false]] as const) {
    it(`${code} on MAIL FROM: failed at mail, ${temporary ? 'temporary' : 'permanent'}`, async () => {
      const server = track(await startSmtpServer({ starttls: false, mailFrom: () => ({ code, message: 'sender not allowed' }) }));
      const { outcome } = await sendFixture(profileFor(server.port));
      assertFailed(outcome, 'mail', temporary, new RegExp(String(code)));
      assert.equal(server.received.length, 0);
    });
  }

  for (const code of [550, 451, 452]) {
    it(`some RCPT rejected with ${code}, all-or-nothing policy: failed at rcpt, delivered to nobody`, async () => {
      const server = track(await startSmtpServer({ starttls: false, rcpt: (a) => (a === 'carol@example.net' ? { code, message: 'no such user here' } : undefined) }));
      const { outcome } = await sendFixture(profileFor(server.port));
      assertFailed(outcome, 'rcpt', code !== 550, /went to nobody/);
      if (outcome.status === 'failed') assert.deepEqual(outcome.rejected?.map((r) => r.address), ['carol@example.net']);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(server.received.length, 0, 'no message was stored');
    });

    it(`some RCPT rejected with ${code}, accept-partial policy: partly accepted, each rejection listed`, async () => {
      const server = track(await startSmtpServer({ starttls: false, rcpt: (a) => (a === 'carol@example.net' ? { code, message: 'no such user here' } : undefined) }));
      const { outcome } = await sendFixture(profileFor(server.port, { partialRecipients: 'accept' }));
      assert.equal(outcome.status, 'partial', describeOutcome(outcome));
      if (outcome.status !== 'partial') return;
      assert.deepEqual(outcome.rejected.map((r) => r.address), ['carol@example.net']);
      assert.match(outcome.rejected[0].reply, new RegExp(`^${code}`));
      assert.deepEqual(outcome.accepted.sort(), ['bob@example.org', 'dave@example.org', 'secret-eve@example.com']);
      assert.deepEqual(server.received[0].to.sort(), ['bob@example.org', 'dave@example.org', 'secret-eve@example.com']);
    });
  }

  it('all recipients rejected: failed at rcpt', async () => {
    const server = track(await startSmtpServer({ starttls: false, rcpt: () => ({ code: 550, message: 'mailbox unavailable' }) }));
    const { outcome } = await sendFixture(profileFor(server.port, { partialRecipients: 'accept' }));
    assertFailed(outcome, 'rcpt', false, /every recipient/);
    assert.equal(server.received.length, 0);
  });

  for (const [code, temporary] of [[552, false], [554, false], [451, true]] as const) {
    it(`${code} after DATA: failed at data, ${temporary ? 'temporary' : 'permanent'}`, async () => {
      const server = track(await startSmtpServer({ starttls: false, afterData: () => ({ code, message: 'message refused' }) }));
      const { outcome } = await sendFixture(profileFor(server.port));
      assertFailed(outcome, 'data', temporary, new RegExp(`rejected the message after receiving it: ${code}`));
    });
  }

  it('no reply after the final dot: outcome unknown, not retried', async () => {
    let connections = 0;
    const raw = track(await startRawServer((s) => {
      connections++;
      scriptedSmtp({ afterDot: () => undefined })(s);
    }));
    const { outcome } = await sendFixture(profileFor(raw.port, { timeouts: { connectMs: 1000, greetingMs: 1000, socketMs: 600 } }));
    assert.equal(outcome.status, 'unknown', describeOutcome(outcome));
    assert.match(describeOutcome(outcome), /may or may not have been delivered/);
    assert.equal(connections, 1, 'exactly one attempt');
  });

  it('connection cut mid-DATA: failed at data, temporary (not delivered)', async () => {
    const raw = track(await startRawServer(scriptedSmtp({ duringData: (s) => s.destroy() })));
    // Large enough that the server cuts the connection long before the client has written the final dot.
    const body = ('y'.repeat(76) + '\r\n').repeat(100_000);
    const big = prepareMessage(`From: a@example.com\r\nTo: b@example.org\r\nSubject: big\r\n\r\n${body}`);
    assert.ok(big.ok);
    const outcome = await sendMessage(big.message, profileFor(raw.port), {});
    assertFailed(outcome, 'data', true, /cut while the message was being sent/);
  });

  it('message over the SIZE the server announces: refused at MAIL FROM before upload', async () => {
    const server = track(await startSmtpServer({ starttls: false, size: 100 }));
    const { outcome, log } = await sendFixture(profileFor(server.port));
    assertFailed(outcome, 'mail', false, /larger than the server accepts/);
    assert.doesNotMatch(log.text(), /C: DATA/);
  });

  it('STARTTLS required but not offered: failed at tls before AUTH or MAIL', async () => {
    const server = track(await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'secret-pass-1' } }));
    const { outcome, log } = await sendFixture(profileFor(server.port, { security: 'starttls', user: 'ann' }), { password: 'secret-pass-1' });
    assertFailed(outcome, 'tls', false, /does not offer STARTTLS/);
    assert.doesNotMatch(log.text(), /C: (AUTH|MAIL)/);
  });

  it('server offers no AUTH but the profile has a user: failed at auth, nothing sent', async () => {
    const server = track(await startSmtpServer({ starttls: false }));
    const { outcome, log } = await sendFixture(profileFor(server.port, { user: 'ann', security: 'starttls-optional' }), { password: 'secret-pass-1' });
    assertFailed(outcome, 'auth', false, /offers no AUTH/);
    assert.doesNotMatch(log.text(), /C: MAIL/);
    assert.equal(server.received.length, 0);
  });

  it('untrusted certificate: failed at tls', async () => {
    const server = track(await startSmtpServer({}));
    const { outcome } = await sendFixture(profileFor(server.port, { security: 'starttls' }));
    assertFailed(outcome, 'tls', false, /not trusted/);
  });

  it('certificate for another name: failed at tls (name mismatch)', async () => {
    const other = await testCertificate({ dns: ['mail.example.test'] });
    const server = track(await startSmtpServer({ certificate: other }));
    const { outcome } = await sendFixture(profileFor(server.port, { security: 'starttls', caFile: other.certFile }));
    assertFailed(outcome, 'tls', false, /not for "127\.0\.0\.1"/);
  });

  it('implicit TLS against a STARTTLS port: failed at tls with advice', async () => {
    const server = track(await startSmtpServer({}));
    const { outcome } = await sendFixture(profileFor(server.port, { security: 'tls' }));
    assertFailed(outcome, 'tls', false, /expects STARTTLS|did not answer TLS/);
  });

  it('STARTTLS against an implicit-TLS port: failed at greeting with advice', async () => {
    const server = track(await startSmtpServer({ secure: true }));
    const { outcome } = await sendFixture(profileFor(server.port, { security: 'starttls' }));
    assertFailed(outcome, 'greeting', true, /implicit TLS/);
  });

  it('AUTH answered 535: failed at auth, permanent', async () => {
    const cert = await testCertificate();
    const server = track(await startSmtpServer({ auth: { user: 'ann', password: 'right-password' }, certificate: cert }));
    const { outcome } = await sendFixture(profileFor(server.port, { security: 'starttls', user: 'ann', caFile: cert.certFile }), { password: 'wrong-password' });
    assertFailed(outcome, 'auth', false, /authentication failed: 535/);
    assert.equal(server.received.length, 0);
  });

  it('hourly limit reached: refused with a clear message, nothing sent, kept across restarts', async () => {
    const server: RunningServer = track(await startSmtpServer({ starttls: false }));
    const statePath = join(mkdtempSync(join(tmpdir(), 'mailsmith-rate-')), 'state.json');
    const profile = profileFor(server.port, { maxPerHour: 2 });
    let now = Date.parse('2026-11-23T10:00:00Z');
    const clock = () => now;
    for (let i = 0; i < 2; i++) assert.equal((await sendFixture(profile, {}, { rateLimitStatePath: statePath, now: clock })).outcome.status, 'sent');
    const third = await sendFixture(profile, {}, { rateLimitStatePath: statePath, now: clock });
    assertFailed(third.outcome, 'limit', true, /hourly limit .* \(2 messages\) is reached; nothing was sent/);
    assert.match(third.log.text(), /hourly limit/);
    assert.equal(server.received.length, 2);
    assert.doesNotMatch(readFileSync(statePath, 'utf8'), /pass/i);
    now += 61 * 60 * 1000;
    assert.equal((await sendFixture(profile, {}, { rateLimitStatePath: statePath, now: clock })).outcome.status, 'sent', 'an hour later it sends again');
  });
});

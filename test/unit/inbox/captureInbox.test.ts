// The local capture inbox: a real smtp-server on 127.0.0.1 that stores what arrives as .eml + .json.
// Sends go through the real sending core over STARTTLS (the inbox's self-signed certificate trusted
// through caFile), so these tests also cover byte-exactness with AUTH PLAIN, LOGIN and CRAM-MD5.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { listCapturedMessages, startCaptureInbox, type CaptureInbox, type CapturedMessage } from '../../../src/core/inbox';
import { LOCAL_INBOX_PROFILE_NAME } from '../../../src/core/profiles';
import { describeOutcome, sendMessage } from '../../../src/core/send';
import { collectingLogger, prepareFixture } from '../send/helpers';

const QUICK = { connectMs: 1500, greetingMs: 1000, socketMs: 1500 };

describe('local capture inbox', function () {
  this.timeout(10_000);
  let dir: string;
  let inbox: CaptureInbox | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-inbox-'));
  });
  afterEach(async () => {
    await inbox?.close();
    inbox = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the prepared bytes exactly as <timestamp>-<id>.eml with the envelope beside it; Bcc gets it, no Bcc header', async () => {
    const captured: CapturedMessage[] = [];
    inbox = await startCaptureInbox({ dir, onMessage: (m) => captured.push(m) });
    assert.equal(inbox.host, '127.0.0.1');
    assert.ok(inbox.port > 0);
    assert.equal(inbox.profile.name, LOCAL_INBOX_PROFILE_NAME);
    const { message } = prepareFixture();
    const log = collectingLogger();
    const outcome = await sendMessage(message, { ...inbox.profile, timeouts: QUICK }, {}, { logger: log });
    assert.equal(outcome.status, 'sent', describeOutcome(outcome));
    assert.match(log.text(), /TLS: TLSv1\.[23]/, 'STARTTLS with the certificate verified through caFile');

    assert.equal(captured.length, 1);
    const eml = captured[0].file;
    assert.match(basename(eml), /^\d{4}-\d{2}-\d{2}T[\d-]+Z-[0-9a-f]{8}\.eml$/);
    const stored = readFileSync(eml);
    assert.ok(stored.equals(message.raw), 'the stored file is byte for byte what prepareMessage produced');
    assert.doesNotMatch(stored.toString('latin1'), /^Bcc:/im);
    const envelope = JSON.parse(readFileSync(eml.replace(/\.eml$/, '.json'), 'utf8'));
    assert.equal(envelope.from, 'ann@example.com');
    assert.deepEqual([...envelope.to].sort(), ['bob@example.org', 'carol@example.net', 'dave@example.org', 'secret-eve@example.com']);
    assert.equal(envelope.size, message.raw.length);
    assert.equal(envelope.secure, true);

    const listed = listCapturedMessages(dir);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].subject, 'Quarterly numbers');
  });

  for (const auth of ['PLAIN', 'LOGIN', 'CRAM-MD5'] as const) {
    it(`requires AUTH when configured and accepts AUTH ${auth} over STARTTLS, byte-exact`, async () => {
      inbox = await startCaptureInbox({ dir, auth: { user: 'tester', password: 'inbox-pa55' } });
      const { message } = prepareFixture();
      const profile = { ...inbox.profile, user: 'tester', auth, timeouts: QUICK };
      const ok = await sendMessage(message, profile, { password: 'inbox-pa55' }, { logger: collectingLogger() });
      assert.equal(ok.status, 'sent', describeOutcome(ok));
      const wrong = await sendMessage(message, profile, { password: 'not-it' }, { logger: collectingLogger() });
      assert.equal(wrong.status, 'failed', describeOutcome(wrong));
      if (wrong.status === 'failed') assert.equal(wrong.stage, 'auth');
      const emls = readdirSync(dir).filter((f) => f.endsWith('.eml'));
      assert.equal(emls.length, 1, 'only the authenticated send was stored');
      assert.ok(readFileSync(join(dir, emls[0])).equals(message.raw));
    });
  }

  it('refuses a send without AUTH when AUTH is required', async () => {
    inbox = await startCaptureInbox({ dir, auth: { user: 'tester', password: 'inbox-pa55' } });
    const outcome = await sendMessage(prepareFixture().message, { ...inbox.profile, user: undefined, timeouts: QUICK }, {}, { logger: collectingLogger() });
    assert.equal(outcome.status, 'failed', describeOutcome(outcome));
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.eml')).length, 0);
  });

  it('generates its certificate once and keeps it for the next start', async () => {
    inbox = await startCaptureInbox({ dir });
    const first = readFileSync(inbox.certificateFile, 'utf8');
    assert.match(first, /BEGIN CERTIFICATE/);
    await inbox.close();
    inbox = await startCaptureInbox({ dir });
    assert.equal(readFileSync(inbox.certificateFile, 'utf8'), first);
  });

  it('listens on loopback only', async () => {
    await assert.rejects(startCaptureInbox({ dir, host: '0.0.0.0' }), /loopback only/);
  });

  it('refuses a message over its size limit at MAIL FROM, storing nothing', async () => {
    inbox = await startCaptureInbox({ dir, maxSize: 100 });
    const outcome = await sendMessage(prepareFixture().message, { ...inbox.profile, timeouts: QUICK }, {}, { logger: collectingLogger() });
    assert.equal(outcome.status, 'failed', describeOutcome(outcome));
    if (outcome.status === 'failed') assert.equal(outcome.stage, 'mail');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.eml')), []);
  });
});

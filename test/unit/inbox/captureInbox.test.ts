import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCapturedMessages, startCaptureInbox } from '../../../src/core/inbox';
import { describeOutcome, sendMessage } from '../../../src/core/send';
import { prepareFixture } from '../send/helpers';

describe('local capture inbox', function () {
  this.timeout(20_000);

  it('stores exactly what was sent, over verified STARTTLS, with the envelope beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailsmith-inbox-'));
    const inbox = await startCaptureInbox({ dir });
    try {
      assert.equal(inbox.host, '127.0.0.1');
      const { message } = prepareFixture();
      const outcome = await sendMessage(message, inbox.profile, {});
      assert.equal(outcome.status, 'sent', describeOutcome(outcome));
      const emls = readdirSync(dir).filter((f) => f.endsWith('.eml'));
      assert.equal(emls.length, 1);
      assert.ok(readFileSync(join(dir, emls[0])).equals(message.raw));
      const envelope = JSON.parse(readFileSync(join(dir, emls[0].replace(/\.eml$/, '.json')), 'utf8'));
      assert.equal(envelope.from, 'ann@example.com');
      assert.ok(envelope.to.includes('secret-eve@example.com'), 'the Bcc recipient is in the envelope');
      assert.equal(envelope.secure, true);
      assert.doesNotMatch(readFileSync(join(dir, emls[0]), 'latin1'), /^Bcc:/im);
      const listed = listCapturedMessages(dir);
      assert.equal(listed.length, 1);
      assert.equal(listed[0].subject, 'Quarterly numbers');
    } finally {
      await inbox.close();
    }
    // A restart keeps the certificate, so a profile that trusts it goes on working.
    const firstCert = readFileSync(join(dir, '.tls', 'cert.pem'), 'utf8');
    const again = await startCaptureInbox({ dir });
    try {
      assert.equal(readFileSync(again.certificateFile, 'utf8'), firstCert);
    } finally {
      await again.close();
    }
  });

  it('requires AUTH when asked to, and listens on loopback only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailsmith-inbox-'));
    const inbox = await startCaptureInbox({ dir, auth: { user: 'dev', password: 'inbox-pass-7' } });
    try {
      const { message } = prepareFixture();
      const refused = await sendMessage(message, { ...inbox.profile, user: 'dev' }, { password: 'nope-nope' });
      assert.equal(refused.status, 'failed');
      const sent = await sendMessage(message, { ...inbox.profile, user: 'dev' }, { password: 'inbox-pass-7' });
      assert.equal(sent.status, 'sent', describeOutcome(sent));
    } finally {
      await inbox.close();
    }
    await assert.rejects(startCaptureInbox({ dir, host: '0.0.0.0' }), /loopback only/);
  });
});

import * as assert from 'node:assert/strict';
import { draftToProfile, draftsEqual, emptyDraft, profileToDraft } from '../../../src/webview/profiles/draft';
import type { SmtpProfile } from '../../../src/core/profiles/profile';

describe('profile settings: form draft <-> profile', () => {
  const full: SmtpProfile = {
    name: 'Work',
    host: 'smtp.example.com',
    port: 587,
    security: 'starttls',
    verifyCertificate: false,
    caFile: '/etc/ca.pem',
    user: 'me',
    passwordEnv: 'WORK_PW',
    auth: 'LOGIN',
    ehloName: 'laptop.example',
    defaults: { from: 'Me <me@example.com>', to: 'a@example.com', cc: 'c@example.com', bcc: 'b@example.com', subject: 'Hi' },
    maxPerHour: 50,
    partialRecipients: 'accept',
  };

  it('round-trips every field', () => {
    const { profile, issues } = draftToProfile(profileToDraft(full));
    assert.deepEqual(issues, []);
    assert.deepEqual(profile, full);
  });

  it('leaves out empty and default values, trims text, and keeps fields the form does not show', () => {
    const draft = { ...emptyDraft(), name: ' Relay ', host: ' relay.example ', port: '25', security: 'none' as const };
    const base = { name: 'Relay', host: 'old', port: 2525, security: 'tls', timeouts: { connect: 5000 } } as unknown as SmtpProfile;
    const { profile, issues } = draftToProfile(draft, base);
    assert.deepEqual(issues, []);
    assert.deepEqual(profile, { name: 'Relay', host: 'relay.example', port: 25, security: 'none', timeouts: { connect: 5000 } });
  });

  it('reports text that is not a number instead of guessing', () => {
    const { issues } = draftToProfile({ ...emptyDraft(), name: 'x', host: 'h', port: '58 7', maxPerHour: 'lots' });
    assert.deepEqual(issues.map((i) => [i.field, i.severity]), [['port', 'error'], ['maxPerHour', 'error']]);
    const empty = draftToProfile({ ...emptyDraft(), port: '' });
    assert.match(empty.issues[0].message, /Port is required/);
  });

  it('compares drafts field by field', () => {
    assert.ok(draftsEqual(emptyDraft(), emptyDraft()));
    assert.ok(!draftsEqual(emptyDraft(), { ...emptyDraft(), verifyCertificate: false }));
  });
});

// Provider presets are data the settings page and `profile` commands offer: each must be a valid profile
// on its own and carry the note users need (app password, authorisation code).
import * as assert from 'node:assert/strict';
import { BUILT_IN_INBOX_PROFILE } from '../../../src/core/profiles/builtIn';
import { LOCAL_INBOX_PROFILE_NAME, PRESETS, findPreset, validateProfile } from '../../../src/core/profiles';

describe('profiles: provider presets', () => {
  it('covers the providers the brief lists, plus the local capture inbox', () => {
    const labels = PRESETS.map((p) => p.label);
    for (const want of ['Gmail', 'Outlook.com', 'Hotmail', 'Yahoo', 'iCloud', 'Zoho', 'QQ', '163', 'Aliyun', 'DirectMail', 'SendGrid', LOCAL_INBOX_PROFILE_NAME]) {
      assert.ok(
        labels.some((l) => l.includes(want)),
        `no preset labelled like "${want}" in ${labels.join(', ')}`,
      );
    }
    assert.equal(new Set(PRESETS.map((p) => p.id)).size, PRESETS.length, 'ids are unique');
  });

  it('gives each a valid host, port and security mode with no validation error, and a note', () => {
    for (const preset of PRESETS) {
      const issues = validateProfile({ name: preset.label, host: preset.host, port: preset.port, security: preset.security, user: preset.user });
      assert.deepEqual(
        issues.filter((i) => i.severity === 'error'),
        [],
        preset.id,
      );
      assert.ok(preset.note.length > 20, `${preset.id} has a note`);
      if (preset.docsUrl) assert.match(preset.docsUrl, /^https:\/\//, preset.id);
    }
  });

  it('pairs implicit TLS with 465 and STARTTLS with 587 or 25 for the remote providers', () => {
    for (const preset of PRESETS.filter((p) => p.id !== 'local-inbox')) {
      if (preset.security === 'tls') assert.equal(preset.port, 465, preset.id);
      else assert.ok([587, 25, 2525].includes(preset.port) && preset.security === 'starttls', `${preset.id}: ${preset.security} on ${preset.port}`);
    }
  });

  it('keeps the local inbox on loopback and says app passwords where the provider needs them', () => {
    const local = findPreset('local-inbox');
    assert.equal(local?.host, '127.0.0.1');
    // The same as the built-in inbox: Mailsmith runs it, and it always offers STARTTLS.
    assert.deepEqual([local?.kind, local?.security], [BUILT_IN_INBOX_PROFILE.kind, BUILT_IN_INBOX_PROFILE.security]);
    assert.match(findPreset('gmail')?.note ?? '', /app password/i);
    assert.match(findPreset('qq')?.note ?? '', /authori[sz]ation code/i);
    assert.equal(findPreset('sendgrid')?.user, 'apikey');
    assert.equal(findPreset('nope'), undefined);
  });
});

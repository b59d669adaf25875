// One profile vocabulary: package.json's `mailsmith.profiles` schema, the profile file reader, the export and
// the settings form all come from src/core/profiles/schema.ts. These tests fail when one drifts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileToFileObject } from '../../../src/core/profiles/import/exportYaml';
import { profileFromObject } from '../../../src/core/profiles/fromObject';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import { PROFILE_FIELDS, profileJsonSchema, profileTopLevelKeys } from '../../../src/core/profiles/schema';
import { renderPage } from '../../../src/vscode/profileSettings/html';
import { draftKey, emptyDraft } from '../../../src/webview/profiles/draft';
import { DRAFT_TEXT_FIELDS } from '../../../src/webview/profiles/protocol';
import { repoRoot } from '../../support/paths';

describe('profile schema: one table, many views', () => {
  it('package.json declares exactly the table (run `npm run compile && node scripts/profile-schema.mjs` after changing it)', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.configuration.properties['mailsmith.profiles'].items, profileJsonSchema());
  });

  it('the profile file reader knows every field of the table, and nothing else', () => {
    const every = { name: 'all', kind: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', verifyCertificate: true, caFile: '/ca.pem', user: 'u', passwordEnv: 'PW', passwordCommand: 'pass show mail', tokenCommand: 'oauth2ms --token', auth: 'PLAIN', oauth: { provider: 'custom', clientId: 'c', clientSecretEnv: 'CS', tenant: 't', scopes: 'mail', authorizeUrl: 'https://a.example/authorize', tokenUrl: 'https://a.example/token', deviceUrl: 'https://a.example/device', refreshTokenEnv: 'RT', vscodeAccount: false }, ehloName: 'client.example.com', defaults: { from: 'a@example.com', to: 'b@example.com', cc: 'c@example.com', bcc: 'd@example.com', subject: 's' }, maxPerHour: 5, partialRecipients: 'accept', batchSize: 2, reloginDelaySeconds: 1, timeouts: { connectMs: 1000, greetingMs: 1000, socketMs: 1000, greetingDeadlineMs: 5000, setupDeadlineMs: 5000, authDeadlineMs: 5000, commandDeadlineMs: 5000, dataDeadlineMs: 5000, secretCommandMs: 5000, finalReplyDeadlineMs: 5000 } };
    assert.deepEqual(Object.keys(every).sort(), [...profileTopLevelKeys()].sort(), 'the sample covers the table');
    // Only the shape is checked here (several credential sources at once are refused by validation).
    const parsed = profileFromObject({ ...every, passwordCommand: undefined, tokenCommand: undefined, oauth: undefined });
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.ok && parsed.warnings, []);
    const full = { ...(parsed.ok ? parsed.profile : (undefined as never)), passwordCommand: every.passwordCommand, tokenCommand: every.tokenCommand, oauth: every.oauth } as SmtpProfile;
    assert.deepEqual(profileToFileObject(full), every, 'the export writes every field back');
    const extra = profileFromObject({ ...every, passwordCommand: undefined, tokenCommand: undefined, oauth: undefined, colour: 'blue' });
    assert.deepEqual(extra.ok && extra.warnings, ['unknown field "colour" ignored']);
  });

  it('the settings form shows every form field of the table, with its label, and the draft holds each', () => {
    const html = renderPage({ cspSource: 'x', nonce: 'n', scriptUri: 's', styleUri: 'c', codiconsUri: 'i' });
    const formFields = PROFILE_FIELDS.filter((f) => f.inForm);
    for (const field of formFields) {
      const key = draftKey(field.key);
      assert.ok(html.includes(`id="f-${key}"`), key);
      assert.ok(html.includes(`>${field.label}</label>`), `label of ${key}`);
      assert.ok(key in emptyDraft(), `the draft has ${key}`);
    }
    const textual = formFields.filter((f) => f.type === 'text' || f.type === 'integer').map((f) => draftKey(f.key));
    assert.deepEqual([...DRAFT_TEXT_FIELDS].sort(), textual.sort());
    assert.deepEqual(Object.keys(emptyDraft()).sort(), formFields.map((f) => draftKey(f.key)).sort());
  });
});

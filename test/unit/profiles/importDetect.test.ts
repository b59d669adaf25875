import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { detectImportFormat, exportProfileYaml, importProfile } from '../../../src/core/profiles/import';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import { fixture } from '../../support/paths';

const read = (name: string): string => readFileSync(fixture('import', name), 'utf8');

describe('import: format detection and YAML export', () => {
  it('detects each fixture format', () => {
    assert.equal(detectImportFormat(read('dapr-plain.yaml')), 'dapr');
    assert.equal(detectImportFormat(read('dapr-multi.yaml')), 'dapr');
    assert.equal(detectImportFormat(read('curl-gmail.txt')), 'curl');
    assert.equal(detectImportFormat(read('curl-url.txt')), 'curl');
    assert.equal(detectImportFormat('$ curl smtp://x'), 'curl');
    assert.equal(detectImportFormat(read('sesam-smtp.json')), 'sesam');
    assert.equal(detectImportFormat(read('sesam-config.json')), 'sesam');
    assert.equal(detectImportFormat('hello: world'), undefined);
  });

  it('imports through one entry point and names the format', () => {
    for (const [file, format] of [['dapr-plain.yaml', 'dapr'], ['curl-gmail.txt', 'curl'], ['sesam-smtp.json', 'sesam']] as const) {
      const result = importProfile(read(file));
      assert.ok(result.ok, file);
      assert.equal(result.format, format);
    }
  });

  it('says what it expected when the text is none of the formats', () => {
    for (const text of ['hello: world', '{"a": 1}', '{"a": ', 'key: [unclosed', '']) {
      const result = importProfile(text);
      assert.ok(!result.ok, text);
      assert.match(result.error, text ? /Expected one of: Dapr bindings\.smtp component.*curl.*Sesam/ : /empty/);
    }
    const malformed = importProfile('{"a": ');
    assert.ok(!malformed.ok);
    assert.match(malformed.error, /JSON is malformed/);
  });

  it('exports YAML in the profile file field order, without any password, and it parses back equal', () => {
    const imported = importProfile(read('dapr-plain.yaml'));
    assert.ok(imported.ok);
    const profile: SmtpProfile = { ...imported.profile, passwordEnv: 'NOTIFY_PW', maxPerHour: 100, partialRecipients: 'accept' };
    const yaml = exportProfileYaml(profile);
    assert.ok(!yaml.includes('Plain-Text-Pa55'));
    assert.match(yaml, /^# Mailsmith SMTP profile/);
    const keys = Object.keys(parse(yaml) as object);
    assert.deepEqual(keys, ['name', 'host', 'port', 'security', 'verifyCertificate', 'user', 'passwordEnv', 'defaults', 'maxPerHour', 'partialRecipients']);
    assert.deepEqual(parse(yaml), profile);
  });

  it('drops secret-looking keys that slipped into a profile object', () => {
    const leaky = { name: 'x', host: 'h.example', port: 25, security: 'none', password: 'pw1', accessToken: 'tk1' } as unknown as SmtpProfile;
    const yaml = exportProfileYaml(leaky);
    assert.ok(!yaml.includes('pw1') && !yaml.includes('tk1'), yaml);
    assert.deepEqual(parse(yaml), { name: 'x', host: 'h.example', port: 25, security: 'none' });
  });
});

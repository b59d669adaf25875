import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importDaprText, importProfile } from '../../../src/core/profiles/import';
import { fixture } from '../../support/paths';

const read = (name: string): string => readFileSync(fixture('import', name), 'utf8');

describe('import: Dapr bindings.smtp', () => {
  it('maps every field and moves the plain-text password out of the profile', () => {
    const result = importDaprText(read('dapr-plain.yaml'));
    assert.ok(result.ok, !result.ok ? result.error : '');
    assert.deepEqual(result.profile, {
      name: 'notifications',
      host: 'smtp.example.com',
      port: 587,
      security: 'starttls-optional',
      verifyCertificate: false,
      user: 'mailer@example.com',
      defaults: {
        from: 'Alerts <alerts@example.com>',
        to: 'ops@example.com',
        cc: 'audit@example.com',
        bcc: 'archive@example.com',
        subject: 'Nightly report',
      },
    });
    assert.deepEqual(result.secret, { password: 'Plain-Text-Pa55' });
    assert.ok(!JSON.stringify(result.profile).includes('Plain-Text-Pa55'));
    assert.equal(result.secret?.password !== undefined, true, 'the plain-text password travels apart from the profile');
    assert.ok(!result.notes.some((n) => n.includes(String(result.secret?.password))), 'and no note repeats it');
    assert.ok(result.notes.some((n) => /skipTLSVerify.*caFile/.test(n)));
    assert.ok(result.notes.some((n) => /priority/.test(n)));
  });

  it('explains a secretKeyRef password and reads port 465 as implicit TLS', () => {
    const result = importDaprText(read('dapr-secretref.yaml'));
    assert.ok(result.ok);
    assert.deepEqual(result.profile, { name: 'sendmail', host: 'mail.example.org', port: 465, security: 'tls', user: 'robot' });
    assert.equal(result.secret, undefined);
    const note = result.notes.find((n) => n.includes('smtp-credentials'));
    assert.ok(note, result.notes.join('\n'));
    assert.match(note, /key "smtp-password" in store "kubernetes".*cannot read/);
    assert.match(note, /passwordEnv/);
  });

  it('finds the SMTP component among several documents', () => {
    const result = importDaprText(read('dapr-multi.yaml'), { name: 'Local relay' });
    assert.ok(result.ok);
    assert.deepEqual(result.profile, { name: 'Local relay', host: 'localhost', port: 2525, security: 'starttls-optional' });
  });

  it('turns an envRef password into passwordEnv', () => {
    const yaml = 'kind: Component\nmetadata: {name: m}\nspec:\n  type: bindings.smtp\n  metadata:\n  - {name: host, value: h.example}\n  - {name: port, value: 25}\n  - {name: user, value: u}\n  - {name: password, envRef: SMTP_PASS}\n';
    const result = importDaprText(yaml);
    assert.ok(result.ok);
    assert.equal(result.profile.passwordEnv, 'SMTP_PASS');
    assert.equal(result.secret, undefined);
  });

  it('reports malformed YAML with its position, and returns no profile or secret', () => {
    const result = importDaprText(read('dapr-malformed.yaml'));
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.match(result.error, /^The YAML is malformed: .*line \d+/s);
    assert.ok(!('profile' in result) && !('secret' in result));
  });

  it('rejects a port that is not a number, naming the value', () => {
    const result = importDaprText(read('dapr-bad-port.yaml'));
    assert.ok(!result.ok);
    assert.equal(result.error, '"port" must be a number from 1 to 65535, got "smtp port".');
  });

  it('rejects a component of another type', () => {
    const result = importDaprText(read('dapr-not-smtp.yaml'));
    assert.ok(!result.ok);
    assert.match(result.error, /No Dapr component of type bindings\.smtp/);
  });

  it('rejects a component without a host or with metadata that is not a list', () => {
    const noHost = importDaprText('kind: Component\nspec:\n  type: bindings.smtp\n  metadata:\n  - {name: port, value: 25}\n');
    assert.ok(!noHost.ok);
    assert.match(noHost.error, /no "host"/);
    const notList = importDaprText('kind: Component\nspec:\n  type: bindings.smtp\n  metadata: {host: x}\n');
    assert.ok(!notList.ok);
    assert.match(notList.error, /must be a list/);
  });

  it('accepts the component as JSON (kubectl -o json) through auto-detection', () => {
    const json = JSON.stringify({
      apiVersion: 'dapr.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'from-kubectl' },
      spec: { type: 'bindings.smtp', metadata: [{ name: 'host', value: 'relay.example' }, { name: 'port', value: '25' }] },
    });
    const result = importProfile(json);
    assert.ok(result.ok);
    assert.equal(result.format, 'dapr');
    assert.equal(result.profile.name, 'from-kubectl');
  });
});

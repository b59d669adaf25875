import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importSesamText } from '../../../src/core/profiles/import';
import { fixture } from '../../support/paths';

const read = (name: string): string => readFileSync(fixture('import', name), 'utf8');

describe('import: Sesam system:smtp', () => {
  it('turns $ENV(x) into ${env:x}, explains $SECRET(x), keeps max_per_hour', () => {
    const result = importSesamText(read('sesam-smtp.json'));
    assert.ok(result.ok, !result.ok ? result.error : '');
    assert.deepEqual(result.profile, {
      name: 'mail-relay',
      host: '${env:smtp_host}',
      port: 587,
      security: 'starttls',
      user: '${env:smtp_user}',
      maxPerHour: 250,
    });
    assert.equal(result.secret, undefined);
    assert.ok(result.notes.some((n) => /Sesam secret "smtp_password".*cannot read/.test(n)));
  });

  it('picks the SMTP system out of a whole config; a $ENV password becomes passwordEnv; defaults to port 25', () => {
    const result = importSesamText(read('sesam-config.json'));
    assert.ok(result.ok);
    assert.deepEqual(result.profile, {
      name: 'outbound-mail',
      host: 'smtp.example.net',
      port: 25,
      security: 'starttls',
      user: 'sesam',
      passwordEnv: 'SMTP_PASSWORD',
    });
  });

  it('moves a plain password to the secret and warns when use_tls is off', () => {
    const result = importSesamText('{"type":"system:smtp","smtp_server":"mx.example","smtp_username":"u","smtp_password":"hunter2"}');
    assert.ok(result.ok);
    assert.deepEqual(result.profile, { name: 'mx.example', host: 'mx.example', port: 25, security: 'none', user: 'u' });
    assert.deepEqual(result.secret, { password: 'hunter2' });
    assert.ok(result.notes.some((n) => /in clear/.test(n)));
  });

  it('reads use_tls on port 465 as implicit TLS', () => {
    const result = importSesamText('{"_id":"s","type":"system:smtp","smtp_server":"smtp.example","smtp_port":465,"use_tls":true}');
    assert.ok(result.ok);
    assert.equal(result.profile.security, 'tls');
  });

  it('gives clear errors on malformed JSON and wrong values, with no profile', () => {
    const cases: [string, RegExp][] = [
      [read('sesam-malformed.json'), /^The JSON is malformed: /],
      ['{"type":"system:url"}', /No Sesam system with "type": "system:smtp"/],
      ['{"type":"system:smtp","smtp_port":"twenty-five"}', /smtp_port must be a number/],
      ['{"type":"system:smtp","use_tls":"maybe"}', /use_tls must be true or false/],
      ['{"type":"system:smtp","max_per_hour":-3}', /max_per_hour must be a positive whole number/],
    ];
    for (const [input, error] of cases) {
      const result = importSesamText(input);
      assert.ok(!result.ok, input);
      assert.match(result.error, error);
      assert.ok(!('profile' in result));
    }
  });
});

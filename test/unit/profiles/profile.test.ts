// The profile model: validation worded for a form, `${env:NAME}` expansion, and reading a profile file's
// parsed YAML/JSON with an error per wrong field.
import * as assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { expandEnv, expandProfileEnv, isLoopbackHost, profileFromObject, validateProfile, type SmtpProfile } from '../../../src/core/profiles';

const GOOD: SmtpProfile = { name: 'Work', host: 'smtp.example.com', port: 587, security: 'starttls', user: 'me@example.com', passwordEnv: 'SMTP_PASSWORD' };

function fields(profile: Partial<SmtpProfile>, severity: 'error' | 'warning' = 'error'): string[] {
  return validateProfile(profile)
    .filter((i) => i.severity === severity)
    .map((i) => i.field);
}

describe('profiles: validateProfile', () => {
  it('finds nothing wrong with an ordinary STARTTLS profile', () => {
    assert.deepEqual(validateProfile(GOOD), []);
  });

  it('names each missing or malformed field', () => {
    assert.deepEqual(fields({ name: '', host: '', port: 0, security: undefined }).sort(), ['host', 'name', 'port', 'security']);
    assert.deepEqual(fields({ ...GOOD, host: 'smtp://smtp.example.com:587' }), ['host']);
    assert.deepEqual(fields({ ...GOOD, port: 70000 }), ['port']);
    assert.deepEqual(fields({ ...GOOD, port: 58.7 }), ['port']);
    assert.deepEqual(fields({ ...GOOD, passwordEnv: 'not a name' }), ['passwordEnv']);
    assert.deepEqual(fields({ ...GOOD, auth: 'NTLM' as never }), ['auth']);
    assert.deepEqual(fields({ ...GOOD, maxPerHour: 0 }), ['maxPerHour']);
    assert.deepEqual(fields({ ...GOOD, batchSize: 0 }), ['batchSize']);
    assert.deepEqual(fields({ ...GOOD, batchSize: 2.5 }), ['batchSize']);
    assert.deepEqual(fields({ ...GOOD, reloginDelaySeconds: -1 }), ['reloginDelaySeconds']);
    assert.deepEqual(fields({ ...GOOD, batchSize: 2, reloginDelaySeconds: 0 }), []);
    assert.deepEqual(fields({ ...GOOD, partialRecipients: 'some' as never }), ['partialRecipients']);
    assert.deepEqual(fields({ ...GOOD, timeouts: { connectMs: 5 } }), ['timeouts.connectMs']);
    assert.deepEqual(fields({ ...GOOD, ehloName: 'not a host!' }), ['ehloName']);
  });

  it('says what the port range is in plain words', () => {
    const issue = validateProfile({ ...GOOD, port: 0 }).find((i) => i.field === 'port');
    assert.match(issue?.message ?? '', /1 to 65535/);
  });

  it('requires a user for an explicit AUTH mechanism', () => {
    assert.deepEqual(fields({ ...GOOD, user: undefined, passwordEnv: undefined, auth: 'PLAIN' }), ['user']);
  });

  it('checks default addresses with the message core, naming the field', () => {
    assert.deepEqual(fields({ ...GOOD, defaults: { from: 'a@example.com, b@example.com' } }), ['defaults.from']);
    assert.deepEqual(fields({ ...GOOD, defaults: { to: 'not an address' } }), ['defaults.to']);
    assert.deepEqual(fields({ ...GOOD, defaults: { from: 'Me <me@example.com>', to: 'a@example.com; b@example.com', bcc: '${env:ARCHIVE}' } }), []);
  });

  it('warns about a port that does not match the security mode, and about unverified certificates', () => {
    assert.deepEqual(fields({ ...GOOD, security: 'tls', port: 587 }, 'warning'), ['port']);
    assert.deepEqual(fields({ ...GOOD, port: 465 }, 'warning'), ['port']);
    assert.deepEqual(fields({ ...GOOD, verifyCertificate: false }, 'warning'), ['verifyCertificate']);
    assert.deepEqual(fields({ ...GOOD, security: 'none', port: 25 }, 'warning'), ['security']);
    assert.deepEqual(fields({ ...GOOD, host: '127.0.0.1', security: 'none', port: 2525 }, 'warning'), [], 'a loopback server may take a password in clear');
  });

  it('never throws on garbage', () => {
    for (const junk of [{}, { port: 'x' }, { host: 42, name: {} }, { defaults: { from: 7 } }] as unknown[]) {
      assert.ok(Array.isArray(validateProfile(junk as Partial<SmtpProfile>)));
    }
    assert.ok(fields({ ...GOOD, defaults: { from: 7 } as never }).includes('defaults.from'), 'a default of the wrong type is an issue');
    assert.ok(fields({ ...GOOD, defaults: 'me@example.com' as never }).includes('defaults'));
  });
});

describe('profiles: ${env:NAME}', () => {
  it('expands references and reports the unset ones rather than guessing', () => {
    assert.deepEqual(expandEnv('smtp.${env:DOMAIN}', { DOMAIN: 'example.com' }), { value: 'smtp.example.com', missing: [] });
    assert.deepEqual(expandEnv('${env:A}-${env:B}', { A: 'x' }), { value: 'x-', missing: ['B'] });
    assert.deepEqual(expandEnv('$HOME and ${HOME}', { HOME: '/root' }), { value: '$HOME and ${HOME}', missing: [] }, 'only the ${env:...} spelling');
  });

  it('expands every string field, defaults included, and leaves numbers alone', () => {
    const { profile, missing } = expandProfileEnv({ ...GOOD, host: '${env:H}', defaults: { from: '${env:FROM}' } }, { H: 'mail.example.org' });
    assert.equal(profile.host, 'mail.example.org');
    assert.equal(profile.port, 587);
    assert.equal(profile.defaults?.from, '');
    assert.deepEqual(missing, ['FROM']);
  });
});

describe('profiles: profileFromObject (profile files)', () => {
  it('reads the YAML field names of a profile file', () => {
    const parsed = profileFromObject(
      parseYaml(
        [
          'name: Work',
          'host: smtp.example.com',
          'port: 587',
          'security: starttls',
          'verifyCertificate: true',
          'user: me@example.com',
          'passwordEnv: SMTP_PASSWORD',
          'auth: LOGIN',
          'ehloName: laptop.example.com',
          'defaults:',
          '  from: Me <me@example.com>',
          '  subject: Hello',
          'maxPerHour: 100',
          'partialRecipients: accept',
        ].join('\n'),
      ),
    );
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.equal(parsed.profile.auth, 'LOGIN');
    assert.equal(parsed.profile.maxPerHour, 100);
    assert.equal(parsed.profile.partialRecipients, 'accept');
    assert.deepEqual(parsed.profile.defaults, { from: 'Me <me@example.com>', subject: 'Hello' });
    assert.deepEqual(parsed.warnings, []);
  });

  it('refuses a password in the file and names the right field to use', () => {
    const parsed = profileFromObject({ ...GOOD, password: 'hunter2' });
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.match(parsed.errors.join('\n'), /passwordEnv/);
    assert.doesNotMatch(parsed.errors.join('\n'), /hunter2/);
  });

  it('defaults security to STARTTLS, takes a quoted port, warns about unknown fields', () => {
    const parsed = profileFromObject({ name: 'x', host: 'smtp.example.com', port: '587', colour: 'blue' });
    assert.ok(parsed.ok);
    assert.equal(parsed.profile.security, 'starttls');
    assert.equal(parsed.profile.port, 587);
    assert.deepEqual(parsed.warnings, ['unknown field "colour" ignored']);
  });

  it('gives an error per wrong field, and one for something that is not a mapping', () => {
    const parsed = profileFromObject({ host: 'bad host', port: 99999, security: 'ssl' });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.deepEqual(parsed.errors.map((e) => e.split(':')[0]).sort(), ['host', 'port', 'security']);
    assert.equal(profileFromObject(['a']).ok, false);
    assert.equal(profileFromObject(null).ok, false);
  });

  it('knows which hosts are loopback', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'LOCALHOST']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['smtp.example.com', '10.0.0.1', 'localhost.example.com', '128.0.0.1']) assert.ok(!isLoopbackHost(h), h);
  });
});

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importCurl } from '../../../src/core/profiles/import';
import { splitShellWords } from '../../../src/core/profiles/import/shellWords';
import { fixture } from '../../support/paths';

const read = (name: string): string => readFileSync(fixture('import', name), 'utf8');

describe('import: curl command line or URL', () => {
  it('reads a multi-line command with --ssl-reqd, --user, --mail-from and two --mail-rcpt', () => {
    const result = importCurl(read('curl-gmail.txt'));
    assert.ok(result.ok, !result.ok ? result.error : '');
    assert.deepEqual(result.profile, {
      name: 'smtp.gmail.com',
      host: 'smtp.gmail.com',
      port: 587,
      security: 'starttls',
      ehloName: 'laptop.example.net',
      user: 'me@gmail.com',
      defaults: { from: 'me@gmail.com', to: 'friend@example.com, other@example.com' },
    });
    assert.deepEqual(result.secret, { password: 'abcd efgh ijkl mnop' });
    assert.ok(result.notes.some((n) => n.includes('mailsmith send mail.txt')));
  });

  it('reads a bare smtps:// URL with percent-encoded credentials as implicit TLS on 465', () => {
    const result = importCurl(read('curl-url.txt'));
    assert.ok(result.ok);
    assert.deepEqual(result.profile, { name: 'mail.example.org', host: 'mail.example.org', port: 465, security: 'tls', user: 'robot@example.org' });
    assert.deepEqual(result.secret, { password: 's3cr:t' });
  });

  it('maps --ssl to STARTTLS-if-offered with a note, -k to no verification, port 25 by default', () => {
    const result = importCurl('curl --ssl -k smtp://relay.example.com --mail-from a@example.com');
    assert.ok(result.ok);
    assert.deepEqual(result.profile, {
      name: 'relay.example.com',
      host: 'relay.example.com',
      port: 25,
      security: 'starttls-optional',
      verifyCertificate: false,
      defaults: { from: 'a@example.com' },
    });
    assert.ok(result.notes.some((n) => /--ssl-reqd/.test(n)));
    assert.ok(result.notes.some((n) => /insecure.*caFile/.test(n)));
  });

  it('reads clustered short flags, -u without a password, --login-options and --cacert', () => {
    const result = importCurl("curl -vku alice smtp://127.0.0.1:2525 --login-options 'AUTH=LOGIN' --cacert ./ca.pem --max-time 30");
    assert.ok(result.ok);
    assert.deepEqual(result.profile, {
      name: '127.0.0.1',
      host: '127.0.0.1',
      port: 2525,
      security: 'none',
      verifyCertificate: false,
      caFile: './ca.pem',
      user: 'alice',
      auth: 'LOGIN',
    });
    assert.equal(result.secret, undefined);
    assert.ok(result.notes.some((n) => n.includes('--max-time')));
  });

  it('puts an OAuth bearer token in the secret and selects XOAUTH2', () => {
    const result = importCurl('curl smtps://smtp.office365.com --user me@example.com --oauth2-bearer tok.en.value');
    assert.ok(result.ok);
    assert.equal(result.profile.auth, 'XOAUTH2');
    assert.deepEqual(result.secret, { accessToken: 'tok.en.value' });
    assert.ok(!JSON.stringify(result.profile).includes('tok.en'));
  });

  it('gives clear errors for malformed command lines and never a profile', () => {
    const cases: [string, RegExp][] = [
      ["curl --user 'me:pw smtp://x", /Unterminated single quote/],
      ['curl "smtp://x', /Unterminated double quote/],
      ['curl https://example.com', /"https:\/\/example.com" is not an SMTP URL/],
      ['curl --mail-from a@b', /No SMTP URL found/],
      ['curl smtp://host.example --user', /--user needs a value/],
      ['curl smtp://host.example:99999', /not a valid (URL|port)/],
      ['curl smtp://h.example --login-options AUTH=GSSAPI', /not a mechanism Mailsmith supports/],
      ['   ', /empty/],
    ];
    for (const [input, error] of cases) {
      const result = importCurl(input);
      assert.ok(!result.ok, input);
      assert.match(result.error, error, input);
      assert.ok(!('profile' in result));
    }
  });

  it('splits shell words like sh does', () => {
    assert.deepEqual(splitShellWords(`a 'b c' "d \\"e\\" \\x" f\\ g \\\n h`), { ok: true, words: ['a', 'b c', 'd "e" \\x', 'f g', 'h'] });
  });
});

// The profile fields of issue 13 as a new user and a hostile file give them: `oauth`, `passwordCommand`,
// `tokenCommand`. Tokens and client secrets are refused in a profile file, one credential source per profile,
// each fitting the AUTH mechanism, endpoints over https (http only to this machine, RFC 6749 sections 3.1
// and 3.2), and the presets fill in what a profile leaves out.
import * as assert from 'node:assert/strict';
import { profileFromObject } from '../../../src/core/profiles/fromObject';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import { validateProfile } from '../../../src/core/profiles/validate';
import { resolveOAuth } from '../../../src/core/secrets/oauth/config';
import { credentialSource } from '../../../src/core/secrets/select';

const BASE: SmtpProfile = { name: 'Work', host: 'smtp.office365.com', port: 587, security: 'starttls', user: 'me@contoso.com' };
const errors = (p: Partial<SmtpProfile>) => validateProfile(p).filter((i) => i.severity === 'error').map((i) => `${i.field}: ${i.message}`);

describe('profiles: OAuth 2.0 and credential command fields', () => {
  it('a Microsoft profile needs only provider and clientId; the preset gives endpoints, scopes and tenant', () => {
    const profile: SmtpProfile = { ...BASE, auth: 'XOAUTH2', oauth: { provider: 'microsoft', clientId: 'abc-123' } };
    assert.deepEqual(errors(profile), []);
    const resolved = resolveOAuth(profile, {});
    assert.ok(resolved.ok);
    assert.equal(resolved.config.tokenUrl, 'https://login.microsoftonline.com/common/oauth2/v2.0/token');
    assert.equal(resolved.config.authorizeUrl, 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    assert.equal(resolved.config.scopes, 'https://outlook.office.com/SMTP.Send offline_access');
    assert.equal(resolved.config.redirectHost, 'localhost');
    const work = resolveOAuth({ ...profile, oauth: { provider: 'microsoft', clientId: 'abc-123', tenant: 'contoso.onmicrosoft.com' } }, {});
    assert.ok(work.ok && work.config.tokenUrl.startsWith('https://login.microsoftonline.com/contoso.onmicrosoft.com/'));
    const google = resolveOAuth({ ...BASE, host: 'smtp.gmail.com', auth: 'XOAUTH2', oauth: { provider: 'google', clientId: 'g', clientSecretEnv: 'G_SECRET' } }, { G_SECRET: 's3cret' });
    assert.ok(google.ok);
    assert.equal(google.config.scopes, 'https://mail.google.com/');
    assert.equal(google.config.clientSecret, 's3cret');
    assert.deepEqual(google.config.authorizeParams, { access_type: 'offline', prompt: 'consent' });
  });

  it('without a client ID the error says to register one, with the provider named', () => {
    assert.match(errors({ ...BASE, auth: 'XOAUTH2', oauth: { provider: 'microsoft' } }).join('\n'), /oauth\.clientId: Give the client ID of your own app registration with Microsoft/);
    const resolved = resolveOAuth({ ...BASE, auth: 'XOAUTH2', oauth: { provider: 'google' } }, {});
    assert.ok(!resolved.ok && /names no OAuth client \(oauth\.clientId\): Google needs an OAuth client of your own/.test(resolved.reason));
  });

  it('a client secret variable that is not set is a clear reason, naming the variable', () => {
    const resolved = resolveOAuth({ ...BASE, auth: 'XOAUTH2', oauth: { provider: 'google', clientId: 'g', clientSecretEnv: 'G_SECRET' } }, {});
    assert.ok(!resolved.ok && /reads its OAuth client secret from \$G_SECRET, which is not set/.test(resolved.reason));
  });

  it('refuses endpoints in clear text to another machine, and takes http to this machine (tests, local proxies)', () => {
    const custom = (tokenUrl: string) => errors({ ...BASE, auth: 'XOAUTH2', oauth: { clientId: 'c', tokenUrl, authorizeUrl: tokenUrl } });
    assert.match(custom('http://auth.example.com/token').join('\n'), /oauth\.tokenUrl: oauth\.tokenUrl: use an https:\/\/ URL/);
    assert.match(custom('ftp://auth.example.com/token').join('\n'), /use an https:\/\/ URL/);
    assert.deepEqual(custom('http://127.0.0.1:8080/token'), []);
    assert.deepEqual(custom('https://auth.example.com/token'), []);
  });

  it('one credential source per profile, fitting the mechanism', () => {
    assert.match(errors({ ...BASE, passwordCommand: 'pass x', tokenCommand: 'tok' }).join('\n'), /Give a passwordCommand or a tokenCommand, not both/);
    assert.match(errors({ ...BASE, auth: 'XOAUTH2', passwordCommand: 'pass x' }).join('\n'), /takes an access token: use tokenCommand/);
    assert.match(errors({ ...BASE, auth: 'PLAIN', tokenCommand: 'tok' }).join('\n'), /choose AUTH XOAUTH2 or OAUTHBEARER, not PLAIN/);
    assert.match(errors({ ...BASE, auth: 'PLAIN', oauth: { provider: 'microsoft', clientId: 'c' } }).join('\n'), /An OAuth 2\.0 sign-in gives an access token/);
    assert.match(errors({ ...BASE, tokenCommand: 'tok', auth: 'XOAUTH2', oauth: { provider: 'microsoft', clientId: 'c' } }).join('\n'), /Give oauth or a credential command, not both/);
    assert.match(errors({ ...BASE, user: undefined, passwordCommand: 'pass x' }).join('\n'), /needs a user/);
    assert.match(errors({ ...BASE, passwordCommand: '   ' }).join('\n'), /passwordCommand is a command line/);
    assert.equal(credentialSource({ passwordCommand: 'x' }), 'command');
    assert.equal(credentialSource({ oauth: {} }), 'oauth');
    assert.equal(credentialSource({}), 'password');
  });

  it('a profile file may not hold a token or a client secret, at the top or in oauth, and says what to use', () => {
    const parsed = profileFromObject({ ...BASE, auth: 'XOAUTH2', refresh_token: 'rt-value-1111', accessToken: 'at-value-2222', oauth: { provider: 'google', clientId: 'g', clientSecret: 'cs-value-3333', refreshToken: 'rt-value-4444' } });
    assert.equal(parsed.ok, false);
    const text = !parsed.ok ? parsed.errors.join('\n') : '';
    assert.match(text, /"refresh_token": tokens and client secrets do not belong in a profile file; use oauth\.refreshTokenEnv/);
    assert.match(text, /"accessToken": .*use tokenCommand or an OAuth sign-in/);
    assert.match(text, /"oauth\.clientSecret": .*use oauth\.clientSecretEnv/);
    assert.match(text, /"oauth\.refreshToken"/);
    assert.doesNotMatch(text, /value-\d{4}/, 'the values are not repeated');
  });

  it('reads scopes given as a YAML list as the space-separated string of RFC 6749 section 3.3', () => {
    const parsed = profileFromObject({ ...BASE, auth: 'OAUTHBEARER', oauth: { clientId: 'c', tokenUrl: 'https://a.example/t', authorizeUrl: 'https://a.example/a', scopes: ['mail.send', 'offline_access'] } });
    assert.ok(parsed.ok, !parsed.ok ? parsed.errors.join('; ') : '');
    assert.equal(parsed.profile.oauth?.scopes, 'mail.send offline_access');
  });
});

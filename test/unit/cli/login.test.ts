// `mailsmith login`, `send`, `doctor` and `logout` in-process with an OAuth 2.0 profile, against real parts on
// 127.0.0.1: our authorization server (two-second access tokens, revocable refresh tokens) and smtp-server
// taking XOAUTH2 only for a valid token. The browser's part of the loopback sign-in is played by HTTP requests
// to the URL the command prints. No token in the output (even with -v), the profile file or the state folder
// outside the owner-only sign-in file.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { consentWithoutBrowser, startOAuthServer, type OAuthTestServer } from '../../support/oauthServer';
import { startOAuthSmtpServer, type OAuthSmtpServer } from '../../support/oauthSmtp';
import { fixture } from '../../support/paths';
import { filesHoldingSecrets, findSecret, waitUntil } from '../../support/secretScan';
import { testCertificate, type TestCertificate } from '../../support/smtpServers';
import { recordingIo, type RecordingIo } from './checkIo';

const USER = 'ann@example.test';

describe('mailsmith login, send and logout with OAuth 2.0', function () {
  this.timeout(20_000);
  let certificate: TestCertificate;
  let dir: string;
  let oauth: OAuthTestServer;
  let smtp: OAuthSmtpServer;
  let profileText: string;

  before(async () => {
    certificate = await testCertificate();
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-cli-oauth-'));
    copyFileSync(fixture('send', 'team.eml'), join(dir, 'team.eml'));
    oauth = await startOAuthServer({ accessTtlMs: 2000, deviceIntervalS: 0.1 });
    smtp = await startOAuthSmtpServer({ user: USER, isValid: (t) => oauth.isValidAccessToken(t), certificate, mechanisms: ['XOAUTH2'] });
    profileText = [
      'name: Work',
      'host: 127.0.0.1',
      `port: ${smtp.port}`,
      'security: starttls',
      `caFile: ${certificate.certFile}`,
      `user: ${USER}`,
      'auth: XOAUTH2',
      'oauth:',
      '  provider: custom',
      `  clientId: ${oauth.clientId}`,
      `  authorizeUrl: ${oauth.authorizeUrl}`,
      `  tokenUrl: ${oauth.tokenUrl}`,
      `  deviceUrl: ${oauth.deviceUrl}`,
      '  scopes: [mail.send, offline]',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'work.yaml'), profileText);
  });
  afterEach(async () => {
    await Promise.all([oauth.close(), smtp.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  function io(env: Record<string, string> = {}): RecordingIo {
    const r = recordingIo();
    r.cwd = dir;
    r.env = { MAILSMITH_STATE_DIR: join(dir, 'state'), ...env };
    return r;
  }

  /** `mailsmith login` with the consent given (or refused) the way a browser would. */
  async function login(decision: 'allow' | 'deny' = 'allow'): Promise<{ code: number; r: RecordingIo }> {
    const r = io();
    const running = main(['login', '--profile-file', 'work.yaml', '--no-browser'], r);
    await waitUntil('the sign-in URL on stderr', () => /Waiting for the sign-in/.test(r.err));
    const url = /^ {2}(http:\/\/\S+)$/m.exec(r.err)?.[1];
    assert.ok(url, r.err);
    await consentWithoutBrowser(url, decision);
    return { code: await running, r };
  }

  function assertNoTokenLeaked(outputs: string[]): void {
    const tokens = [...oauth.issuedAccessTokens, ...oauth.issuedRefreshTokens];
    assert.ok(tokens.length > 0);
    for (const text of outputs) assert.equal(findSecret(text, tokens), undefined, `a token in: ${text}`);
    assert.deepEqual(filesHoldingSecrets(join(dir, 'state'), tokens, ['oauth']), []);
    assert.equal(readFileSync(join(dir, 'work.yaml'), 'utf8'), profileText, 'the profile file is untouched');
  }

  it('signs in with the browser, sends, sends again after the token expired, and after revocation says to sign in again with the command', async () => {
    const signedIn = await login();
    assert.equal(signedIn.code, 0, signedIn.r.out + signedIn.r.err);
    assert.match(signedIn.r.out, /Signed in to 127\.0\.0\.1:\d+ as ann@example\.test for the profile "Work"\. The sign-in is kept in .*oauth.*\.json \(readable by you only\)/);
    const files = readdirSync(join(dir, 'state', 'oauth'));
    assert.equal(files.length, 1);
    if (process.platform !== 'win32') assert.equal(statSync(join(dir, 'state', 'oauth', files[0])).mode & 0o777, 0o600);

    const first = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', 'work.yaml', '--yes', '-v'], first), 0, first.out + first.err);
    assert.match(first.err, /C: AUTH XOAUTH2 \S+/, '-v shows the AUTH line, redacted');
    const used = smtp.attempts[0].token;
    await waitUntil('the access token to expire', () => !oauth.isValidAccessToken(used));

    const second = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', 'work.yaml', '--yes', '-v'], second), 0, second.out + second.err);
    assert.equal(smtp.received.length, 2);
    assert.ok(smtp.attempts.every((a) => a.accepted), 'each run renewed before AUTH');

    oauth.revokeRefreshTokens();
    const third = io();
    // Renewal comes before connecting: nothing is contacted, and the exit status is that of missing credentials.
    assert.equal(await main(['send', 'team.eml', '--profile-file', 'work.yaml', '--yes', '-v'], third), 2, third.out + third.err);
    assert.match(third.out + third.err, /no longer accepts the sign-in of the profile "Work" \(the sign-in expired or was revoked\): sign in again; run: mailsmith login --profile-file work\.yaml/);
    assert.equal(smtp.received.length, 2, 'nothing more was sent');
    assert.equal(smtp.attempts.length, 2, 'the server was not contacted');
    assertNoTokenLeaked([signedIn.r.out, signedIn.r.err, first.out, first.err, second.out, second.err, third.out, third.err]);
  });

  it('doctor authenticates with the signed-in token, the same way as send', async () => {
    assert.equal((await login()).code, 0);
    const r = io();
    const code = await main(['doctor', '--profile-file', 'work.yaml'], r);
    assert.equal(code, 0, r.out + r.err);
    assert.match(r.out, /auth/i);
    assert.deepEqual(smtp.attempts.map((a) => a.accepted), [true]);
    assertNoTokenLeaked([r.out, r.err]);
  });

  it('signs in with a device code (--device), and logout forgets the sign-in', async () => {
    const r = io();
    const running = main(['login', '--profile-file', 'work.yaml', '--device'], r);
    await waitUntil('the device code on stderr', () => /enter the code \w+/.test(r.err));
    const userCode = /enter the code (\w+)/.exec(r.err)![1];
    assert.match(r.err, new RegExp(`open ${oauth.origin.replace(/\./g, '\\.')}/device on any device`));
    oauth.approveDevice(userCode);
    assert.equal(await running, 0, r.out + r.err);
    assert.match(r.out, /Signed in to/);

    const sent = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', 'work.yaml', '--yes'], sent), 0, sent.out + sent.err);

    const out = io();
    assert.equal(await main(['logout', '--profile-file', 'work.yaml'], out), 0, out.err);
    assert.match(out.out, /Signed out: the sign-in of ann@example\.test at 127\.0\.0\.1:\d+ for the profile "Work" is forgotten/);
    assert.deepEqual(readdirSync(join(dir, 'state', 'oauth')), []);
    const again = io();
    assert.equal(await main(['logout', '--profile-file', 'work.yaml'], again), 0);
    assert.match(again.out, /had no stored sign-in; nothing to forget/);

    const refused = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', 'work.yaml', '--yes'], refused), 2);
    assert.match(refused.err, /is not signed in to 127\.0\.0\.1:\d+: sign in first; run: mailsmith login --profile-file work\.yaml/);
    assert.equal(smtp.received.length, 1);
    assertNoTokenLeaked([r.out, r.err, sent.out, sent.err, out.out, refused.err]);
  });

  it('a refused consent: exit 1, "not signed in", nothing stored', async () => {
    const { code, r } = await login('deny');
    assert.equal(code, 1);
    assert.match(r.err, /not signed in: 127\.0\.0\.1:\d+ did not sign you in \(access_denied\)/);
    assert.throws(() => readdirSync(join(dir, 'state', 'oauth')));
  });

  it('login refuses a profile without oauth, naming what to add', async () => {
    writeFileSync(join(dir, 'plain.yaml'), `name: Plain\nhost: 127.0.0.1\nport: ${smtp.port}\nsecurity: starttls\nuser: ${USER}\n`);
    const r = io();
    assert.equal(await main(['login', '--profile-file', 'plain.yaml'], r), 2);
    assert.match(r.err, /does not sign in with OAuth 2\.0: give it "auth: XOAUTH2" and an "oauth" section/);
  });
});

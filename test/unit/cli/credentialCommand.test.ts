// passwordCommand and tokenCommand through `mailsmith send`, against smtp-server on 127.0.0.1: the command's
// first line is the secret; a token command runs again after the server refused its token (as `oauth2ms` or
// `gcloud auth print-access-token` hand out a fresh one); a command that hangs is stopped at the profile's
// timeout; nothing the command printed reaches the output (even with -v), the journal or the state folder.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { consentWithoutBrowser, startOAuthServer, type OAuthTestServer } from '../../support/oauthServer';
import { startOAuthSmtpServer } from '../../support/oauthSmtp';
import { fixture } from '../../support/paths';
import { filesHoldingSecrets, findSecret } from '../../support/secretScan';
import { startSmtpServer, testCertificate, type TestCertificate } from '../../support/smtpServers';
import { recordingIo, type RecordingIo } from './checkIo';
import { signInWithBrowser } from '../../../src/core/secrets/oauth/browserFlow';
import { resolveOAuth } from '../../../src/core/secrets/oauth/config';
import { refreshAccessToken } from '../../../src/core/secrets/oauth/tokenEndpoint';

const USER = 'ann@example.test';

describe('mailsmith send with a credential command', function () {
  this.timeout(20_000);
  let certificate: TestCertificate;
  let dir: string;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    certificate = await testCertificate();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-cli-cmd-'));
    copyFileSync(fixture('send', 'team.eml'), join(dir, 'team.eml'));
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
    rmSync(dir, { recursive: true, force: true });
  });

  function io(): RecordingIo {
    const r = recordingIo();
    r.cwd = dir;
    r.env = { ...process.env, MAILSMITH_STATE_DIR: join(dir, 'state') } as Record<string, string>;
    return r;
  }

  function profile(port: number, lines: string[]): void {
    writeFileSync(join(dir, 'work.yaml'), ['name: Work', 'host: 127.0.0.1', `port: ${port}`, 'security: starttls', `caFile: ${certificate.certFile}`, `user: ${USER}`, ...lines, ''].join('\n'));
  }

  /** A shell-quoted command that prints the lines of `file` one per run (the first, then the next, ...). */
  function popCommand(file: string): string {
    const script = join(dir, 'pop.js');
    writeFileSync(
      script,
      `const fs = require('fs'); const f = process.argv[2]; const lines = fs.readFileSync(f, 'utf8').split('\\n').filter(Boolean);` +
        ` process.stdout.write((lines.shift() ?? '') + '\\nsecond line, never used\\n'); fs.writeFileSync(f, lines.join('\\n'));`,
    );
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    return `${q(process.execPath)} ${q(script)} ${q(file)}`;
  }

  it('passwordCommand: the first line of its output is the password, and it appears nowhere', async () => {
    const password = 'cmd-Pa55word-with-sp ace';
    const server = await startSmtpServer({ auth: { user: USER, password }, certificate });
    closers.push(() => server.close());
    writeFileSync(join(dir, 'secrets.txt'), `${password}\n`);
    profile(server.port, ['auth: PLAIN', `passwordCommand: ${JSON.stringify(popCommand(join(dir, 'secrets.txt')))}`]);
    const r = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', 'work.yaml', '--yes', '-v'], r), 0, r.out + r.err);
    assert.equal(server.received.length, 1);
    assert.match(r.err, /C: AUTH PLAIN \S+/);
    assert.equal(findSecret(r.out + r.err, [password]), undefined);
    assert.deepEqual(filesHoldingSecrets(join(dir, 'state'), [password]), []);
  });

  describe('tokenCommand', () => {
    let oauth: OAuthTestServer;
    beforeEach(async () => {
      oauth = await startOAuthServer({ accessTtlMs: 60_000 });
      closers.push(() => oauth.close());
    });

    /** Two access tokens from the authorization server, as a token helper would fetch them. */
    async function twoTokens(): Promise<[string, string]> {
      const resolved = resolveOAuth({ name: 'x', host: 'h', port: 1, security: 'tls', user: USER, oauth: { clientId: oauth.clientId, authorizeUrl: oauth.authorizeUrl, tokenUrl: oauth.tokenUrl } }, {});
      assert.ok(resolved.ok);
      const first = await signInWithBrowser(resolved.config, { open: async (url) => void (await consentWithoutBrowser(url)) });
      oauth.revokeAccessTokens();
      const second = await refreshAccessToken(resolved.config, first.refreshToken!);
      return [first.accessToken, second.accessToken];
    }

    for (const mechanism of ['XOAUTH2', 'OAUTHBEARER'] as const) {
      it(`${mechanism}: a refused token makes the command run once more, and the fresh token sends; neither token appears anywhere`, async () => {
        const smtp = await startOAuthSmtpServer({ user: USER, isValid: (t) => oauth.isValidAccessToken(t), certificate, mechanisms: [mechanism] });
        closers.push(() => smtp.close());
        const [stale, fresh] = await twoTokens();
        writeFileSync(join(dir, 'tokens.txt'), `${stale}\n${fresh}\n`);
        profile(smtp.port, [`auth: ${mechanism}`, `tokenCommand: ${JSON.stringify(popCommand(join(dir, 'tokens.txt')))}`]);
        const r = io();
        assert.equal(await main(['send', 'team.eml', '--profile-file', 'work.yaml', '--yes', '-v'], r), 0, r.out + r.err);
        assert.deepEqual(smtp.attempts.map((a) => [a.token === stale ? 'stale' : a.token === fresh ? 'fresh' : '?', a.accepted]), [['stale', false], ['fresh', true]]);
        assert.equal(smtp.received.length, 1, 'sent once');
        assert.match(r.err, new RegExp(`C: AUTH ${mechanism} \\S+`));
        assert.equal(findSecret(r.out + r.err, [stale, fresh, 'second line, never used']), undefined, r.err);
        assert.deepEqual(filesHoldingSecrets(join(dir, 'state'), [stale, fresh]), []);
      });
    }

    it('a command that gives the same refused token again: one AUTH more is not tried, and the outcome says the token was refused', async () => {
      const smtp = await startOAuthSmtpServer({ user: USER, isValid: (t) => oauth.isValidAccessToken(t), certificate, mechanisms: ['OAUTHBEARER'] });
      closers.push(() => smtp.close());
      const [stale] = await twoTokens();
      writeFileSync(join(dir, 'tokens.txt'), `${stale}\n${stale}\n`);
      profile(smtp.port, ['auth: OAUTHBEARER', `tokenCommand: ${JSON.stringify(popCommand(join(dir, 'tokens.txt')))}`]);
      const r = io();
      assert.equal(await main(['send', 'team.eml', '--profile-file', 'work.yaml', '--yes'], r), 1, r.out + r.err);
      assert.equal(smtp.attempts.length, 1);
      assert.match(r.out + r.err, /authentication failed.*access token was refused/);
      assert.equal(findSecret(r.out + r.err, [stale]), undefined);
    });
  });

  it('a command that hangs is stopped at timeouts.secretCommandMs, with a clear message and nothing contacted', async () => {
    const server = await startSmtpServer({ auth: { user: USER, password: 'x' }, certificate });
    closers.push(() => server.close());
    profile(server.port, ['auth: PLAIN', 'passwordCommand: "sleep 30; echo late"', 'timeouts:', '  secretCommandMs: 300']);
    const r = io();
    const started = Date.now();
    assert.equal(await main(['send', 'team.eml', '--profile-file', 'work.yaml', '--yes'], r), 2, r.out + r.err);
    assert.ok(Date.now() - started < 10_000, 'did not wait for the command');
    assert.match(r.err, /the profile "Work": passwordCommand did not finish within 0\.3 s and was stopped/);
    assert.equal(server.authMethods.length, 0);
  });

  it('a command that fails: its exit status and stderr, never what it printed on stdout', async () => {
    const server = await startSmtpServer({ auth: { user: USER, password: 'x' }, certificate });
    closers.push(() => server.close());
    profile(server.port, ['auth: PLAIN', `passwordCommand: "echo half-a-secret-4711; echo 'gpg: decryption failed: No secret key' >&2; exit 2"`]);
    const r = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', 'work.yaml', '--yes'], r), 2);
    assert.match(r.err, /passwordCommand failed with exit status 2; it said: gpg: decryption failed: No secret key/);
    assert.doesNotMatch(r.out + r.err, /half-a-secret-4711/);
    assert.equal(server.authMethods.length, 0, 'nothing contacted');
  });
});

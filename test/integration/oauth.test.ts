// OAuth 2.0 in the real VS Code, against real parts on 127.0.0.1: our authorization server (access tokens
// valid for two seconds, revocable refresh tokens) and smtp-server taking OAUTHBEARER only for a valid token.
// "Mailsmith: Sign In (OAuth 2.0)" runs as a person runs it, except that the test plays the browser (HTTP
// requests to the consent page and back to the loopback listener) instead of vscode.env.openExternal. Then
// Send, Send again after expiry (renewed silently before AUTH), a token the server refuses (renewed once),
// a revoked sign-in ("sign in again", naming the command), Test Connection on the same token path, Sign Out,
// Sign In with a Code (the device grant).
// No token in the log, the settings, the sent history or the state folder. Profiles in a workspace's
// settings (which could carry a passwordCommand) are never read.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { defaultStateDir } from '../../src/core/state/paths';
import type { SendResult } from '../../src/vscode/send';
import type { SignInCommandResult } from '../../src/vscode/profiles/signInCommands';
import { consentWithoutBrowser, startOAuthServer, type OAuthTestServer } from '../support/oauthServer';
import { startOAuthSmtpServer, type OAuthSmtpServer } from '../support/oauthSmtp';
import { filesHoldingSecrets, findSecret } from '../support/secretScan';
import { closeAllEditors, mailsmithApi as api, waitFor, workspaceDir, workspaceUri } from './support';

const NAME = 'OAuth IT';
const USER = 'ann@example.test';

describe('OAuth 2.0 sign-in and sending in VS Code', function () {
  this.timeout(60_000);
  let oauth: OAuthTestServer;
  let smtp: OAuthSmtpServer;
  let caFile: string;
  const uri = () => workspaceUri('oauth.eml');

  before(async () => {
    const { services } = await api();
    oauth = await startOAuthServer({ accessTtlMs: 2000 });
    smtp = await startOAuthSmtpServer({ user: USER, isValid: (t) => oauth.isValidAccessToken(t), mechanisms: ['OAUTHBEARER'] });
    caFile = smtp.certificate.certFile;
    writeFileSync(uri().fsPath, `From: ${USER}\nTo: bob@example.org\nSubject: Signed in\n\nHello.\n`);
    await services.profiles.save({
      name: NAME,
      host: '127.0.0.1',
      port: smtp.port,
      security: 'starttls',
      caFile,
      user: USER,
      auth: 'OAUTHBEARER',
      oauth: { provider: 'custom', clientId: oauth.clientId, authorizeUrl: oauth.authorizeUrl, tokenUrl: oauth.tokenUrl, deviceUrl: oauth.deviceUrl },
    });
    await vscode.commands.executeCommand('mailsmith.selectProfile', NAME);
  });
  after(async () => {
    const { services } = await api();
    await closeAllEditors();
    await vscode.commands.executeCommand('mailsmith.selectProfile', 'Local capture inbox');
    await services.profiles.remove(NAME);
    await Promise.all([oauth?.close(), smtp?.close()]);
  });

  /** The sign-in command, with the test as the browser. */
  async function signIn(): Promise<SignInCommandResult> {
    return vscode.commands.executeCommand<SignInCommandResult>('mailsmith.signIn', NAME, {
      openExternal: async (url: string) => {
        await consentWithoutBrowser(url);
        return true;
      },
    });
  }

  async function send(): Promise<SendResult> {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri()));
    return vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri: uri(), skipConfirm: true });
  }

  async function assertNoTokenLeaked(): Promise<void> {
    const { services, logFile } = await api();
    const tokens = [...oauth.issuedAccessTokens, ...oauth.issuedRefreshTokens];
    assert.ok(tokens.length > 0);
    const log = readFileSync(logFile.fsPath, 'utf8');
    assert.equal(findSecret(log, tokens), undefined, 'no token in the log');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('mailsmith').inspect('profiles'));
    assert.equal(findSecret(settings, tokens), undefined, 'no token in the settings');
    assert.equal(findSecret(JSON.stringify(services.profiles.list()), tokens), undefined, 'no token in the profiles the extension hands out');
    assert.deepEqual(filesHoldingSecrets(defaultStateDir(), tokens), [], 'no token in the sent history or anywhere in the state folder');
  }

  it('Sign In: the loopback redirect with PKCE, the account shown, the refresh token in SecretStorage only', async () => {
    const { services } = await api();
    const result = await signIn();
    assert.equal(result.ok, true, result.message);
    assert.equal(result.account, USER);
    assert.equal(oauth.authorizeRequests.at(-1)?.get('code_challenge_method'), 'S256');
    const profile = services.profiles.get(NAME)!;
    assert.deepEqual(await services.profiles.signInStatus(profile), { provider: new URL(oauth.origin).host, account: USER });
    await assertNoTokenLeaked();
  });

  it('Send, then Send again after the token expired: renewed silently before AUTH, both delivered', async () => {
    const first = await send();
    assert.equal(first.status, 'sent', JSON.stringify(first));
    const used = smtp.attempts.at(-1)!.token;
    await waitFor('the access token to expire', () => !oauth.isValidAccessToken(used));
    const renewalsBefore = oauth.grants.length;
    const second = await send();
    assert.equal(second.status, 'sent', JSON.stringify(second));
    assert.deepEqual(smtp.attempts.map((a) => a.accepted), [true, true], 'the expired token never reached the server');
    assert.equal(smtp.received.length, 2);
    assert.deepEqual(oauth.grants.slice(renewalsBefore), ['refresh_token'], 'renewed once, before AUTH');
  });

  it('a token the server refuses before its time is renewed once, and the message goes once', async () => {
    // From here on tokens outlive the test, so that only the server's refusal can make the client renew.
    oauth.setAccessTtlMs(600_000);
    oauth.revokeAccessTokens();
    assert.equal((await send()).status, 'sent');
    const attemptsBefore = smtp.attempts.length;
    oauth.revokeAccessTokens();
    const result = await send();
    assert.equal(result.status, 'sent', JSON.stringify(result));
    assert.deepEqual(smtp.attempts.slice(attemptsBefore).map((a) => a.accepted), [false, true]);
    assert.equal(smtp.received.length, 4);
  });

  it('Test Connection authenticates with the same token', async () => {
    const before = smtp.attempts.length;
    const report = await vscode.commands.executeCommand<{ ok: boolean }>('mailsmith.testConnection', NAME);
    assert.equal(report?.ok, true, JSON.stringify(report));
    assert.equal(smtp.attempts.length, before + 1);
    assert.equal(smtp.attempts.at(-1)?.accepted, true);
  });

  it('a revoked sign-in: the send fails with "sign in again" naming the command, and nothing is sent', async () => {
    oauth.revokeAccessTokens();
    oauth.revokeRefreshTokens();
    const result = await send();
    assert.notEqual(result.status, 'sent');
    assert.match(JSON.stringify(result), /no longer accepts the sign-in of the profile \\"OAuth IT\\".*sign in again; use \\"Mailsmith: Sign In \(OAuth 2\.0\)\\"/);
    assert.equal(smtp.received.length, 4);
    const { services } = await api();
    assert.deepEqual(await services.profiles.signInStatus(services.profiles.get(NAME)!), { provider: new URL(oauth.origin).host }, 'shown as signed out');
  });

  it('signing in again sends again; Sign Out forgets the sign-in, and the next send asks to sign in', async () => {
    assert.equal((await signIn()).ok, true);
    assert.equal((await send()).status, 'sent');
    const out = await vscode.commands.executeCommand<SignInCommandResult>('mailsmith.signOut', NAME);
    assert.equal(out.ok, true, out.message);
    const { services } = await api();
    assert.equal((await services.profiles.signInStatus(services.profiles.get(NAME)!))?.account, undefined);
    const result = await send();
    assert.equal(result.status, 'error');
    assert.match(result.status === 'error' ? result.reason : '', /is not signed in to .*: sign in first; use "Mailsmith: Sign In \(OAuth 2\.0\)"/);
    assert.equal(smtp.received.length, 5);
    await assertNoTokenLeaked();
  });

  it('Sign In with a Code (RFC 8628): the code shown is approved on "another device", and the profile sends again', async () => {
    const { services } = await api();
    const running = vscode.commands.executeCommand<SignInCommandResult>('mailsmith.signInWithCode', NAME);
    const [userCode] = await waitFor('the device code to be issued', () => (oauth.pendingUserCodes().length ? oauth.pendingUserCodes() : undefined));
    oauth.approveDevice(userCode);
    const result = await running;
    assert.equal(result.ok, true, result.message);
    assert.equal((await services.profiles.signInStatus(services.profiles.get(NAME)!))?.account, USER);
    const sent = await send();
    assert.equal(sent.status, 'sent', JSON.stringify(sent));
    assert.equal(smtp.received.length, 6);
    await vscode.commands.executeCommand('mailsmith.signOut', NAME);
    await assertNoTokenLeaked();
  });

  it('never reads profiles from a workspace\'s settings, so a repository cannot make a command run', async () => {
    const { services } = await api();
    const marker = join(tmpdir(), `mailsmith-workspace-command-${Date.now()}`);
    const settingsDir = join(workspaceDir(), '.vscode');
    const settingsFile = join(settingsDir, 'settings.json');
    const previous = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
    mkdirSync(settingsDir, { recursive: true });
    const hostile = { name: 'From the repository', host: '127.0.0.1', port: smtp.port, security: 'starttls', user: USER, passwordCommand: `touch ${marker}` };
    // A window-scoped setting beside it tells when VS Code has read the file.
    const readMark = 4321;
    writeFileSync(settingsFile, JSON.stringify({ 'mailsmith.profiles': [hostile], 'mailsmith.diagnostics.debounceMs': readMark }));
    try {
      await waitFor('VS Code to read the workspace settings', () => vscode.workspace.getConfiguration('mailsmith').inspect('diagnostics.debounceMs')?.workspaceValue === readMark);
      assert.equal(services.profiles.get('From the repository'), undefined);
      assert.ok(!services.profiles.list().some((p) => p.passwordCommand), 'no profile with a command');
      await vscode.commands.executeCommand('mailsmith.testConnection', 'From the repository');
      assert.equal(existsSync(marker), false, 'the command never ran');
    } finally {
      if (previous === undefined) rmSync(settingsFile, { force: true });
      else writeFileSync(settingsFile, previous);
      rmSync(marker, { force: true });
    }
  });
});

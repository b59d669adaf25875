// A person signs an OAuth 2.0 profile in from the real workbench: runs "Mailsmith: Sign In (OAuth 2.0)", the
// provider's consent page opens in the real browser (our authorization server on 127.0.0.1), they press
// Allow, the browser follows the redirect to the extension's loopback listener, and VS Code says who is
// signed in. Then Send Email goes out through smtp-server with OAUTHBEARER, with a token only that sign-in
// gave. No token in the user settings file.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startOAuthServer, type OAuthTestServer } from '../support/oauthServer';
import { startOAuthSmtpServer, type OAuthSmtpServer } from '../support/oauthSmtp';
import { findSecret } from '../support/secretScan';
import { uiEnvironment, updateUserSettings, useWorkbench } from './support/workbench';

const EXTENSION_ID = 'mailsmith.mailsmith';
const PROFILE = 'UI OAuth';
const USER = 'alice@example.com';
const SAMPLE = 'plain-text.eml';

describe('OAuth 2.0 sign-in through the real browser (real workbench)', function () {
  this.timeout(180_000);
  let oauth: OAuthTestServer;
  let smtp: OAuthSmtpServer;

  before(async () => {
    oauth = await startOAuthServer({ accessTtlMs: 600_000 });
    smtp = await startOAuthSmtpServer({ user: USER, isValid: (t) => oauth.isValidAccessToken(t), mechanisms: ['OAUTHBEARER'] });
    updateUserSettings({
      'mailsmith.profiles': [
        {
          name: PROFILE,
          host: '127.0.0.1',
          port: smtp.port,
          security: 'starttls',
          caFile: smtp.certificate.certFile,
          user: USER,
          auth: 'OAUTHBEARER',
          oauth: { provider: 'custom', clientId: oauth.clientId, authorizeUrl: oauth.authorizeUrl, tokenUrl: oauth.tokenUrl },
        },
      ],
    });
  });
  const workbench = useWorkbench('oauth');
  after(async () => {
    await Promise.all([oauth?.close(), smtp?.close()]);
  });

  it('Sign In opens the consent page in the browser; Allow comes back to VS Code, which names the account', async () => {
    const wb = workbench();
    const popup = wb.page.context().waitForEvent('page', { timeout: 60_000 });
    await wb.runCommand('Mailsmith: Sign In (OAuth 2.0)');
    // VS Code asks before opening an external site it does not trust yet.
    const consent: Page = await Promise.race([
      popup,
      wb.page
        .locator('.monaco-dialog-box')
        .waitFor({ state: 'visible', timeout: 60_000 })
        .then(async () => {
          await wb.screenshot('asked to open the provider');
          await wb.answerDialog(/^Open$/);
          return popup;
        }),
    ]);
    await consent.locator('#allow').waitFor({ timeout: 30_000 });
    assert.match(await consent.locator('h1').innerText(), /Allow Mailsmith to send mail as alice@example\.com\?/);
    await consent.locator('#allow').click();
    await consent.locator('h1', { hasText: 'Signed in' }).waitFor({ timeout: 30_000 });
    await wb.waitForNotification(/Signed in to .* as alice@example\.com/, 60_000);
    await wb.screenshot('signed in');
    await consent.close();
    const request = oauth.authorizeRequests.at(-1)!;
    assert.equal(request.get('code_challenge_method'), 'S256');
    assert.match(request.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('Send Email with the signed-in profile goes out with OAUTHBEARER, and no token is in the settings file', async () => {
    const wb = workbench();
    await wb.openFile(SAMPLE);
    const item = wb.extensionStatusBarItems(EXTENSION_ID).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await item.click();
    await wb.pickQuickPickItem(PROFILE);
    await wb.extensionStatusBarItems(EXTENSION_ID).filter({ hasText: PROFILE }).first().waitFor();
    await wb.runCommand('Mailsmith: Send Email');
    // mailsmith.confirmBeforeSend is on by default: the review of what will leave comes first.
    await wb.answerDialog(/^\s*Send/);
    await wb.waitForNotification(/sent/i, 60_000);
    await wb.screenshot('sent with OAUTHBEARER');
    assert.equal(smtp.received.length, 1);
    assert.deepEqual(smtp.attempts.map((a) => [a.method, a.accepted]), [['OAUTHBEARER', true]]);
    const settings = readFileSync(uiEnvironment().userSettings, 'utf8');
    assert.equal(findSecret(settings, [...oauth.issuedAccessTokens, ...oauth.issuedRefreshTokens]), undefined);
  });
});

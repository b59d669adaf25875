// The profile settings page itself (src/webview/profiles/main.ts, bundled as the build does) in Debian's
// Chromium, with a small host in this test that speaks the same protocol as the real panel and uses the
// real core (draft conversion, importers). The real-VS-Code proof is test/ui/profileSettings.ui.ts; this
// one is fast and pins the page's own behaviour: inline errors, Save gating, write-only password, state
// restore, import, live doctor steps. Every message the page sends must pass the panel's checks.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { type Browser, type Frame, type Page, chromium } from 'playwright-core';
import { importProfile } from '../../../src/core/profiles/import';
import { PRESETS } from '../../../src/core/profiles/presets';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import { renderPage } from '../../../src/vscode/profileSettings/html';
import { parsePageMessage } from '../../../src/vscode/profileSettings/pageMessages';
import { type DraftContext, validateDraft } from '../../../src/vscode/profileSettings/validateDraft';
import { profileToDraft } from '../../../src/webview/profiles/draft';
import type { HostMessage, PageMessage, ProfileSummary } from '../../../src/webview/profiles/protocol';
import { repoRoot } from '../../support/paths';

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const CHROMIUM = process.env.MAILSMITH_CHROMIUM ?? '/usr/bin/chromium';
const LOCAL_INBOX_PRESET = PRESETS.find((p) => p.id === 'local-inbox')!;
const ORIGIN = 'https://page.test';

/** Stands in for the panel: same messages, real core, an in-memory store and secret store. */
class HostShim {
  profiles: SmtpProfile[] = [
    { name: 'Local inbox', host: '127.0.0.1', port: 2525, security: 'none' },
    { name: 'Work', host: 'smtp.work.example', port: 587, security: 'starttls', user: 'me' },
  ];
  secrets = new Map<string, string>([['Work', 'old-password']]);
  /** OAuth 2.0 sign-ins by profile name (the account), as the panel's store reports them. */
  signedIn = new Map<string, string>();
  active = 'Work';
  received: PageMessage[] = [];
  answerDiscard = true;
  private importedPassword: string | undefined;

  constructor(private readonly page: Page) {}

  send(message: HostMessage): Promise<void> {
    return this.page.evaluate((m) => window.postMessage(m, '*'), message as unknown as Record<string, unknown>);
  }

  context(): DraftContext {
    return { get: (name) => this.profiles.find((p) => p.name === name), builtInName: 'Local inbox' };
  }

  summaries(): ProfileSummary[] {
    return this.profiles.map((profile) => {
      const account = this.signedIn.get(profile.name);
      const signIn = profile.oauth ? { signIn: { provider: 'Microsoft', ...(account ? { account } : {}) } } : {};
      return { profile, hasPassword: this.secrets.has(profile.name), builtIn: profile.name === 'Local inbox', ...signIn };
    });
  }

  async receive(raw: unknown): Promise<void> {
    const message = parsePageMessage(raw);
    assert.ok(message, `the page sent a message the panel would reject: ${JSON.stringify(raw)}`);
    this.received.push(message);
    switch (message.type) {
      case 'ready':
        return this.send({
          type: 'init',
          profiles: this.summaries(),
          active: this.active,
          presets: [
            { id: 'gmail', label: 'Gmail', host: 'smtp.gmail.com', port: 587, security: 'starttls', note: 'Needs an app password.' },
            { id: 'sendgrid', label: 'SendGrid', host: 'smtp.sendgrid.net', port: 587, security: 'starttls', user: 'apikey', note: 'The user is apikey.' },
            // The real capture-inbox preset, as the panel sends it (without its documentation link).
            { ...LOCAL_INBOX_PRESET },
          ],
          select: null,
          oauthNotes: { microsoft: 'Microsoft needs an app registration of your own.' },
        });
      case 'signIn':
        this.signedIn.set(message.name, 'ann@contoso.example');
        await this.send({ type: 'profiles', profiles: this.summaries(), active: this.active });
        return this.send({ type: 'signInDone', name: message.name, ok: true, message: 'Signed in.' });
      case 'signOut':
        this.signedIn.delete(message.name);
        await this.send({ type: 'profiles', profiles: this.summaries(), active: this.active });
        return this.send({ type: 'signInDone', name: message.name, ok: true, message: 'Signed out.' });
      case 'validate': {
        const { issues } = validateDraft(message.draft, message.previousName, this.context());
        return this.send({ type: 'validation', seq: message.seq, issues });
      }
      case 'save': {
        const { profile, issues } = validateDraft(message.draft, message.previousName, this.context());
        assert.deepEqual(issues.filter((i) => i.severity === 'error'), [], 'the page only saves a valid draft');
        this.profiles = this.profiles.filter((p) => p.name !== (message.previousName ?? profile.name)).concat(profile);
        const password = message.password ?? (message.useImportedSecret ? this.importedPassword : undefined);
        if (password !== undefined) this.secrets.set(profile.name, password);
        await this.send({ type: 'profiles', profiles: this.summaries(), active: this.active });
        return this.send({ type: 'saved', name: profile.name, passwordStored: this.secrets.has(profile.name) });
      }
      case 'confirmDiscard':
        return this.send({ type: 'confirmed', requestId: message.requestId, ok: this.answerDiscard });
      case 'import': {
        const result = importProfile(message.text ?? '');
        if (!result.ok) return this.send({ type: 'importFailed', message: result.error });
        this.importedPassword = result.secret?.password;
        return this.send({ type: 'imported', draft: profileToDraft(result.profile), notes: result.notes, hasImportedSecret: !!result.secret });
      }
      case 'testConnection':
        await this.send({ type: 'doctorStep', runId: message.runId, step: { id: 'dns', status: 'pass', title: 'DNS', detail: '127.0.0.1' } });
        await this.send({
          type: 'doctorStep',
          runId: message.runId,
          step: { id: 'tcp', status: 'fail', title: 'TCP connect', detail: 'ECONNREFUSED', diagnosis: 'Nothing listens on that port.' },
        });
        return this.send({ type: 'doctorDone', runId: message.runId, ok: false, summary: 'Failed at TCP connect.' });
      default:
        return undefined;
    }
  }
}

describe('profile settings page in Chromium (host shim)', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let page: Page;
  let host: HostShim;
  let script: string;

  before(async () => {
    // Not a skip: `npm test` installs Chromium in its setup stage, so a missing one is a broken set-up.
    assert.ok(existsSync(CHROMIUM), `Chromium is not at ${CHROMIUM}: install it with node scripts/real-vscode/setup.mjs (npm test runs it first)`);
    const bundle = buildSync({ entryPoints: [join(repoRoot, 'src/webview/profiles/main.ts')], bundle: true, format: 'iife', target: 'es2022', write: false });
    script = bundle.outputFiles[0].text;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });

  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    page = await browser!.newPage();
    host = new HostShim(page);
    const html = renderPage({
      cspSource: ORIGIN,
      nonce: 'dGVzdG5vbmNlMTIzNDU2',
      scriptUri: `${ORIGIN}/profiles.js`,
      styleUri: `${ORIGIN}/profiles.css`,
      codiconsUri: `${ORIGIN}/codicon.css`,
    });
    const files: Record<string, [string, string | Buffer]> = {
      '/': ['text/html', html],
      '/profiles.js': ['text/javascript', script],
      '/profiles.css': ['text/css', readFileSync(join(repoRoot, 'media/profiles.css'))],
      '/codicon.css': ['text/css', readFileSync(join(repoRoot, 'node_modules/@vscode/codicons/dist/codicon.css'))],
      '/codicon.ttf': ['font/ttf', readFileSync(join(repoRoot, 'node_modules/@vscode/codicons/dist/codicon.ttf'))],
    };
    await page.route(`${ORIGIN}/**`, (route) => {
      const file = files[new URL(route.request().url()).pathname];
      return file ? route.fulfill({ contentType: file[0], body: file[1] }) : route.fulfill({ status: 404 });
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    (page as unknown as { errors: string[] }).errors = errors;
    await page.exposeFunction('__toHost', (m: unknown) => host.receive(m));
    // What VS Code injects into a webview: acquireVsCodeApi with postMessage and get/setState.
    await page.addInitScript(() => {
      const w = window as unknown as { __toHost(m: unknown): void; acquireVsCodeApi(): unknown };
      w.acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => w.__toHost(m),
        getState: () => JSON.parse(sessionStorage.getItem('state') ?? 'null'),
        setState: (s: unknown) => sessionStorage.setItem('state', JSON.stringify(s)),
      });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => (document.getElementById('f-name') as HTMLInputElement).value === 'Work');
  });

  afterEach(async () => {
    const errors = (page as unknown as { errors: string[] }).errors;
    await page.close();
    assert.deepEqual(errors, [], 'no script errors and no CSP violations');
  });

  const frame = (): Page | Frame => page;

  it('shows the stored profiles and opens the active one, with the password only as "stored"', async () => {
    const names = await frame().locator('.profile-item .profile-name').allInnerTexts();
    assert.deepEqual(names.map((n) => n.replace(/\s+active$/, '')), ['Local inbox', 'Work']);
    assert.equal(await frame().locator('#f-host').inputValue(), 'smtp.work.example');
    assert.equal(await frame().locator('#f-password').inputValue(), '');
    assert.match(await frame().locator('#f-password-status').innerText(), /password is stored in the secret store/);
    assert.ok(await frame().locator('#save').isDisabled(), 'nothing to save yet');
  });

  it('OAuth 2.0: choosing Microsoft shows its fields and note, hides the password, and Sign in waits for Save; then signs in and out', async () => {
    await frame().locator('#f-provider').selectOption('microsoft');
    await frame().locator('#oauth-note').filter({ hasText: 'app registration of your own' }).waitFor();
    assert.equal(await frame().locator('#f-auth').inputValue(), 'XOAUTH2', 'a token mechanism is chosen with the provider');
    assert.ok(await frame().locator('[data-field=password]').isHidden(), 'no password for an OAuth profile');
    assert.ok(await frame().locator('[data-field=tenant]').isVisible());
    assert.ok(await frame().locator('[data-field=tokenUrl]').isHidden(), 'the preset knows its endpoints');
    assert.equal(await frame().locator('#sign-in-label').innerText(), 'Sign in with Microsoft');
    assert.ok(await frame().locator('#sign-in-button').isDisabled());
    assert.match(await frame().locator('#sign-in-status').innerText(), /Save the profile first/);

    await frame().locator('#f-clientId').fill('11111111-2222-3333-4444-555555555555');
    await frame().locator('#f-user').fill('ann@contoso.example');
    await page.waitForFunction(() => !(document.getElementById('save') as HTMLButtonElement).disabled);
    await frame().locator('#save').click();
    await until(() => host.profiles.some((p) => p.name === 'Work' && p.oauth?.provider === 'microsoft'));
    const saved = host.profiles.find((p) => p.name === 'Work')!;
    assert.deepEqual(saved.oauth, { provider: 'microsoft', clientId: '11111111-2222-3333-4444-555555555555' });
    assert.equal(saved.auth, 'XOAUTH2');
    await frame().locator('#sign-in-status').filter({ hasText: 'Not signed in.' }).waitFor();

    await frame().locator('#sign-in-button').click();
    await frame().locator('#sign-in-status').filter({ hasText: 'Signed in as ann@contoso.example (Microsoft).' }).waitFor();
    assert.ok(host.received.some((m) => m.type === 'signIn' && m.name === 'Work'));
    await frame().locator('#sign-out-button').click();
    await frame().locator('#sign-in-status').filter({ hasText: 'Not signed in.' }).waitFor();
    assert.ok(await frame().locator('#sign-out-button').isHidden());
  });

  it('shows an inline error as the user types and keeps Save disabled until it is fixed', async () => {
    await frame().locator('#f-port').fill('58x');
    await frame().locator('[data-field=port] .message.error').waitFor();
    assert.match(await frame().locator('#f-port-msg').innerText(), /whole number/);
    assert.equal(await frame().locator('#f-port').getAttribute('aria-invalid'), 'true');
    assert.ok(await frame().locator('#save').isDisabled());
    await frame().locator('#f-port').fill('2587');
    await page.waitForFunction(() => !(document.getElementById('save') as HTMLButtonElement).disabled);
    assert.equal(await frame().locator('#f-port-msg').innerText(), '');
  });

  it("shows the core's validation of a default address inline, under the field", async () => {
    await frame().locator('#f-from').fill('Alice <alice@>');
    await frame().locator('[data-field=from] .message.error').waitFor();
    assert.match(await frame().locator('#f-from-msg').innerText(), /^Default From: /);
    assert.ok(await frame().locator('#save').isDisabled());
  });

  it('sends a typed password once on Save and never keeps it in the page state', async () => {
    await frame().locator('#f-password').fill('n3w-Secret!');
    await frame().locator('#f-user').fill('someone');
    await frame().locator('#save').click();
    await frame().locator('#banner', { hasText: 'Saved. The password is in the secret store.' }).waitFor();
    assert.equal(host.secrets.get('Work'), 'n3w-Secret!');
    assert.equal(host.profiles.find((p) => p.name === 'Work')?.user, 'someone');
    assert.equal(await frame().locator('#f-password').inputValue(), '');
    const state = await page.evaluate(() => sessionStorage.getItem('state'));
    assert.ok(state && !state.includes('n3w-Secret!'));
    const saves = host.received.filter((m) => m.type === 'save');
    assert.equal(saves.length, 1);
    assert.equal(host.received.filter((m) => JSON.stringify(m).includes('n3w-Secret!')).length, 1, 'the password crossed once');
  });

  it('fills host, port and security from a preset and shows its note', async () => {
    await frame().locator('#new-profile').click();
    await frame().locator('#preset').selectOption('gmail');
    assert.equal(await frame().locator('#f-host').inputValue(), 'smtp.gmail.com');
    assert.equal(await frame().locator('#f-port').inputValue(), '587');
    assert.equal(await frame().locator('#f-security').inputValue(), 'starttls');
    assert.equal(await frame().locator('#f-name').inputValue(), 'Gmail');
    assert.equal(await frame().locator('#preset-note').innerText(), 'Needs an app password.');
  });

  it('replaces what the previous preset filled in (the name "Gmail" too) when another preset is chosen', async () => {
    await frame().locator('#new-profile').click();
    await frame().locator('#preset').selectOption('sendgrid');
    assert.equal(await frame().locator('#f-user').inputValue(), 'apikey');
    await frame().locator('#preset').selectOption('gmail');
    assert.equal(await frame().locator('#f-name').inputValue(), 'Gmail');
    assert.equal(await frame().locator('#f-user').inputValue(), '', "SendGrid's fixed user is not Gmail's");
    await frame().locator('#preset').selectOption('local-inbox');
    assert.equal(await frame().locator('#f-name').inputValue(), 'Local capture inbox');
    assert.equal(await frame().locator('#f-host').inputValue(), '127.0.0.1');
    assert.equal(await frame().locator('#f-port').inputValue(), '2525');
    assert.equal(await frame().locator('#f-security').inputValue(), 'starttls', 'as the built-in inbox: STARTTLS required');
    assert.equal(await frame().locator('#preset-note').innerText(), LOCAL_INBOX_PRESET.note);
  });

  it("keeps a name and user the user typed when a preset is chosen", async () => {
    await frame().locator('#new-profile').click();
    await frame().locator('#f-name').fill('Newsletter');
    await frame().locator('#f-user').fill('me@example.com');
    await frame().locator('#preset').selectOption('gmail');
    await frame().locator('#preset').selectOption('local-inbox');
    assert.equal(await frame().locator('#f-name').inputValue(), 'Newsletter');
    assert.equal(await frame().locator('#f-user').inputValue(), 'me@example.com');
    assert.equal(await frame().locator('#f-host').inputValue(), '127.0.0.1');
  });

  it('shows the certificate settings only for connections with TLS', async () => {
    const certificate = frame().locator('[data-field=verifyCertificate]');
    const caFile = frame().locator('[data-field=caFile]');
    assert.ok(await certificate.isVisible(), 'Work uses STARTTLS');
    assert.ok(await caFile.isVisible());
    await frame().locator('#f-security').selectOption('none');
    await certificate.waitFor({ state: 'hidden' });
    assert.ok(await caFile.isHidden());
    assert.ok(await frame().locator('#f-verifyCertificate').isHidden());
    await frame().locator('#f-security').selectOption('tls');
    await certificate.waitFor({ state: 'visible' });
    assert.ok(await caFile.isVisible());
    // The built-in profile in plain text: no checkbox either.
    await frame().locator('.profile-item[data-name="Local inbox"]').click();
    await page.waitForFunction(() => (document.getElementById('f-name') as HTMLInputElement).value === 'Local inbox');
    assert.ok(await certificate.isHidden(), 'the plain-text inbox shows no certificate checkbox');
  });

  it('warns when certificate verification is turned off', async () => {
    await frame().locator('#f-verifyCertificate').uncheck();
    assert.match(await frame().locator('#f-verifyCertificate-msg').innerText(), /CA file/);
  });

  it('restores unsaved changes after the page is reloaded (panel hidden and shown)', async () => {
    await frame().locator('#f-host').fill('changed.example');
    await frame().locator('#f-password').fill('not-kept');
    await page.waitForFunction(() => (sessionStorage.getItem('state') ?? '').includes('changed.example'));
    await page.reload();
    await frame().locator('#banner', { hasText: 'Unsaved changes were restored.' }).waitFor();
    assert.equal(await frame().locator('#f-host').inputValue(), 'changed.example');
    assert.equal(await frame().locator('#f-password').inputValue(), '');
    assert.ok(await frame().locator('#save').isEnabled());
  });

  it('asks before discarding changes, and stays when the answer is no', async () => {
    await frame().locator('#f-host').fill('edited.example');
    host.answerDiscard = false;
    await frame().locator('.profile-item', { hasText: 'Local inbox' }).click();
    await until(() => host.received.some((m) => m.type === 'confirmDiscard'));
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100))); // let the answer land
    assert.equal(await frame().locator('#form-title').innerText(), 'Profile: Work');
    assert.equal(await frame().locator('#f-host').inputValue(), 'edited.example');
    host.answerDiscard = true;
    await frame().locator('.profile-item', { hasText: 'Local inbox' }).click();
    await page.waitForFunction(() => document.getElementById('form-title')?.textContent === 'Profile: Local inbox');
    assert.ok(await frame().locator('#f-host').isDisabled(), 'the built-in inbox is read-only');
    assert.ok(await frame().locator('#delete').isHidden());
  });

  it('imports a pasted curl command, shows the notes and stores the password only on Save', async () => {
    await frame().locator('#import').click();
    await frame().locator('#import-text').fill("curl --ssl-reqd smtp://mail.example.org:587 --user 'bob:pa55' --mail-from bob@example.org");
    await frame().locator('#import-go').click();
    await frame().locator('#banner', { hasText: 'Imported.' }).waitFor();
    assert.equal(await frame().locator('#f-host').inputValue(), 'mail.example.org');
    assert.equal(await frame().locator('#f-security').inputValue(), 'starttls');
    assert.equal(await frame().locator('#f-from').inputValue(), 'bob@example.org');
    assert.equal(await frame().locator('#f-password').inputValue(), '', 'the imported password never reaches the page');
    assert.match(await frame().locator('#f-password-status').innerText(), /from the import will be stored/);
    await frame().locator('#save').click();
    await frame().locator('#banner', { hasText: 'Saved.' }).waitFor();
    assert.equal(host.secrets.get('mail.example.org'), 'pa55');
  });

  it('shows an import error in the dialog', async () => {
    await frame().locator('#import').click();
    await frame().locator('#import-text').fill('{"type": "system:smtp", "smtp_port": "x"}');
    await frame().locator('#import-go').click();
    await frame().locator('#import-error', { hasText: 'smtp_port must be a number' }).waitFor();
  });

  it('shows each connection-test step with its icon and diagnosis', async () => {
    await frame().locator('#test').click();
    await frame().locator('#doctor-summary', { hasText: 'Failed at TCP connect.' }).waitFor();
    assert.equal(await frame().locator('#doctor li[data-step=dns]').getAttribute('data-status'), 'pass');
    assert.equal(await frame().locator('#doctor li[data-step=tcp] .codicon-error').count(), 1);
    assert.match(await frame().locator('#doctor li[data-step=tcp]').innerText(), /Nothing listens on that port\./);
  });
});

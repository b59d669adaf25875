// A person opens Mailsmith's profile settings in the real workbench and sets up an SMTP profile: picks a
// preset, fills the form, sees an inline error, saves, reopens and finds the values; the password is in
// SecretStorage (the stored one signs in) and not in any settings.json. Test connection passes every step
// against the local capture inbox and a real smtp-server with STARTTLS and AUTH, and fails at the right
// step with the right diagnosis for a wrong port and a wrong password. Screenshots in light and dark themes.
import { stopAfterFailedStep } from '../support/skip';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { startTestSmtpServer, type TestSmtpServer } from '../integration/support/smtpServer';
import { Workbench } from './support/workbench';

const PASSWORD = 'correct horse battery staple';
const PROFILE = 'UI relay';

/** A port on 127.0.0.1 where nothing listens: bound by the kernel, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('Profile settings webview (real workbench)', function () {
  this.timeout(180_000);
  // Each step builds on the one before (the saved profile, the stored password): stop at the first failure.
  stopAfterFailedStep(this);
  let wb: Workbench;
  let smtp: TestSmtpServer;
  let caFile: string;

  before(async () => {
    smtp = await startTestSmtpServer({ user: 'tester', password: PASSWORD });
    wb = await Workbench.open('profile-settings');
    caFile = join(wb.env.workspace, 'ui-relay-ca.pem');
    writeFileSync(caFile, smtp.certificatePem);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed ${this.currentTest.title}`).catch(() => undefined);
  });

  after(async () => {
    await wb?.close();
    await smtp?.close();
  });

  /** The page inside the webview: VS Code nests it in two iframes. */
  function page(): FrameLocator {
    return wb.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  }
  const field = (name: string): Locator => page().locator(`#f-${name}`);

  /** Presses `button` on VS Code's modal dialog and returns the dialog's text. */
  async function answerModal(button: string): Promise<string> {
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    const text = (await dialog.locator('.dialog-message-container').innerText()).trim();
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: button }).first().click();
    await dialog.waitFor({ state: 'hidden' });
    return text;
  }

  /** Brings the connection-test results into view for a screenshot. */
  async function showResults(): Promise<void> {
    await page().locator('#doctor li').last().scrollIntoViewIfNeeded();
  }

  async function openSettings(): Promise<void> {
    // Workbench.open waited for the extension host: the command is registered.
    await wb.runCommand('Mailsmith: Open Profile Settings');
    await page().locator('#profile-list .profile-item').first().waitFor({ timeout: 30_000 });
    await wb.dismissHovers();
  }

  async function chooseProfile(name: string): Promise<void> {
    await page().locator('.profile-item', { has: wb.page.locator('.profile-name', { hasText: name }) }).first().click();
    await page().locator('#form-title', { hasText: `Profile: ${name}` }).waitFor();
  }

  async function testConnection(): Promise<{ ok: boolean; steps: Record<string, { status: string; text: string }> }> {
    await page().locator('#test').click();
    await page().locator('#doctor-summary.ok, #doctor-summary.error').waitFor({ timeout: 60_000 });
    const ok = (await page().locator('#doctor-summary').getAttribute('class'))?.includes('ok') ?? false;
    const steps: Record<string, { status: string; text: string }> = {};
    for (const row of await page().locator('#doctor li').all()) {
      const id = (await row.getAttribute('data-step')) ?? '?';
      steps[id] = { status: (await row.getAttribute('data-status')) ?? '?', text: await row.innerText() };
    }
    return { ok, steps };
  }

  function assertAllPassed(result: { ok: boolean; steps: Record<string, { status: string; text: string }> }, what: string): void {
    const summary = JSON.stringify(result.steps, null, 1);
    assert.ok(result.ok, `${what}: the test failed:\n${summary}`);
    for (const id of ['dns', 'tcp', 'banner', 'ehlo', 'noop', 'quit']) assert.equal(result.steps[id]?.status, 'pass', `${what}: step ${id}\n${summary}`);
  }

  it('creates a profile from a preset, shows an inline error, saves, and finds the values again', async () => {
    await openSettings();
    await wb.screenshot('settings opened');
    await page().locator('#new-profile').click();
    await page().locator('#form-title', { hasText: 'New profile' }).waitFor();

    await page().locator('#preset').selectOption({ label: 'Gmail' });
    assert.equal(await field('host').inputValue(), 'smtp.gmail.com');
    assert.equal(await field('port').inputValue(), '587');
    assert.equal(await field('security').inputValue(), 'starttls');
    assert.match(await page().locator('#preset-note').innerText(), /app password/i);
    await wb.screenshot('preset gmail');

    await field('name').fill(PROFILE);
    await field('host').fill(smtp.host);
    await field('port').fill('58 7');
    await page().locator('[data-field=port] .message.error').waitFor();
    assert.match(await page().locator('#f-port-msg').innerText(), /whole number/);
    assert.ok(await page().locator('#save').isDisabled(), 'Save is disabled while an error remains');
    await wb.screenshot('inline error');

    await field('port').fill(String(smtp.port));
    await field('caFile').fill(caFile);
    await field('user').fill('tester');
    await field('password').fill(PASSWORD);
    await field('from').fill('UI Test <ui@example.test>');
    await field('maxPerHour').fill('120');
    await page().locator('[data-field=port] .message.error').waitFor({ state: 'detached' }).catch(() => undefined);
    await page().locator('#save:not([disabled])').waitFor();
    await page().locator('#save').click();
    await page().locator('#banner', { hasText: 'Saved. The password is in the secret store.' }).waitFor();
    assert.equal(await field('password').inputValue(), '', 'the password field is write-only');
    await wb.screenshot('saved');

    // Close the panel and open it again: the saved values come back from the settings.
    await wb.runCommand('View: Close Editor');
    await openSettings();
    await chooseProfile(PROFILE);
    assert.equal(await field('host').inputValue(), smtp.host);
    assert.equal(await field('port').inputValue(), String(smtp.port));
    assert.equal(await field('security').inputValue(), 'starttls');
    assert.equal(await field('user').inputValue(), 'tester');
    assert.equal(await field('from').inputValue(), 'UI Test <ui@example.test>');
    assert.equal(await field('maxPerHour').inputValue(), '120');
    assert.equal(await field('password').inputValue(), '');
    assert.match(await page().locator('#f-password-status').innerText(), /password is stored in the secret store/);
    await wb.screenshot('reopened');
  });

  it('keeps the password out of every settings.json', async () => {
    // As a person would check: open the user and the workspace settings.json in the editor (screenshots),
    // then read both files on disk, all of it (the editor draws only the lines in view, and earlier suites
    // leave profiles of their own, so the user file no longer fits on one screen).
    const shown: string[] = [];
    for (const command of ['Preferences: Open User Settings (JSON)', 'Preferences: Open Workspace Settings (JSON)']) {
      await wb.runCommand(command);
      // VS Code 1.139 may show it in a tab or in a modal editor: find it by its breadcrumb.
      await wb.page.locator('.monaco-breadcrumbs', { hasText: 'settings.json' }).last().waitFor();
      await wb.page.locator('.monaco-editor .view-lines', { hasText: '{' }).last().waitFor();
      await wb.screenshot(command);
      const crumbs = wb.page.locator('.monaco-breadcrumbs', { hasText: 'settings.json' });
      await wb.page.keyboard.press('Escape'); // closes the modal editor
      if (await crumbs.first().isVisible()) await wb.runCommand('View: Close Editor'); // or the tab
      await crumbs.first().waitFor({ state: 'hidden' });
    }
    shown.push(readFileSync(wb.env.userSettings, 'utf8'));
    // And the workspace file on disk, all of it.
    const onDisk = join(wb.env.workspace, '.vscode', 'settings.json');
    if (existsSync(onDisk)) shown.push(readFileSync(onDisk, 'utf8'));
    assert.ok(shown.some((t) => t.includes(PROFILE) && t.includes(String(smtp.port))), `the profile is saved in settings:\n${shown.join('\n---\n')}`);
    for (const text of shown) {
      assert.ok(!text.includes(PASSWORD), 'no password in settings');
      assert.ok(!text.includes(Buffer.from(PASSWORD).toString('base64')), 'not even base64-encoded');
    }
    await page().locator('#form-title', { hasText: `Profile: ${PROFILE}` }).waitFor();
  });

  it('tests the connection with the stored password: STARTTLS and AUTH, every step passes', async () => {
    const result = await testConnection();
    await showResults();
    await wb.screenshot('test connection passed');
    assertAllPassed(result, 'smtp-server');
    assert.equal(result.steps.tls?.status, 'pass', JSON.stringify(result.steps.tls));
    // The password came from SecretStorage (nothing was typed): AUTH passing proves it is stored.
    assert.equal(result.steps.auth?.status, 'pass', JSON.stringify(result.steps.auth));
  });

  it('fails at TCP for a wrong port, with a diagnosis', async () => {
    await field('port').fill(String(await closedPort()));
    const result = await testConnection();
    await showResults();
    await wb.screenshot('wrong port');
    assert.ok(!result.ok);
    assert.equal(result.steps.dns?.status, 'pass');
    assert.equal(result.steps.tcp?.status, 'fail', JSON.stringify(result.steps));
    assert.match(result.steps.tcp.text, /ECONNREFUSED/);
    assert.match(result.steps.tcp.text, /Nothing listens on port \d+ at 127\.0\.0\.1: the server is down, or the port is wrong/);
    assert.equal(result.steps.banner?.status, 'skip');
  });

  it('fails at AUTH for a wrong password, with a diagnosis', async () => {
    await field('port').fill(String(smtp.port));
    await field('password').fill('not the password');
    const result = await testConnection();
    await showResults();
    await wb.screenshot('wrong password');
    assert.ok(!result.ok);
    assert.equal(result.steps.tls?.status, 'pass');
    assert.equal(result.steps.auth?.status, 'fail', JSON.stringify(result.steps));
    assert.match(result.steps.auth.text, /535/);
    assert.ok(!result.steps.auth.text.includes('not the password'), 'the typed password is not echoed');
  });

  it('tests the built-in local capture inbox: every step passes', async () => {
    // The typed wrong password is an unsaved change: Revert asks first.
    await page().locator('#revert').click();
    assert.match(await answerModal('Discard'), /Discard the unsaved changes to this profile\?/);
    // The page re-renders the reverted draft after the host answers: wait for it, as a person would.
    const deadline = Date.now() + 10_000;
    while ((await field('password').inputValue()) !== '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await field('password').inputValue(), '');
    const inbox = await page().locator('.profile-item .profile-name').first().innerText();
    await chooseProfile(inbox.replace(/\s*active$/, '').trim());
    const result = await testConnection();
    await showResults();
    await wb.screenshot('local inbox test');
    assertAllPassed(result, 'local capture inbox');
  });

  it('looks native in a light, a dark and a high-contrast theme', async () => {
    await chooseProfile(PROFILE);
    // Each theme's kind, as the workbench's class and the webview body's class name it.
    const themes = [
      { theme: 'Light Modern', workbench: 'vs', webview: 'vscode-light' },
      { theme: 'Dark Modern', workbench: 'vs-dark', webview: 'vscode-dark' },
      { theme: 'Dark High Contrast', workbench: 'hc-black', webview: 'vscode-high-contrast' },
    ];
    for (const { theme, workbench, webview } of themes) {
      await wb.runCommand('Preferences: Color Theme');
      // Type the name: the list is long and only its visible rows are drawn.
      await wb.page.locator('.quick-input-widget input').fill(theme);
      await wb.pickQuickPickItem(theme, { exact: true });
      // The screenshot once both the workbench and the page inside the webview have taken the theme.
      await wb.page.locator(`.monaco-workbench.${workbench}`).waitFor();
      await page().locator(`body.${webview}`).waitFor();
      await wb.screenshot(`theme ${theme}`);
    }
  });
});

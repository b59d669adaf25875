// The first hour with Mailsmith, as a person goes through it in the real workbench, with screenshots:
// adding a profile in one multi-step input (and going Back), a refused password leading straight to Set
// Password, the Sent History view with Send Again (through the confirmation), and a captured message opening
// in the Preview as received, its source one click away and read-only.
import { stopAfterFailedStep } from '../support/skip';
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { startTestSmtpServer, type TestSmtpServer } from '../integration/support/smtpServer';
import { uiEnvironment, updateUserSettings, useWorkbench } from './support/workbench';

const PASSWORD = 'right-password-for-ui';
const RELAY = 'First hour relay';
const SAMPLE = 'plain-text.eml';

describe('The first hour (real workbench)', function () {
  this.timeout(180_000);
  stopAfterFailedStep(this);
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startTestSmtpServer({ user: 'tester', password: PASSWORD });
    const caFile = join(uiEnvironment().workspace, 'first-hour-ca.pem');
    writeFileSync(caFile, smtp.certificatePem);
    updateUserSettings({ 'mailsmith.profiles': [{ name: RELAY, host: smtp.host, port: smtp.port, security: 'starttls', caFile, user: 'tester' }] });
  });
  const workbench = useWorkbench('first-hour');
  after(async () => {
    await smtp?.close();
  });

  const input = () => workbench().page.locator('.quick-input-widget input');
  /** Waits until the multi-step input shows step `n` of `total`, and returns the input's value there. */
  async function atStep(n: number, total = 8): Promise<string> {
    await workbench().page.locator('.quick-input-widget .quick-input-title', { hasText: new RegExp(`\\b${n}\\s*/\\s*${total}\\b`) }).waitFor();
    return input().inputValue();
  }
  async function typeAndEnter(text: string): Promise<void> {
    await input().waitFor({ state: 'visible' });
    await input().fill(text);
    await workbench().page.keyboard.press('Enter');
  }

  it('adds a profile in one multi-step input with a step counter, and Back keeps what was typed', async () => {
    const wb = workbench();
    await wb.runCommand('Mailsmith: Add SMTP Profile');
    await wb.pickQuickPickItem('Gmail');
    assert.equal(await atStep(2), 'Gmail', 'the preset names the profile (step 2 of 8)');
    await wb.screenshot('wizard name step');
    // Back to the provider: choose another, and the name follows the new preset.
    await wb.page.locator('.quick-input-widget .codicon-quick-input-back').first().click();
    await atStep(1);
    await wb.screenshot('wizard back at the provider');
    await input().fill('SendGrid');
    await wb.pickQuickPickItem('SendGrid');
    assert.equal(await atStep(2), 'SendGrid', 'a new preset replaces the name the first one filled in');
    await typeAndEnter('My SendGrid');
    assert.equal(await atStep(3), 'smtp.sendgrid.net');
    await wb.page.keyboard.press('Enter');
    await atStep(4);
    await wb.pickQuickPickItem('STARTTLS required');
    assert.equal(await atStep(5), '587');
    await wb.page.keyboard.press('Enter');
    assert.equal(await atStep(6), 'apikey', 'the preset fixes the user');
    await wb.page.keyboard.press('Enter');
    await atStep(7);
    await typeAndEnter('not-a-real-key');
    await atStep(8);
    await typeAndEnter('Ann <ann@example.com>');
    await atStep(8);
    await wb.screenshot('wizard summary');
    await wb.pickQuickPickItem('Save', { exact: true });
    await wb.waitForNotification(/Saved the profile "My SendGrid"/);
    const settings = readFileSync(uiEnvironment().userSettings, 'utf8');
    assert.match(settings, /"name": "My SendGrid"/);
    assert.ok(!settings.includes('not-a-real-key'), 'the password is not in settings.json');
    await wb.screenshot('profile saved');
  });

  it('after a refused password, the notification leads to Set Password, and the next send goes through', async () => {
    const wb = workbench();
    await wb.runCommand('Mailsmith: Set Profile Password');
    await wb.pickQuickPickItem(RELAY);
    await typeAndEnter('a-wrong-password');
    await wb.runCommand('Mailsmith: Choose SMTP Profile');
    await wb.pickQuickPickItem(RELAY);
    await wb.openFile(SAMPLE);
    await wb.runCommand('Mailsmith: Send Email');
    await wb.answerDialog(/^\s*Send/);
    const toast = await wb.waitForNotification(/authentication failed/i, 60_000);
    await wb.screenshot('wrong password');
    assert.match(await toast.innerText(), /Set Password/);
    assert.match(await toast.innerText(), /Test Connection/);
    await wb.clickNotificationButton(toast, 'Set Password');
    await typeAndEnter(PASSWORD);
    await wb.runCommand('Mailsmith: Send Email');
    await wb.answerDialog(/^\s*Send/);
    await wb.waitForNotification(/^Sent to bob@example\.org/, 60_000);
    const received = await smtp.waitForMessage(1);
    assert.equal(received.user, 'tester');
    await wb.screenshot('sent after setting the password');
  });

  it('lists the send in the Sent History view, and Send Again goes through the confirmation', async () => {
    const wb = workbench();
    await wb.runCommand('Mailsmith: Show Sent History');
    const view = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: /Sent History/i }) });
    const row = view.locator('.monaco-list-row', { hasText: 'Lunch on Thursday?' }).filter({ hasText: /^(?!.*not sent)/ }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /sent · bob@example\.org/);
    await wb.screenshot('sent history');
    await row.click({ button: 'right' });
    await wb.chooseContextMenuItem('Send Again');
    const question = await wb.answerDialog(/^\s*Send/);
    assert.match(question, /Send to bob@example\.org/);
    await wb.waitForNotification(/^Sent to bob@example\.org/, 60_000);
    await smtp.waitForMessage(2);
    await wb.screenshot('sent again from the history');
  });

  it('opens a captured message in the Preview as received, with its source read-only one click away', async () => {
    const wb = workbench();
    await wb.runCommand('Mailsmith: Choose SMTP Profile');
    await wb.pickQuickPickItem('Local capture inbox');
    await wb.openFile(SAMPLE);
    await wb.runCommand('Mailsmith: Send Email');
    await wb.answerDialog(/^\s*Send/);
    await wb.waitForNotification(/^Sent to bob@example\.org/, 60_000);
    await wb.runCommand('Mailsmith: Show Captured Messages');
    await wb.pickQuickPickItem('Lunch on Thursday?');
    const preview: FrameLocator = wb.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await preview.locator('body[data-state="shown"]').waitFor({ timeout: 60_000 });
    assert.equal(await preview.locator('#h-subject').innerText(), 'Lunch on Thursday?');
    await wb.screenshot('captured message in the preview');
    await preview.locator('#open-source').click();
    // The source opens beside the Preview, in the group that now has the focus: its own tab, not the draft's
    // (which shares the group; waiting for any .eml tab let the typing below land in the draft).
    await wb.page.locator(`.editor-group-container.active .tab.active[data-resource-name$=".eml"]:not([data-resource-name="${SAMPLE}"])`).waitFor();
    // A read-only editor: typing changes nothing.
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.type('XYZ');
    const text = await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
    assert.ok(!text.includes('XYZ'), 'the received message cannot be edited');
    // By now the editor has had its CodeLens round (the read-only notice came back): no Send over a received message.
    await wb.page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/ }).waitFor();
    assert.equal(await wb.page.locator('.editor-group-container.active .codelens-decoration', { hasText: 'Send with' }).count(), 0, 'no Send lens on a received message');
    await wb.screenshot('captured source read-only');
  });
});

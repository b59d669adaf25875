// A person sends an .eml from the real workbench: picks a profile from the status bar, runs "Send Email"
// from the command palette and from the editor's context menu, confirms, and sees the outcome
// notification; a real smtp-server on 127.0.0.1 (STARTTLS) receives each message. Screenshots of each step.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestSmtpServer, type TestSmtpServer } from '../integration/support/smtpServer';
import { uiEnvironment, updateUserSettings, useWorkbench } from './support/workbench';

const EXTENSION_ID = 'mailsmith.mailsmith';
const RELAY = 'UI test relay';
const SAMPLE = 'plain-text.eml';

describe('Send Email (real workbench)', function () {
  this.timeout(120_000);
  let smtp: TestSmtpServer;
  let sampleBefore: Buffer;

  // Registered before useWorkbench's hook, so the workbench opens with the relay profile configured.
  before(async () => {
    smtp = await startTestSmtpServer({ requireAuth: false });
    const workspace = uiEnvironment().workspace;
    const caFile = join(workspace, 'ui-test-relay-ca.pem');
    writeFileSync(caFile, smtp.certificatePem);
    // Profiles are an application-scoped setting: user settings, not the workspace's.
    updateUserSettings({ 'mailsmith.profiles': [{ name: RELAY, host: smtp.host, port: smtp.port, security: 'starttls', caFile }] });
    sampleBefore = readFileSync(join(workspace, SAMPLE));
  });
  const workbench = useWorkbench('send');
  after(async () => {
    await smtp?.close();
  });

  it('picks the relay profile from the status bar', async () => {
    const wb = workbench();
    await wb.openFile(SAMPLE);
    const item = wb.extensionStatusBarItems(EXTENSION_ID).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('status bar before picking');
    await item.click();
    const labels = await wb.quickPickLabels();
    assert.ok(labels.some((l) => l.includes(RELAY)), `the picker lists ${RELAY}: ${labels.join(' | ')}`);
    await wb.screenshot('profile picker');
    await wb.pickQuickPickItem(RELAY);
    await wb.extensionStatusBarItems(EXTENSION_ID).filter({ hasText: RELAY }).first().waitFor();
    await wb.screenshot('status bar after picking');
  });

  it('sends from the command palette and tells the outcome', async () => {
    const wb = workbench();
    await wb.runCommand('Mailsmith: Send Email');
    await confirmIfAsked();
    const toast = await wb.waitForNotification(/sent/i, 60_000);
    await wb.screenshot('sent from the command palette');
    const message = await smtp.waitForMessage(1);
    assert.equal(message.mailFrom, 'alice@example.com');
    assert.deepEqual(message.rcptTo, ['bob@example.org']);
    assert.equal(message.secure, true, 'STARTTLS was used');
    assert.match(message.raw.toString('utf8'), /^Subject: Lunch on Thursday\?\r$/m);
    assert.match(await toast.innerText(), /bob@example\.org|1 recipient|Bob/i);
  });

  it('sends from the editor context menu, leaving the file unchanged', async () => {
    const wb = workbench();
    await wb.editorContextMenu('Send Email');
    await confirmIfAsked();
    await wb.waitForNotification(/sent/i, 60_000);
    await wb.screenshot('sent from the editor context menu');
    const message = await smtp.waitForMessage(2);
    assert.deepEqual(message.rcptTo, ['bob@example.org']);
    assert.deepEqual(readFileSync(join(uiEnvironment().workspace, SAMPLE)), sampleBefore, 'sending does not modify the file');
  });

  /** Sending asks to confirm the recipients (unless a setting skips it): answer as a person would. */
  async function confirmIfAsked(): Promise<void> {
    const wb = workbench();
    const dialog = wb.page.locator('.monaco-dialog-box');
    if (await dialog.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) {
      await wb.screenshot('confirm recipients');
      await wb.answerDialog(/^\s*Send/);
    }
  }
});

// A person runs a 3-row mail merge in the real workbench, with screenshots of each step: the action picker,
// a row's preview (its envelope and exact bytes, beside the template), the modal confirmation naming the
// count, the first recipients and the profile, the progress notification with its counts and Cancel
// (pressed while row 2 is in flight at a real smtp-server on 127.0.0.1 that holds it: row 2 still arrives,
// row 3 does not), the summary with Open Report, and a second run that sends only row 3.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestSmtpServer, type TestSmtpServer } from '../integration/support/smtpServer';
import { stopAfterFailedStep } from '../support/skip';
import { uiEnvironment, updateUserSettings, useWorkbench } from './support/workbench';

const EXTENSION_ID = 'mailsmith.mailsmith';
const RELAY = 'Merge UI relay';
const TEMPLATE = 'merge-ui/invite.eml';
const HELD = 'bob@example.org';

describe('Mail Merge (real workbench)', function () {
  // Each step is a few clicks, but on a loaded 2-core machine the workbench has taken minutes for them.
  this.timeout(360_000);
  stopAfterFailedStep(this);
  let smtp: TestSmtpServer;
  let folder: string;
  // Row 2's RCPT TO waits for the test: the merge is then visibly in flight, and Cancel lands during a send.
  let holding = true;
  let release: (() => void) | undefined;
  let heldArrived: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (heldArrived = resolve));

  before(async () => {
    smtp = await startTestSmtpServer({
      requireAuth: false,
      server: {
        onRcptTo(address, _session, callback) {
          if (address.address !== HELD || !holding) return callback();
          holding = false;
          release = () => {
            release = undefined;
            callback();
          };
          heldArrived();
        },
      },
    });
    const workspace = uiEnvironment().workspace;
    folder = join(workspace, 'merge-ui');
    mkdirSync(folder, { recursive: true });
    const caFile = join(folder, 'relay-ca.pem');
    writeFileSync(caFile, smtp.certificatePem);
    writeFileSync(
      join(workspace, TEMPLATE),
      ['From: Events <events@example.com>', 'To: ${name} <${email}>', 'Subject: Your invitation, ${name}', 'Merge-Data: guests.csv', '', 'Dear ${name}, see you on ${day}.', ''].join('\r\n'),
    );
    writeFileSync(join(folder, 'guests.csv'), 'name,email,day\r\nAnn Lee,ann@example.org,Monday\r\n"Lee, Bob",bob@example.org,Tuesday\r\nCy,cy@example.org,Friday\r\n');
    // Row 2 is held while the test takes screenshots on a loaded machine: the profile waits as for a slow server.
    const timeouts = { socketMs: 600_000, commandDeadlineMs: 600_000 };
    updateUserSettings({ 'mailsmith.profiles': [{ name: RELAY, host: smtp.host, port: smtp.port, security: 'starttls', caFile, timeouts }] });
  });
  const workbench = useWorkbench('mail-merge');
  after(async () => {
    release?.();
    await smtp?.close();
  });

  it('opens the template with the relay profile chosen', async () => {
    const wb = workbench();
    await wb.openFile('invite.eml');
    const item = wb.extensionStatusBarItems(EXTENSION_ID).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await item.click();
    await wb.pickQuickPickItem(RELAY);
    await wb.extensionStatusBarItems(EXTENSION_ID).filter({ hasText: RELAY }).first().waitFor();
    await wb.screenshot('template with the relay profile');
  });

  it('offers preview, send to myself and send after checking every row, and previews row 2 beside the template', async () => {
    const wb = workbench();
    await wb.runCommand('Mailsmith: Mail Merge...');
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: '3 rows checked, 3 not yet sent' }).waitFor({ timeout: 60_000 });
    const labels = await wb.quickPickLabels();
    for (const expected of ['Preview row 1', 'Preview another row...', 'Send row 1 to myself first', 'Send the first row only', 'Send all 3 rows not yet sent']) {
      assert.ok(labels.some((l) => l.includes(expected)), `the picker offers "${expected}": ${labels.join(' | ')}`);
    }
    await wb.screenshot('merge actions');
    await wb.pickQuickPickItem('Preview another row...');
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('2');
    await wb.page.keyboard.press('Enter');
    const preview = wb.page.locator('.editor-instance', { has: wb.page.locator('.view-line', { hasText: 'RCPT TO:<bob@example.org>' }) });
    await preview.first().waitFor({ timeout: 30_000 });
    const text = (await preview.first().locator('.view-lines').innerText()).replace(/\u00a0/g, ' '); // the editor draws spaces as NBSP
    assert.match(text, /Row 2, as it would leave with "Merge UI relay" \(nothing was sent\):/);
    assert.match(text, /To: "Lee, Bob" <bob@example\.org>/);
    assert.match(text, /Dear Lee, Bob, see you on Tuesday\./);
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'invite.eml' }).first().waitFor();
    await wb.screenshot('row 2 previewed beside the template');
    assert.equal(smtp.received.length, 0, 'a preview sends nothing');
  });

  it('asks with the count, the first recipients and the profile, then shows progress; Cancel stops after the message in flight', async () => {
    const wb = workbench();
    await wb.runCommand('Mailsmith: Mail Merge...');
    await wb.pickQuickPickItem('Send all 3 rows not yet sent');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const detail = (await dialog.locator('.dialog-message-detail').innerText()).replace(/\u00a0/g, ' ');
    assert.match(detail, /To ann@example\.org; bob@example\.org; cy@example\.org/);
    assert.match(detail, /3 rows in .*guests\.csv; 3 not yet sent\./);
    assert.match(detail, /Profile "Merge UI relay" \(127\.0\.0\.1:\d+, starttls\)\./);
    await wb.screenshot('confirmation');
    const headline = await wb.answerDialog(/^\s*Send\s*$/);
    assert.equal(headline, 'Send 3 messages of this mail merge with "Merge UI relay"?');

    await held; // row 1 arrived, row 2 is in flight
    const progress = await wb.waitForNotification(/1 of 3, 1 sent/, 30_000);
    assert.match(await progress.innerText(), /Mail merge with "Merge UI relay"/);
    await wb.screenshot('progress with row 2 in flight');
    await wb.clickNotificationButton(progress, 'Cancel');
    // The extension host took the Cancel. (Not waitForNotification: it waits for the toast's animations to
    // end, and a progress toast without steps animates for as long as it is shown.)
    await wb.page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Mail merge: stopping after the message in flight' }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('stopping after the message in flight');
    release?.();

    const summary = await wb.waitForNotification(/Mail merge: 2 sent\. 1 row still to send/, 60_000);
    await wb.screenshot('summary after cancel');
    assert.deepEqual(
      smtp.received.map((m) => m.rcptTo.join()),
      ['ann@example.org', 'bob@example.org'],
      'the message in flight finished; no other started',
    );
    await wb.clickNotificationButton(summary, 'Open Report');
    const reportTab = 'guests.csv.invite.eml.merge.report.csv';
    await wb.page.locator('.tabs-container .tab.active', { hasText: reportTab }).waitFor({ timeout: 30_000 });
    await wb.screenshot('report opened');
    const report = readFileSync(join(folder, reportTab), 'utf8').trim().split(/\r?\n/);
    assert.equal(report[0], 'row,recipients,status,reply,message_id,time,note');
    assert.deepEqual(
      report.slice(1).map((l) => l.split(',').slice(0, 3).join(',')),
      ['1,ann@example.org,sent', '2,bob@example.org,sent'],
      'the report lists the rows this run decided',
    );
  });

  it('sends only the row left when run again', async () => {
    const wb = workbench();
    // Back to the template's tab (the report is in front of it; the row's preview also names invite.eml).
    const tab = wb.page.locator('.tabs-container .tab[data-resource-name="invite.eml"]');
    await tab.click();
    await wb.page.locator('.tabs-container .tab.active[data-resource-name="invite.eml"]').waitFor();
    await wb.runCommand('Mailsmith: Mail Merge...');
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: '3 rows checked, 1 not yet sent' }).waitFor({ timeout: 60_000 });
    await wb.pickQuickPickItem('Send the row not yet sent');
    const headline = await wb.answerDialog(/^\s*Send\s*$/);
    assert.equal(headline, 'Send 1 message of this mail merge with "Merge UI relay"?');
    await wb.waitForNotification(/Mail merge: 1 sent, 2 sent before\./, 60_000);
    await wb.screenshot('second run sends row 3 only');
    await smtp.waitForMessage(3);
    assert.deepEqual(
      smtp.received.map((m) => m.rcptTo.join()),
      ['ann@example.org', 'bob@example.org', 'cy@example.org'],
      'every row exactly once',
    );
  });
});

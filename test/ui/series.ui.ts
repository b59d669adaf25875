// A person sends a patch series from the real workbench: opens a patch of a format-patch folder, runs "Send
// Patch Series", reads the review (a row per message, the Cc a Reviewed-by added, marked with its origin, the
// long line's warning), sets To, skips a message, sends to themself first, then sends all; a real smtp-server
// on 127.0.0.1 (STARTTLS) receives each message, threaded under the cover letter. Screenshots of each step.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { startTestSmtpServer, type TestSmtpServer } from '../integration/support/smtpServer';
import { stopAfterFailedStep } from '../support/skip';
import { formatSeries, scratchRepo, SENDER } from '../unit/series/scratchRepo';
import { uiEnvironment, updateUserSettings, useWorkbench } from './support/workbench';
import { writeFileSync } from 'node:fs';

const EXTENSION_ID = 'mailsmith.mailsmith';
const RELAY = 'Series relay';

const header = (raw: Buffer, name: string): string | undefined =>
  new RegExp(`^${name}: *(.*)$`, 'im').exec(raw.toString('utf8').split(/\r\n\r\n/)[0].replace(/\r\n[ \t]+/g, ' '))?.[1].trim();

describe('Send Patch Series (real workbench)', function () {
  this.timeout(180_000);
  stopAfterFailedStep(this);
  let smtp: TestSmtpServer;

  before(async () => {
    smtp = await startTestSmtpServer({ requireAuth: false });
    const workspace = uiEnvironment().workspace;
    const repo = scratchRepo(join(workspace, 'series-demo'));
    formatSeries(repo);
    const caFile = join(workspace, 'series-relay-ca.pem');
    writeFileSync(caFile, smtp.certificatePem);
    updateUserSettings({ 'mailsmith.profiles': [{ name: RELAY, host: smtp.host, port: smtp.port, security: 'starttls', caFile, defaults: { from: SENDER } }] });
  });
  const workbench = useWorkbench('series');
  after(async () => {
    await smtp?.close();
  });

  /** The review page inside the webview (VS Code nests it in two iframes). */
  const page = (): FrameLocator => workbench().page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  const row = (n: number) => page().locator(`tr.row[data-index="${n}"]`);

  it('opens the review of the series from a patch in the editor: a row per message, added Cc marked with where it came from', async () => {
    const wb = workbench();
    // An email activates Mailsmith (and its status bar item, where the profile is chosen).
    await wb.openFile('plain-text.eml');
    const item = wb.extensionStatusBarItems(EXTENSION_ID).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await item.click();
    await wb.pickQuickPickItem(RELAY);
    await wb.extensionStatusBarItems(EXTENSION_ID).filter({ hasText: RELAY }).first().waitFor();
    await wb.openFile('0001-Add-notes.patch');
    await wb.runCommand('Mailsmith: Send Patch Series');
    await row(3).waitFor({ timeout: 60_000 });
    assert.equal(await page().locator('tr.row').count(), 4);
    assert.match(await page().locator('#title').innerText(), /Notes for the scratch project/);
    assert.match(await row(1).locator('.recipient.added', { hasText: 'Rita Reviewer' }).locator('.origin').innerText(), /Reviewed-by/);
    assert.match(await row(2).locator('.problems').innerText(), /quoted-printable/);
    assert.ok(await page().locator('#send-all').isEnabled(), 'the series is sendable');
    await wb.screenshot('review of the series');
  });

  it('sets To as on the command line, skips a message and sends to the sender only first', async () => {
    const wb = workbench();
    await page().locator('#opt-to').fill('List <list@example.org>');
    await page().locator('#apply').click();
    await row(0).locator('.recipient', { hasText: 'list@example.org' }).first().waitFor();
    await row(3).locator('button.skip').click();
    await page().locator('tr.row.skipped[data-index="3"]').waitFor();
    await wb.screenshot('To set, the last message skipped');
    await page().locator('#send-self').click();
    await page().locator('#banner', { hasText: 'to you only' }).waitFor({ timeout: 60_000 });
    await smtp.waitForMessage(3);
    assert.equal(smtp.received.length, 3, 'the skipped message did not go');
    for (const m of smtp.received) assert.deepEqual(m.rcptTo, ['sam@example.com'], 'a test send goes to the sender only');
    await wb.screenshot('sent to myself first');
  });

  it('sends all in one thread and shows each outcome; Edit opens the message\u2019s file', async () => {
    const wb = workbench();
    await row(3).locator('button.skip', { hasText: 'Include' }).click();
    await page().locator('tr.row.skipped').waitFor({ state: 'detached' });
    await page().locator('#send-all').click();
    await page().locator('#banner', { hasText: 'Sent 4 of 4' }).waitFor({ timeout: 60_000 });
    const real = (await Promise.all([4, 5, 6, 7].map((n) => smtp.waitForMessage(n)))).map((m) => m.raw);
    const coverId = header(real[0], 'Message-ID');
    assert.match(header(real[0], 'Subject') ?? '', /\[PATCH 0\/3\]/);
    for (const raw of real.slice(1)) assert.equal(header(raw, 'In-Reply-To'), coverId);
    assert.ok(smtp.received.slice(3).every((m) => m.rcptTo.includes('list@example.org')));
    for (let i = 0; i < 4; i++) assert.equal((await row(i).locator('.status').innerText()).trim(), 'sent');
    assert.ok(await page().locator('#send-all').isDisabled(), 'a series that went cannot be sent twice from the review');
    await wb.screenshot('sent all');
    await row(0).locator('button.edit').click();
    await wb.page.locator('.tabs-container .tab', { hasText: '0000-cover-letter.patch' }).waitFor();
    await wb.screenshot('editing the cover letter');
  });
});

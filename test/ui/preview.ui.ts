// A person writes a Markdown message with an image and an attachment, opens "Mailsmith: Preview Message"
// and sees it as a recipient would: headers, the rendered HTML (remote images blocked until allowed; the
// remote one is served by a local tracker, so nothing leaves 127.0.0.1), the attachment list; the preview
// follows their typing. Then hostile HTML against the same tracker (support/hostilePreview.ts). Screenshots
// of each step.
import { stopAfterFailedStep } from '../support/skip';
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { startTracker, type Tracker } from '../support/tracker';
import { describeHostilePreview } from './support/hostilePreview';
import { useWorkbench } from './support/workbench';

const FILE = 'preview-news.eml';
const LOGO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const message = (tracker: string) => [
  'From: Ann Example <ann@example.com>',
  'To: Bob <bob@example.org>',
  'Subject: Launch notes',
  'Content-Type: text/markdown; charset=utf-8',
  'Attach: preview-figures.csv',
  '',
  '# Launch notes',
  '',
  'Hello **Bob**, the launch is *on*.',
  '',
  `![logo](preview-logo.png) and a remote chart: ![chart](${tracker}/chart.png)`,
  '',
  '- first',
  '- second',
  '',
].join('\n');

describe('Preview Message webview (real workbench)', function () {
  this.timeout(180_000);
  stopAfterFailedStep(this);
  const workbench = useWorkbench('preview');
  let tracker: Tracker;
  before(async () => {
    tracker = await startTracker();
  });
  after(async () => {
    await tracker?.close();
  });

  /** The preview page inside the webview (VS Code nests it in two iframes). */
  function page(): FrameLocator {
    return workbench().page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  }

  it('shows the headers, the HTML part with remote images blocked, and the attachments', async () => {
    const wb = workbench();
    writeFileSync(join(wb.env.workspace, FILE), message(tracker.origin));
    writeFileSync(join(wb.env.workspace, 'preview-logo.png'), LOGO);
    writeFileSync(join(wb.env.workspace, 'preview-figures.csv'), 'a,b\n1,2\n');
    await wb.openFile(FILE);
    await wb.runCommand('Mailsmith: Preview Message');

    await page().locator('body[data-state="shown"]').waitFor({ timeout: 60_000 });
    assert.equal(await page().locator('#h-subject').innerText(), 'Launch notes');
    assert.equal(await page().locator('#h-from').innerText(), 'Ann Example <ann@example.com>');
    assert.equal(await page().locator('#h-to').innerText(), 'Bob <bob@example.org>');
    const body = page().frameLocator('#html-body');
    assert.equal(await body.locator('h1').innerText(), 'Launch notes');
    assert.equal(await body.locator('strong').innerText(), 'Bob');
    // The inline image comes from its MIME part; the remote one is blocked by the frame's CSP.
    assert.equal(await body.locator('img[alt="logo"]').evaluate((img: HTMLImageElement) => img.src.startsWith('data:image/png;base64,') && img.naturalWidth === 1), true);
    assert.equal(await page().locator('#remote-note').innerText(), '1 remote image blocked');
    await page().locator('#load-remote').waitFor({ state: 'visible' });
    const attachments = await page().locator('#attachments li').allInnerTexts();
    const where = (name: string) => `from ${join(wb.env.workspace, name)}`;
    assert.deepEqual(attachments.map((t) => t.replace(/\s+/g, ' ').trim()), [
      `preview-logo.png image/png · 70 B · inline ${where('preview-logo.png')}`,
      `preview-figures.csv text/csv · 8 B ${where('preview-figures.csv')}`,
    ]);
    await wb.screenshot('preview of a markdown message');

    await page().locator('#tab-text').click();
    await page().locator('#text-body').waitFor({ state: 'visible' });
    assert.match(await page().locator('#text-body').innerText(), /^# Launch notes/);
    await wb.screenshot('text part');
    await page().locator('#tab-html').click();

    assert.deepEqual(tracker.requests, [], 'the remote image was not loaded');
    await page().locator('#load-remote').click();
    await page().locator('#remote-note').waitFor({ state: 'hidden' });
    await tracker.waitFor((requests) => requests.includes('/chart.png'), 'the chart');
    const chart = page().frameLocator('#html-body').locator('img[alt="chart"]');
    for (const deadline = Date.now() + 10_000; !(await chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 1)); ) {
      assert.ok(Date.now() < deadline, 'the chart is shown');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(tracker.requests, ['/chart.png'], 'only the chart was loaded');
    await wb.screenshot('remote images allowed');
  });

  it('follows the typing: an edited subject appears in the preview', async () => {
    const wb = workbench();
    await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.press('ArrowDown');
    await wb.page.keyboard.press('ArrowDown');
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.type(' (edited)');
    await page().locator('#h-subject', { hasText: 'Launch notes (edited)' }).waitFor({ timeout: 30_000 });
    await wb.screenshot('preview after typing');
  });

  it('New Email asks for the placeholders and leaves the cursor on To', async () => {
    const wb = workbench();
    await wb.runCommand('Mailsmith: New Email');
    const input = wb.page.locator('.quick-input-widget input');
    for (const value of ['Ann Example <ann@example.com>', 'Hello from a template']) {
      await input.waitFor({ state: 'visible' });
      await input.fill(value);
      await wb.page.keyboard.press('Enter');
    }
    await wb.page.locator('.tabs-container .tab.active', { hasText: /New message( \d+)?\.eml/ }).waitFor();
    // The cursor is placed on To (line 2, after "To: ") once the document is shown: wait for it, then type.
    await wb.page.locator('.statusbar-item', { hasText: 'Ln 2, Col 5' }).first().waitFor();
    await wb.page.keyboard.type('bob@example.org');
    const lines = wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await lines.locator('.view-line', { hasText: 'To: bob@example.org' }).first().waitFor();
    const text = (await lines.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /^From: Ann Example <ann@example\.com>\nTo: bob@example\.org\nSubject: Hello from a template/);
    await wb.screenshot('new email from the built-in template');
    await wb.page.keyboard.press('Control+Z');
  });

  describeHostilePreview(workbench, () => tracker);
});

// A person writes a Markdown message with an image and an attachment, opens "Mailsmith: Preview Message"
// and sees it as a recipient would: headers, the rendered HTML (remote images blocked until allowed),
// the attachment list; the preview follows their typing. Screenshots of each step.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { useWorkbench } from './support/workbench';

const FILE = 'preview-news.eml';
const LOGO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const MESSAGE = [
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
  '![logo](preview-logo.png) and a remote chart: ![chart](https://example.com/chart.png)',
  '',
  '- first',
  '- second',
  '',
].join('\n');

describe('Preview Message webview (real workbench)', function () {
  this.timeout(180_000);
  this.bail(true);
  const workbench = useWorkbench('preview');

  /** The preview page inside the webview (VS Code nests it in two iframes). */
  function page(): FrameLocator {
    return workbench().page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  }

  it('shows the headers, the HTML part with remote images blocked, and the attachments', async () => {
    const wb = workbench();
    writeFileSync(join(wb.env.workspace, FILE), MESSAGE);
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
    assert.deepEqual(attachments.map((t) => t.replace(/\s+/g, ' ').trim()), ['preview-logo.png image/png · 70 B · inline', 'preview-figures.csv text/csv · 8 B']);
    await wb.screenshot('preview of a markdown message');

    await page().locator('#tab-text').click();
    await page().locator('#text-body').waitFor({ state: 'visible' });
    assert.match(await page().locator('#text-body').innerText(), /^# Launch notes/);
    await wb.screenshot('text part');
    await page().locator('#tab-html').click();

    await page().locator('#load-remote').click();
    await page().locator('#remote-note').waitFor({ state: 'hidden' });
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
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).waitFor();
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
});

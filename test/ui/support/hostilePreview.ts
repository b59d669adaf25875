// Someone previews a hostile HTML message (every case of test/support/hostileHtml.ts, pointing at a local
// "tracker": a real HTTP server in the test process on 127.0.0.1) in the real VS Code in Chromium. The
// tracker must see no request and no connection, and no script may run, until they press "Load remote
// images"; then it sees exactly the images the preview counted, for that message only: another message, and
// the first one when they come back to it, are blocked again. Screenshots of each step.
// Registered inside preview.ui.ts's describe, to share its workbench (one extension host start, not two).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { HOSTILE_CASES, hostileMessageHtml } from '../../support/hostileHtml';
import type { Tracker } from '../../support/tracker';
import type { Workbench } from './workbench';

function emlWithHtml(subject: string, html: string): string {
  return ['From: Newsletter <news@tracker.example>', 'To: you@example.org', `Subject: ${subject}`, 'Content-Type: text/html; charset=utf-8', '', html, ''].join('\n');
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const imagesOfA = HOSTILE_CASES.flatMap((c) => c.whenAllowed.map((path) => `/a/${c.name}${path}`)).sort();
const countedImages = HOSTILE_CASES.reduce((sum, c) => sum + c.images, 0);
const countedOther = HOSTILE_CASES.reduce((sum, c) => sum + Object.values(c.other ?? {}).reduce((a, b) => a + b, 0), 0);

export function describeHostilePreview(workbench: () => Workbench, trackerOf: () => Tracker): void {
  describe('hostile HTML: nothing reaches a tracker until allowed', function () {
    let tracker: Tracker;
    const consoleMessages: string[] = [];
    /** Policy reports from anywhere but the message's frame (about:srcdoc). */
    const otherViolations: string[] = [];

    before(() => {
      tracker = trackerOf();
      tracker.reset(); // what the tests before saw
    });

    /** The preview page inside the webview (VS Code nests it in two iframes). */
    function page(): FrameLocator {
      return workbench().page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    }

    /**
     * Opens a file in the first editor group through Quick Open, as a person clicking into the editor beside
     * the preview would. (Workbench.openFile's tab check also matches the "Preview <name>" tab.)
     */
    async function openBesidePreview(name: string, inPreviewGroup = false): Promise<void> {
      const wb = workbench();
      if (inPreviewGroup) await previewTab().click();
      else await wb.runCommand('View: Focus First Editor Group');
      await wb.quickOpen(name);
      await wb.page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).waitFor();
    }

    function previewTab() {
      return workbench().page.locator('.tabs-container .tab[aria-label^="Preview hostile-"]');
    }

    /** Waits for the page to show `subject` and for its message frame to have loaded everything it tries. */
    async function shown(subject: string): Promise<void> {
      await page().locator('#h-subject', { hasText: subject }).waitFor({ timeout: 60_000 });
      const html = page().frameLocator('#html-body').locator('html');
      await until(() => html.evaluate(() => document.readyState).catch(() => 'gone'), (state) => state === 'complete', `the frame of "${subject}" to load`);
    }

    it('shows the hostile message with nothing loaded, no script run, and what is blocked counted', async () => {
      const wb = workbench();
      wb.page.on('console', (m) => {
        consoleMessages.push(m.text());
        if (/Content Security Policy/.test(m.text()) && m.location().url !== 'about:srcdoc') otherViolations.push(`${m.location().url}: ${m.text()}`);
      });
      writeFileSync(join(wb.env.workspace, 'hostile-a.eml'), emlWithHtml('Hostile A', hostileMessageHtml(`${tracker.origin}/a`)));
      writeFileSync(join(wb.env.workspace, 'notes.txt'), 'not an email\n'); // early: Quick Open lists new files late
      writeFileSync(join(wb.env.workspace, 'hostile-b.eml'), emlWithHtml('Hostile B', `<p>Second message</p><img src="${tracker.origin}/b/pixel.gif" alt="b"><style>p { background: url(${tracker.origin}/b/bg.gif) }</style>`));
      await openBesidePreview('hostile-a.eml'); // the preview, open from the tests before, follows it
      await shown('Hostile A');

      assert.equal(await page().locator('#remote-note').innerText(), `${countedImages} remote images and ${countedOther} other remote loads blocked`);
      await page().locator('#load-remote').waitFor({ state: 'visible' });
      const body = page().frameLocator('#html-body');
      for (const c of HOSTILE_CASES) for (const selector of c.clicks ?? []) await body.locator(`#case-${c.name} ${selector}`).first().click({ timeout: 10_000 });
      assert.equal(await body.locator('html').getAttribute('data-script-ran'), null, 'no script of the message ran');
      await wb.screenshot('hostile message, remote content blocked');
      assert.deepEqual(tracker.requests, [], 'the tracker saw no request');
      assert.equal(tracker.connections, 0, 'the tracker saw no connection');
    });

    it("keeps both policies on the message's frame: the panel's (inherited) and the frame's own", () => {
      // Chromium reports a blocked load once per policy that blocks it; the two differ in style-src (the
      // panel's also names the webview's resource origin).
      const stylesheet = `${tracker.origin}/a/link-stylesheet/style.css`;
      const reports = consoleMessages.filter((m) => m.includes(`'${stylesheet}'`)).map((m) => /directive: "(style-src[^"]*)"/.exec(m)?.[1]);
      assert.ok(reports.some((d) => d && /^style-src .+ 'nonce-[^']+'$/.test(d)), `the panel's policy blocked it: ${JSON.stringify(reports)}`);
      assert.ok(reports.some((d) => d && /^style-src 'nonce-[^']+'$/.test(d)), `the frame's policy blocked it: ${JSON.stringify(reports)}`);
      // And the policies block nothing of the preview's own (its stylesheet, its script, VS Code's additions).
      assert.deepEqual(otherViolations, []);
    });

    it('"Load remote images" loads exactly the counted images of this message, and nothing else', async () => {
      const wb = workbench();
      await page().locator('#load-remote').click();
      await until(() => page().locator('#remote-note').innerText().catch(() => ''), (text) => text === `${countedOther} remote loads blocked`, 'the note to keep only the other loads');
      await shown('Hostile A');
      assert.equal(await page().locator('#load-remote').isVisible(), false);
      await tracker.waitFor((requests) => imagesOfA.every((path) => requests.includes(path)), `the images of message A: ${imagesOfA.join(', ')}`);
      assert.deepEqual([...new Set(tracker.requests)].sort(), imagesOfA, 'only the images the preview counted');
      assert.equal(await page().frameLocator('#html-body').locator('html').getAttribute('data-script-ran'), null);
      await wb.screenshot('remote images allowed for this message');
    });

    it('blocks another message again, and the first one when the user comes back to it', async () => {
      const wb = workbench();
      const before = tracker.requests.length;
      await openBesidePreview('hostile-b.eml'); // the preview follows the active email editor
      await shown('Hostile B');
      assert.equal(await page().locator('#remote-note').innerText(), '2 remote images blocked');
      await page().locator('#load-remote').waitFor({ state: 'visible' });
      await wb.screenshot('another message, blocked again');

      await openBesidePreview('hostile-a.eml');
      await shown('Hostile A');
      assert.equal(await page().locator('#remote-note').innerText(), `${countedImages} remote images and ${countedOther} other remote loads blocked`);
      assert.deepEqual(tracker.requests.slice(before), [], 'nothing more reached the tracker');
      assert.deepEqual([...new Set(tracker.requests)].sort(), imagesOfA);
    });

    it('shows the message again, still blocked, when the hidden preview comes back (the page is loaded anew)', async () => {
      const wb = workbench();
      const before = tracker.requests.length;
      await openBesidePreview('notes.txt', true); // over the preview, in its group: the webview is discarded
      await page().locator('#h-subject').waitFor({ state: 'detached' });
      await previewTab().click();
      await shown('Hostile A');
      assert.equal(await page().locator('#remote-note').innerText(), `${countedImages} remote images and ${countedOther} other remote loads blocked`);
      assert.deepEqual(tracker.requests.slice(before), [], 'nothing more reached the tracker');
      await wb.screenshot('preview shown again');
    });
  });
}

// What another extension, a command link or a repository's settings can get from the installed (packaged)
// Mailsmith: nothing from its exports, and no send without the person's confirmation. The workspace's own
// settings turn `mailsmith.confirmBeforeSend` off and the caller passes `skipConfirm`: the dialog still comes,
// and Escape or Cancel sends nothing. Driven through the real workbench with screenshots.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uiEnvironment, useWorkbench } from './support/workbench';

const SAMPLE = 'plain-text.eml';

function probeReport(name: string): string {
  return join(uiEnvironment().workspace, `.exports-probe-${name}.json`);
}

async function readReport<T>(name: string, timeoutMs = 30_000): Promise<T> {
  const file = probeReport(name);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the probe extension wrote no ${file}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

describe('Untrusted callers (real workbench, packaged extension)', function () {
  this.timeout(120_000);
  before(() => {
    // A repository that tries to turn the confirmation off for whoever opens it.
    const vscodeDir = join(uiEnvironment().workspace, '.vscode');
    mkdirSync(vscodeDir, { recursive: true });
    writeFileSync(join(vscodeDir, 'settings.json'), JSON.stringify({ 'mailsmith.confirmBeforeSend': false }, null, 2));
  });
  const workbench = useWorkbench('untrusted');
  beforeEach(() => {
    for (const name of ['inspect', 'send']) rmSync(probeReport(name), { force: true });
  });
  after(() => rmSync(join(uiEnvironment().workspace, '.vscode'), { recursive: true, force: true }));

  it('gives another extension nothing through its exports', async () => {
    const wb = workbench();
    await wb.openFile(SAMPLE);
    await wb.runCommand('Exports Probe: Inspect Mailsmith');
    const seen = await readReport<{ found: boolean; exportsType: string; reachable: unknown[] }>('inspect');
    assert.equal(seen.found, true, 'Mailsmith is installed beside the probe');
    assert.equal(seen.exportsType, 'undefined');
    assert.deepEqual(seen.reachable, []);
  });

  for (const [how, answer] of [
    ['Escape', async () => workbench().page.keyboard.press('Escape')],
    ['Cancel', async () => workbench().page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: /^\s*Cancel/ }).first().click()],
  ] as const) {
    it(`asks before a caller's "skipConfirm" send despite the workspace setting, and ${how} sends nothing`, async () => {
      const wb = workbench();
      await wb.openFile(SAMPLE);
      await wb.runCommand('Exports Probe: Send Skipping Confirmation');
      const dialog = wb.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      const message = await dialog.innerText();
      assert.match(message, /Send to bob@example\.org/);
      assert.match(message, /No local files travel with it/);
      await wb.screenshot(`confirmation before ${how}`);
      await answer();
      await dialog.waitFor({ state: 'hidden' });
      const result = await readReport<{ status: string }>('send');
      assert.equal(result.status, 'cancelled');
      assert.deepEqual((await wb.notifications()).filter((n) => /^Sent/.test(n)), [], 'no "Sent" notification');
      await wb.screenshot(`nothing sent after ${how}`);
    });
  }
});

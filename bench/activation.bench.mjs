// Activation benchmark: how long Mailsmith takes to activate in a real VS Code, by the extension host's own
// timing (what "Developer: Show Running Extensions" shows), beside the built-in Git extension in the same
// session. Each session starts a fresh code-server (the real VS Code the tests use) with the production
// build installed, opens a git workspace and an .eml file (Mailsmith activates on the `email` language),
// then reads both times from the Running Extensions view. Goal: Mailsmith at most half of Git.
// Run: node bench/run.mjs activation   (builds with --production first; set BENCH_ACTIVATION_SESSIONS).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, waitForWorkbench, workbenchUrl } from '../scripts/real-vscode/browser.mjs';
import { startCodeServer } from '../scripts/real-vscode/codeServer.mjs';
import { ensureRealVsCode } from '../scripts/real-vscode/setup.mjs';

const root = new URL('..', import.meta.url).pathname;
const SESSIONS = Number(process.env.BENCH_ACTIVATION_SESSIONS ?? 5);

ensureRealVsCode();
const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production'], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('the production build failed');

const workspace = mkdtempSync(join(tmpdir(), 'mailsmith-activation-'));
writeFileSync(join(workspace, 'note.eml'), 'From: ann@example.com\nTo: bob@example.org\nSubject: Activation\n\nHello.\n');
spawnSync('git', ['init', '-q', workspace]);

const samples = { mailsmith: [], git: [] };
try {
  for (let session = 1; session <= SESSIONS; session++) {
    const times = await measure();
    samples.mailsmith.push(times.mailsmith);
    samples.git.push(times.git);
    console.log(`session ${session}: Mailsmith ${times.mailsmith} ms, Git ${times.git} ms`);
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours = median(samples.mailsmith);
const git = median(samples.git);
console.log(`\nMachine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}`);
console.log('| Extension | activation, median of ' + SESSIONS + ' sessions | min | max |');
console.log('| --- | ---: | ---: | ---: |');
console.log(`| Mailsmith (production build) | ${ours} ms | ${Math.min(...samples.mailsmith)} ms | ${Math.max(...samples.mailsmith)} ms |`);
console.log(`| Git (built in) | ${git} ms | ${Math.min(...samples.git)} ms | ${Math.max(...samples.git)} ms |`);
console.log(`Mailsmith / Git: ${(ours / git).toFixed(2)} (goal: at most 0.50)`);

async function measure() {
  const server = await startCodeServer({ folder: workspace, installExtensions: [root], settings: { 'git.enabled': true } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(workbenchUrl(server, { folder: workspace }));
    await waitForWorkbench(page);
    await quickPick(page, 'Control+P', 'note.eml', 'note.eml');
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /^\s*Email\s*$/ }).first().waitFor({ timeout: 60_000 });
    await quickPick(page, 'F1', '>Developer: Show Running Extensions', 'Show Running Extensions');
    const times = {};
    const deadline = Date.now() + 60_000;
    while (!(times.mailsmith && times.git)) {
      if (Date.now() > deadline) throw new Error(`the Running Extensions view did not list both: ${JSON.stringify(times)}`);
      const rows = await page.locator('.runtime-extensions-editor .monaco-list-row').allInnerTexts();
      for (const row of rows) {
        const [name] = row.split('\n');
        const ms = /Activation: (\d+)ms/.exec(row)?.[1];
        if (ms && name === 'Mailsmith') times.mailsmith = Number(ms);
        if (ms && name === 'Git') times.git = Number(ms);
      }
      await page.waitForTimeout(250);
    }
    return times;
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function quickPick(page, key, text, label) {
  await page.keyboard.press(key);
  await page.locator('.quick-input-widget input').fill(text);
  // Enter on the focused first row: a click waits for the list to be still, which a loaded machine delays.
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: label }).first().waitFor({ timeout: 60_000 });
  await page.keyboard.press('Enter');
}

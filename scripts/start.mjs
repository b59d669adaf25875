// `npm start`: the README's main command. Installs what is missing (scripts/real-vscode/setup.mjs),
// builds Mailsmith, starts a real VS Code (code-server) on samples/ with Mailsmith installed from this
// build, prints the URL to open, and stays in the foreground until Ctrl-C, then stops everything (run it
// again after changing the code).
// `npm start -- --check` (or CI=true) instead proves it works: the workbench loads in headless Chromium,
// a sample opens, Mailsmith activates and sends it to the local capture inbox; it prints a short summary
// and exits (0 when all is well).
// Options: --port N (default: a free port), --check, --no-build (use dist/ as it is), --verbose.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, waitForWorkbench, workbenchUrl } from './real-vscode/browser.mjs';
import { outerTimeout, startCodeServer } from './real-vscode/codeServer.mjs';
import { extensionPath, repoRoot } from './real-vscode/config.mjs';
import { ensureRealVsCode } from './real-vscode/setup.mjs';

const EXTENSION_ID = 'mailsmith.mailsmith';
const EXTENSION_HOST_READY = 'Eager extensions activated';
const argv = process.argv.slice(2);
const check = argv.includes('--check') || /^(1|true)$/i.test(process.env.CI ?? '');
const verbose = argv.includes('--verbose');
const portIndex = argv.indexOf('--port');
const port = portIndex >= 0 ? Number(argv[portIndex + 1]) : 0;
const samples = join(repoRoot, 'samples');
const say = (text) => console.log(`[mailsmith start] ${text}`);

function fail(message) {
  console.error(`[mailsmith start] FAILED: ${message}`);
  process.exit(1);
}

if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port needs a port number, got ${argv[portIndex + 1]}`);
const started = Date.now();
try {
  ensureRealVsCode();
} catch (err) {
  fail(`setting up the real VS Code: ${err.message}`);
}

if (argv.includes('--no-build')) {
  say('not building (--no-build)');
} else {
  say('building (node scripts/build.mjs)');
  const build = spawnSync(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) fail('the build failed');
}
if (!existsSync(join(extensionPath, 'dist/extension.js'))) fail('the build produced no dist/extension.js (src/vscode/extension.ts missing?)');

const cancelTimeout = check ? outerTimeout(3 * 60_000, 'npm start --check') : () => undefined;
// The local capture inbox is the extension's own default profile: it runs in the extension host (on this
// machine, 127.0.0.1:2525 or a free port) from the first send. A second one from `mailsmith inbox` would
// only take its port and catch nothing the editor sends.
const server = await startCodeServer({
  folder: samples,
  port,
  // Installed as from a .vsix (a copy of what the package holds), so the workbench behaves as for a user.
  installExtensions: [extensionPath],
  log: verbose ? (line) => console.log(`[code-server] ${line}`) : undefined,
}).catch((err) => fail(`code-server did not start: ${err.message}`));
const url = workbenchUrl(server, { folder: samples });

if (check) {
  const ok = await checkWorkbench();
  await server.stop();
  cancelTimeout();
  process.exit(ok ? 0 : 1);
}

console.log(`
  Mailsmith is running in VS Code (code-server ${server.origin}, on 127.0.0.1 only).
  Open this URL in a browser on this machine:

    ${url}

  Workspace: ${samples}
  Send a sample with "Mailsmith: Send Email": it goes to the local capture inbox (the default profile,
  on 127.0.0.1 only); "Mailsmith: Show Captured Messages" opens what arrived.
  Press Ctrl-C to stop.
`);
// Ctrl-C: scripts/real-vscode/codeServer.mjs kills code-server's process group and runs the clean-ups
// on SIGINT, SIGTERM and SIGHUP.
await new Promise(() => undefined);

/** Headless: the workbench loads, a sample opens as an `email` document, Mailsmith activates. */
async function checkWorkbench() {
  const browser = await launchChromium();
  const results = [];
  const record = (ok, what) => {
    results.push(ok);
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
    return ok;
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await waitForWorkbench(page);
    record(true, `workbench loaded from ${server.origin}`);
    // The workbench is drawn before its extension host runs (seconds before, on a loaded machine); until
    // then Quick Open finds no file (the host provides the remote file search) and no extension's command.
    const hostReady = await waitForExtensionHostLine(EXTENSION_HOST_READY, 90_000);
    if (!record(hostReady, 'the extension host is running')) return false;
    const emls = readdirSync(samples).filter((name) => name.endsWith('.eml'));
    const sample = emls.includes('plain-text.eml') ? 'plain-text.eml' : emls[0];
    if (!record(Boolean(sample), `samples/ has an .eml file (${sample ?? 'none'})`)) return false;
    await quickPick(page, 'Control+P', sample, sample);
    await page.locator('.tabs-container .tab.active', { hasText: sample }).waitFor();
    record(true, `opened samples/${sample}`);
    const activated = await waitForExtensionHostLine(`_doActivateExtension ${EXTENSION_ID}`, 30_000);
    record(activated, `${EXTENSION_ID} activated in the extension host`);
    const language = await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /^\s*Email\s*$/ }).first()
      .waitFor({ timeout: 10_000 }).then(() => true, () => false);
    record(language, 'the sample is in the Email language mode');
    // The main job: send it to the local capture inbox (the default profile), as a person would.
    await quickPick(page, 'F1', '>Mailsmith: Send Email', 'Mailsmith: Send Email');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^\s*Send/ }).first().click();
    const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: /^Sent/ }).first();
    const sent = await toast.waitFor({ timeout: 60_000 }).then(() => true, () => false);
    record(sent, `Send Email delivered samples/${sample} to the local capture inbox${sent ? `: "${(await toast.innerText()).trim()}"` : ''}`);
    const ok = results.every(Boolean);
    say(`${ok ? 'check passed' : 'check FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return ok;
  } catch (err) {
    record(false, err.message.split('\n')[0]);
    return false;
  } finally {
    await browser.close();
  }
}

/** Opens a quick input with `key`, types `text` and clicks the row labelled `label`. */
async function quickPick(page, key, text, label) {
  await page.keyboard.press(key);
  await page.locator('.quick-input-widget input').fill(text);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().click();
}

/**
 * Waits for the remote extension host to log `text`: EXTENSION_HOST_READY once it runs with every
 * extension and has activated the start-up ones, "ExtensionService#_doActivateExtension <id>" for each
 * activation.
 */
async function waitForExtensionHostLine(text, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (extensionHostLog().includes(text)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (verbose) console.log(extensionHostLog());
  return false;
}

function extensionHostLog() {
  const logs = join(server.userDataDir, 'logs');
  if (!existsSync(logs)) return '';
  return readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('exthost.log'))
    .map((file) => readFileSync(join(logs, file), 'utf8'))
    .join('\n');
}

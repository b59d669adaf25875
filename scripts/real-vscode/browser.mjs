// Debian's Chromium, headless, driven by playwright-core: opens the VS Code workbench that code-server serves.
import { chromium } from 'playwright-core';
import { CHROMIUM } from './config.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', // root in a container: Chromium's sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * The workbench URL for `folder`, optionally with the smoke-test driver's `payload`: the extension under
 * development and the test runner, as vscode-remote URIs on the server (what F5 passes on a desktop).
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const url = new URL(server.origin + '/');
  if (folder) url.searchParams.set('folder', folder);
  const payload = [];
  const remote = (path) => `vscode-remote://${server.authority}${path}`;
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  if (payload.length) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** Waits for the workbench to be drawn (about 3 s once warm). */
export async function waitForWorkbench(page, timeoutMs = 60_000) {
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
}

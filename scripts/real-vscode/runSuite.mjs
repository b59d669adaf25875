// Runs an extension test suite (extensionTestsPath) inside the extension host of code-server, with the
// workbench in headless Chromium, and resolves with the suite's exit code. Shared by run-integration.mjs
// and code-shim.mjs (the `code` executable that @vscode/test-electron can drive).
import { format } from 'node:util';
import { launchChromium, waitForWorkbench, workbenchUrl } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';

/** Lines the suite's runner prefixes with this (test/integration/index.ts) are its report. */
export const LOG_MARK = '\u2063[mailsmith-test]';

/**
 * @param {object} options
 * @param {string} options.folder workspace folder to open
 * @param {string} options.extensionPath the extension under development
 * @param {string} options.testsPath the module whose run() runs the tests in the extension host
 * @param {Record<string,string>} [options.env] env for code-server, which the extension host inherits
 * @param {boolean} [options.verbose] also print code-server's and the workbench's own log
 * @param {(text: string) => void} [options.say]
 * @returns {Promise<number>} the exit code the workbench reported (1 if it never did)
 */
export async function runExtensionTests({ folder, extensionPath, testsPath, env = {}, verbose = false, say = console.log }) {
  const started = Date.now();
  let server;
  let browser;
  try {
    server = await startCodeServer({
      folder,
      testDriver: true,
      env: { MAILSMITH_TEST_LOG_MARK: LOG_MARK, ...env },
      log: verbose ? (line) => console.log(`[code-server] ${line}`) : undefined,
    });
    say(`code-server ${server.origin} (pid ${server.pid}), workspace ${folder}`);
    browser = await launchChromium();
    const page = await browser.newPage();
    const finished = new Promise((resolve) => {
      // Called by the workbench when the extension tests end (smoke-test driver).
      page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
    });
    // The workbench's log, which includes the extension host's console: the suite marks its report's
    // lines; the workbench's own lines are shown with --verbose only.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (text.startsWith(LOG_MARK)) (type === 'error' ? console.error : console.log)(text.slice(LOG_MARK.length));
      else if (verbose) console.log(`[workbench ${type}] ${text}`);
    });
    // The first load compiles megabytes of script: on a busy machine longer than Playwright's default 30 s.
    await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath }), { timeout: 90_000 });
    await waitForWorkbench(page);
    say(`workbench loaded after ${((Date.now() - started) / 1000).toFixed(1)} s; running the suite in the extension host`);
    return await finished;
  } catch (err) {
    console.error(err.stack ?? String(err));
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }
}

#!/usr/bin/env node
// A `code` executable for @vscode/test-electron's runTests({ vscodeExecutablePath }) where no desktop
// VS Code can be downloaded: it takes the desktop arguments runTests passes (--extensionDevelopmentPath=,
// --extensionTestsPath=, a folder; --user-data-dir= and the other flags are for Electron and ignored),
// runs the suite in code-server's extension host with Chromium, and exits with the suite's code.
// runTests' extensionTestsEnv arrives in this process's environment and so reaches the extension host.
import { outerTimeout } from './codeServer.mjs';
import { runExtensionTests } from './runSuite.mjs';
import { ensureRealVsCode } from './setup.mjs';

const args = process.argv.slice(2);
const value = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const extensionPath = value('extensionDevelopmentPath');
const testsPath = value('extensionTestsPath');
const folder = args.find((a) => !a.startsWith('-'));
if (!extensionPath || !testsPath) {
  console.error('code-shim: needs --extensionDevelopmentPath= and --extensionTestsPath= (it only runs extension tests)');
  process.exit(2);
}
ensureRealVsCode();
const cancelTimeout = outerTimeout(Number(process.env.MAILSMITH_INTEGRATION_TIMEOUT_MS) || 4 * 60_000, 'the extension tests');
const code = await runExtensionTests({ folder, extensionPath, testsPath, verbose: args.includes('--verbose'), say: (t) => console.log(`[code-shim] ${t}`) });
cancelTimeout();
process.exit(code);

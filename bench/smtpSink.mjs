// What the sending benchmarks share (bench/send.bench.mjs, bench/merge.bench.mjs): Postfix's `smtp-sink` on
// loopback as the neutral server, a free port for it, and the peers' tools (curl, swaks) installed from
// Debian's apt when missing (needs root; postfix is installed unconfigured and never started).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** smtp-sink on loopback; as root it must drop to another user (-u). Resolves once it accepts connections. */
export async function startSink(port) {
  const args = ['-4', ...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), `127.0.0.1:${port}`, '256'];
  const child = spawn(smtpSinkPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) throw new Error(`smtp-sink exited: ${stderr}`);
    if (await greets(port)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`smtp-sink did not start: ${stderr}`);
}

function greets(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (d) => {
      socket.end('QUIT\r\n');
      resolve(String(d).startsWith('220'));
    });
    socket.once('error', () => resolve(false));
  });
}

function smtpSinkPath() {
  return ['/usr/sbin/smtp-sink', '/usr/bin/smtp-sink'].find((p) => existsSync(p)) ?? 'smtp-sink';
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Installs Debian's postfix (for smtp-sink), curl and swaks when missing. Postfix is never started. */
export function ensureTools() {
  const missing = [];
  if (!existsSync(smtpSinkPath()) && !has('smtp-sink')) missing.push('postfix');
  if (!has('curl')) missing.push('curl');
  if (!has('swaks')) missing.push('swaks');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`Missing: ${missing.join(', ')}. Install them (sudo apt-get install ${missing.join(' ')}) and run again.`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Unconfigured postfix ("No configuration") does not start; policy-rc.d (exit 101) also stops
  // invoke-rc.d from starting the service during the install.
  spawnSync('debconf-set-selections', { input: 'postfix postfix/main_mailer_type select No configuration\n', env });
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const steps = [
      ['apt-get', ['update', '-qq']],
      ['apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing]],
    ];
    for (const [cmd, args] of steps) {
      const r = spawnSync(cmd, args, { stdio: 'inherit', env });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
    }
  } finally {
    if (ownPolicy) unlinkSync(policy);
  }
}

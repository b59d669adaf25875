// git send-email, the reference a series is compared with, from Debian's git-email package. Installed here
// when missing (apt-get as root, as scripts/real-vscode/setup.mjs installs chromium): CI is a fresh machine
// with apt. Where it cannot be installed the comparison fails with the reason, never skips.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function gitSendEmailPath(): string {
  return join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-send-email');
}

/** Makes sure `git send-email` runs; throws with what to do when it cannot be installed. */
export function ensureGitSendEmail(): string {
  const path = gitSendEmailPath();
  // Debian's git-email needs Mail::Address (libmailtools-perl), which it only recommends.
  const runs = () => existsSync(path) && spawnSync('perl', ['-MMail::Address', '-e', '1']).status === 0;
  if (runs()) return path;
  if (process.getuid?.() !== 0) {
    throw new Error(`git send-email is missing (${path}) and this is not root: run apt-get update && apt-get install -y git-email`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'git-email', 'libmailtools-perl']]) {
    const result = spawnSync('apt-get', args, { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${result.status ?? result.signal}): ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ')}`);
  }
  if (!runs()) throw new Error(`apt-get installed git-email, but ${path} is missing or cannot load Mail::Address`);
  return path;
}

// Running git for a series: always execFile (no shell), in the repository, with output captured. Nothing from
// a repository is ever interpolated into a command line; arguments are passed as they are.
import { spawn } from 'node:child_process';

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
  /** Stopped at `timeoutMs`. */
  timedOut?: boolean;
}

export interface GitOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  /** Largest output accepted (bytes); default 64 MiB. */
  maxBuffer?: number;
  /** Milliseconds before the program is stopped (code 124); default none. */
  timeoutMs?: number;
}

/** Runs `git ARGS` and resolves with its exit code and output (never rejects for a non-zero exit). */
export function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return runProgram('git', args, options);
}

/** Runs a program without a shell. A program that cannot start resolves with code 127 and the reason. */
export function runProgram(program: string, args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...(options.env ?? {}), GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
    const maxBuffer = options.maxBuffer ?? 64 * 1024 * 1024;
    // With a deadline the program gets a process group of its own, so that stopping it also stops what it
    // started (a script's children would otherwise hold its output open, and the wait with it).
    const group = options.timeoutMs !== undefined && process.platform !== 'win32';
    const child = spawn(program, [...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, detached: group, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let stopped: 'timeout' | 'too-much' | undefined;
    const stop = (why: 'timeout' | 'too-much') => {
      stopped ??= why;
      try {
        if (group && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBuffer) return stop('too-much');
      into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
    let spawnError: Error | undefined;
    child.on('error', (err) => (spawnError = err));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (stopped === 'timeout') return resolve({ code: 124, stdout: Buffer.alloc(0), stderr: '', timedOut: true });
      const text = Buffer.concat(stderr).toString('utf8').trim();
      if (stopped === 'too-much') return resolve({ code: 1, stdout: Buffer.alloc(0), stderr: `more than ${maxBuffer} bytes of output` });
      if (spawnError) return resolve({ code: 127, stdout: Buffer.alloc(0), stderr: text || spawnError.message });
      resolve({ code: code ?? 1, stdout: Buffer.concat(stdout), stderr: text });
    });
    // A program that does not read its input must not make this fail.
    child.stdin.on('error', () => undefined);
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** The top folder of the git work tree holding `dir`, if any. */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
  const result = await runGit(['rev-parse', '--show-toplevel'], { cwd: dir });
  return result.code === 0 ? result.stdout.toString('utf8').trim() || undefined : undefined;
}

/** Where a config value was set: `local`/`worktree` are the repository's own; `global`/`system`/`command` the user's. */
export type ConfigScope = 'system' | 'global' | 'local' | 'worktree' | 'command' | 'unknown';

export interface ConfigEntry {
  key: string;
  /** Undefined for a key written without "=" (a boolean true). */
  value: string | undefined;
  scope: ConfigScope;
}

/** The config entries whose key matches `pattern` (a git config regexp), with the scope each came from. */
export async function configEntries(cwd: string, pattern: string): Promise<ConfigEntry[]> {
  const result = await runGit(['config', '--show-scope', '--null', '--get-regexp', pattern], { cwd });
  if (result.code !== 0) return [];
  return parseScopedConfig(result.stdout.toString('utf8'));
}

/** `git config --show-scope --null` output: scope NUL key LF value NUL (a value-less key has no LF). */
export function parseScopedConfig(text: string): ConfigEntry[] {
  const parts = text.split('\0');
  const entries: ConfigEntry[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const scope = (['system', 'global', 'local', 'worktree', 'command'].includes(parts[i]) ? parts[i] : 'unknown') as ConfigScope;
    const item = parts[i + 1];
    const nl = item.indexOf('\n');
    entries.push(nl === -1 ? { key: item, value: undefined, scope } : { key: item.slice(0, nl), value: item.slice(nl + 1), scope });
  }
  return entries;
}

/** `git var GIT_COMMITTER_IDENT` without the time: "Name <address>". */
export async function committerIdent(cwd: string): Promise<string | undefined> {
  const result = await runGit(['var', 'GIT_COMMITTER_IDENT'], { cwd });
  if (result.code !== 0) return undefined;
  return result.stdout.toString('utf8').trim().replace(/\s+\d+\s+[+-]\d{4}$/, '') || undefined;
}

/** Parses a git boolean (`true`, `yes`, `on`, `1`, a key with no value). */
export function gitBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return true;
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0', ''].includes(v)) return false;
  return undefined;
}

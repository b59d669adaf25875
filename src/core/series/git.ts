// Running git for a series: always execFile (no shell), in the repository, with output captured. Nothing from
// a repository is ever interpolated into a command line; arguments are passed as they are.
import { execFile } from 'node:child_process';

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  /** Largest output accepted (bytes); default 64 MiB. */
  maxBuffer?: number;
}

/** Runs `git ARGS` and resolves with its exit code and output (never rejects for a non-zero exit). */
export function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return runProgram('git', args, options);
}

/** Runs a program without a shell. A program that cannot start resolves with code 127 and the reason. */
export function runProgram(program: string, args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...(options.env ?? {}), GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
    const child = execFile(program, [...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, encoding: 'buffer', maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 127) : 0;
      const why = err && code === 127 && !stderr.length ? err.message : '';
      resolve({ code, stdout: Buffer.from(stdout ?? []), stderr: (Buffer.from(stderr ?? []).toString('utf8') || why).trim() });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
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

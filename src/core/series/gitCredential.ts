// A password from git's credential helpers (`git credential fill`), as git send-email asks for it:
// protocol=smtp, host=HOST:PORT, username=USER. Only the user's own helpers run: git runs in an empty scratch
// folder outside any repository (so a repository's .git/config cannot name a helper), and never prompts (no
// terminal prompt, no askpass). The answer is read for the password alone and never logged.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SmtpProfile, SmtpSecret } from '../profiles/profile';
import { SecretUnavailable, type SecretProvider } from '../secrets/provider';
import { runGit } from './git';

export interface CredentialRequest {
  host: string;
  port?: number;
  user?: string;
}

export async function gitCredentialFill(request: CredentialRequest, env: Record<string, string | undefined> = process.env): Promise<{ user?: string; password: string } | undefined> {
  if (/[\r\n\0]/.test(`${request.host}${request.user ?? ''}`)) return undefined;
  const scratch = await mkdtemp(join(tmpdir(), 'mailsmith-credential-'));
  try {
    const input = ['protocol=smtp', `host=${request.host}${request.port ? `:${request.port}` : ''}`, ...(request.user ? [`username=${request.user}`] : []), '', ''].join('\n');
    const result = await runGit(['-c', 'core.askPass=', 'credential', 'fill'], {
      cwd: scratch,
      input,
      env: { ...env, GIT_CEILING_DIRECTORIES: tmpdir(), GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_ASKPASS: '', SSH_ASKPASS: '', GIT_TERMINAL_PROMPT: '0' },
    });
    if (result.code !== 0) return undefined;
    const fields = new Map<string, string>();
    for (const line of result.stdout.toString('utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
    }
    const password = fields.get('password');
    return password ? { password, ...(fields.get('username') ? { user: fields.get('username') } : {}) } : undefined;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The profile's password from git's credential helpers when its passwordEnv gives none; otherwise `fallback`
 * (the CLI's environment variable or prompt).
 */
export function gitCredentialSecrets(profile: SmtpProfile, env: Record<string, string | undefined>, fallback: SecretProvider): SecretProvider {
  return {
    async get(): Promise<SmtpSecret> {
      if (!profile.user || (profile.passwordEnv && env[profile.passwordEnv])) return fallback.get();
      const found = await gitCredentialFill({ host: profile.host, port: profile.port, user: profile.user }, env).catch(() => undefined);
      if (found) return profile.auth === 'XOAUTH2' ? { accessToken: found.password } : { password: found.password };
      try {
        return await fallback.get();
      } catch (err) {
        if (err instanceof SecretUnavailable) throw new SecretUnavailable(`${err.message}, and git's credential helpers have none for smtp://${profile.host}:${profile.port}`);
        throw err;
      }
    },
  };
}

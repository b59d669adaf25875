// Loads the profile for `send` and `doctor`: a YAML or JSON profile file, optionally holding several
// profiles (`profiles: [...]`) picked with --profile NAME. The password comes from the environment
// variable the profile names, or a prompt on a terminal; never from a flag.
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { profileFromObject, type SmtpProfile, type SmtpSecret } from '../core/profiles';
import { CliError, type CliIo } from './io';

export function loadProfileFile(path: string, name: string | undefined, io: CliIo): SmtpProfile {
  let text: string;
  try {
    text = io.readFile(resolve(io.cwd, path)).toString('utf8');
  } catch (err) {
    throw new CliError(`cannot read profile file "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new CliError(`profile file "${path}" is not valid YAML or JSON: ${(err as Error).message}`);
  }
  const candidates: unknown[] = data && typeof data === 'object' && Array.isArray((data as { profiles?: unknown }).profiles) ? (data as { profiles: unknown[] }).profiles : [data];
  const picked = name === undefined ? candidates[0] : candidates.find((c) => (c as { name?: unknown } | null)?.name === name);
  if (picked === undefined) throw new CliError(`profile file "${path}" has no profile named "${name}"`);
  const parsed = profileFromObject(picked, name ?? 'profile');
  if (!parsed.ok) throw new CliError(`profile file "${path}":\n  ${parsed.errors.join('\n  ')}`);
  for (const w of parsed.warnings) io.stderr(`mailsmith: profile file "${path}": ${w}\n`);
  return parsed.profile;
}

export async function readSecret(profile: SmtpProfile, io: CliIo, prompt: (question: string) => Promise<string>): Promise<SmtpSecret> {
  if (!profile.user) return {};
  if (profile.passwordEnv) {
    const value = io.env[profile.passwordEnv];
    if (value) return profile.auth === 'XOAUTH2' ? { accessToken: value } : { password: value };
    if (!io.isTTY) throw new CliError(`the profile "${profile.name}" reads its password from $${profile.passwordEnv}, which is not set`);
  } else if (!io.isTTY) {
    throw new CliError(`the profile "${profile.name}" has a user but no passwordEnv, and there is no terminal to ask for the password`);
  }
  const value = await prompt(`Password for ${profile.user} at ${profile.host}: `);
  return profile.auth === 'XOAUTH2' ? { accessToken: value } : { password: value };
}

/** Reads a line from the terminal without echoing it. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolvePrompt) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let value = '';
    stdin.setRawMode?.(true);
    stdin.resume();
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode?.(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolvePrompt(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

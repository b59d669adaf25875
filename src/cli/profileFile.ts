// The profile for `check`, `prepare`, `send` and `doctor`: a YAML or JSON profile file, optionally holding
// several profiles (`profiles: [...]`) picked with --profile NAME. The password never comes from it (nor
// from a flag): see ./secrets.ts. A profile file named here is the user's choice, so its passwordCommand or
// tokenCommand may run (a workspace's settings never get that far: the extension reads only user settings).
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { profileFromObject, type SmtpProfile } from '../core/profiles';
import type { OptionSpec, ParsedValues } from './args';
import { stringValue } from './args';
import { CliError, type CliIo } from './io';

export const PROFILE_OPTIONS: Record<string, OptionSpec> = {
  'profile-file': { type: 'string', value: 'F.yaml', description: 'a YAML or JSON profile (name, host, port, security, user, passwordEnv, defaults, ...)' },
  profile: { type: 'string', value: 'NAME', description: 'pick a profile by name in a file that holds several (profiles: [...])' },
};

/** The profile the options name, or undefined when no profile file was given. */
export function profileFromOptions(values: ParsedValues, io: CliIo): SmtpProfile | undefined {
  const file = stringValue(values, 'profile-file');
  const name = stringValue(values, 'profile');
  if (name && !file) throw new CliError('--profile NAME needs --profile-file (the file that holds the profiles)');
  return file ? loadProfileFile(file, name, io) : undefined;
}

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

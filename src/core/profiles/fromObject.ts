// Reads a profile from parsed YAML/JSON (a profile file, or the `mailsmith.profiles` setting) with a clear
// error for each wrong field, rather than trusting its shape. A `password` key is refused outright.
import type { SmtpProfile } from './profile';
import { profileTopLevelKeys } from './schema';
import { validateProfile } from './validate';

const KNOWN = new Set(profileTopLevelKeys());

export type ProfileParse = { ok: true; profile: SmtpProfile; warnings: string[] } | { ok: false; errors: string[] };

export function profileFromObject(data: unknown, fallbackName = 'profile'): ProfileParse {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { ok: false, errors: ['a profile is a mapping of fields (name, host, port, security, ...)'] };
  const source = data as Record<string, unknown>;
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const key of Object.keys(source)) {
    if (/^pass(word)?$/i.test(key)) errors.push(`"${key}": passwords do not belong in a profile file; name the environment variable that holds it with "passwordEnv"`);
    else if (!KNOWN.has(key)) warnings.push(`unknown field "${key}" ignored`);
  }
  const port = typeof source.port === 'string' && /^\d+$/.test(source.port) ? Number(source.port) : source.port;
  const profile = {
    ...Object.fromEntries(Object.entries(source).filter(([k]) => KNOWN.has(k))),
    name: typeof source.name === 'string' && source.name ? source.name : fallbackName,
    port,
    security: source.security ?? 'starttls',
  } as SmtpProfile;
  for (const issue of validateProfile(profile)) {
    (issue.severity === 'error' ? errors : warnings).push(`${issue.field}: ${issue.message}`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, profile, warnings };
}

// Reads a profile from parsed YAML/JSON (a profile file, or the `mailsmith.profiles` setting) with a clear
// error for each wrong field, rather than trusting its shape. A `password` key is refused outright.
import type { SmtpProfile } from './profile';
import { nestedKeys, profileTopLevelKeys } from './schema';
import { validateProfile } from './validate';

const KNOWN = new Set(profileTopLevelKeys());
const KNOWN_OAUTH = new Set(nestedKeys('oauth'));
/** Tokens and client secrets are refused like passwords: a profile file gets copied, committed and shared. */
const SECRET_KEY = /^(access|refresh|id)[_-]?token$|^client[_-]?secret$/i;

function secretKeyError(key: string): string {
  const env = /secret/i.test(key) ? 'oauth.clientSecretEnv' : /refresh/i.test(key) ? 'oauth.refreshTokenEnv (or sign in: mailsmith login)' : 'tokenCommand or an OAuth sign-in';
  return `"${key}": tokens and client secrets do not belong in a profile file; use ${env}`;
}

export type ProfileParse = { ok: true; profile: SmtpProfile; warnings: string[] } | { ok: false; errors: string[] };

export function profileFromObject(data: unknown, fallbackName = 'profile'): ProfileParse {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { ok: false, errors: ['a profile is a mapping of fields (name, host, port, security, ...)'] };
  const source = data as Record<string, unknown>;
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const key of Object.keys(source)) {
    if (/^pass(word)?$/i.test(key)) errors.push(`"${key}": passwords do not belong in a profile file; name the environment variable that holds it with "passwordEnv"`);
    else if (SECRET_KEY.test(key)) errors.push(secretKeyError(key));
    else if (!KNOWN.has(key)) warnings.push(`unknown field "${key}" ignored`);
  }
  const oauth = oauthFromObject(source.oauth, warnings, errors);
  const port = typeof source.port === 'string' && /^\d+$/.test(source.port) ? Number(source.port) : source.port;
  const profile = {
    ...Object.fromEntries(Object.entries(source).filter(([k]) => KNOWN.has(k))),
    name: typeof source.name === 'string' && source.name ? source.name : fallbackName,
    port,
    security: source.security ?? 'starttls',
    ...(oauth !== undefined ? { oauth } : {}),
  } as SmtpProfile;
  for (const issue of validateProfile(profile)) {
    (issue.severity === 'error' ? errors : warnings).push(`${issue.field}: ${issue.message}`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, profile, warnings };
}

/** The oauth mapping with its known keys; scopes given as a list (YAML) become the space-separated string. */
function oauthFromObject(value: unknown, warnings: string[], errors: string[]): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value; // validation says what is wrong
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) errors.push(secretKeyError(`oauth.${key}`));
    else if (!KNOWN_OAUTH.has(key)) warnings.push(`unknown field "oauth.${key}" ignored`);
    else out[key] = key === 'scopes' && Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(' ') : v;
  }
  return out;
}

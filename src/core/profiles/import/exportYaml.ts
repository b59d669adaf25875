// A profile as the YAML profile file the CLI reads (`mailsmith send --profile-file`), field names as in
// the profile itself. Never holds a password: profiles don't carry one, and any secret-looking key that
// slipped in is dropped.
import { Document } from 'yaml';
import type { SmtpProfile } from '../profile';
import { nestedKeys, profileTopLevelKeys } from '../schema';

const FIELD_ORDER = profileTopLevelKeys();
const DEFAULTS_ORDER = nestedKeys('defaults');
const SECRET_KEY = /pass(word)?$|secret|token/i;

/** The profile as a plain object in a stable field order, empty values left out. */
export function profileToFileObject(profile: SmtpProfile): Record<string, unknown> {
  const source = profile as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = [...FIELD_ORDER, ...Object.keys(source).filter((k) => !(FIELD_ORDER as readonly string[]).includes(k))];
  for (const key of keys) {
    const value = source[key];
    if (value === undefined || value === null || value === '') continue;
    // The names of a variable or a command are not secrets (what they produce is, and never gets here).
    if (key !== 'passwordEnv' && key !== 'tokenCommand' && SECRET_KEY.test(key)) continue;
    if (key === 'defaults' && typeof value === 'object') {
      const defaults: Record<string, unknown> = {};
      for (const d of DEFAULTS_ORDER) {
        const v = (value as Record<string, unknown>)[d];
        if (v !== undefined && v !== '') defaults[d] = v;
      }
      if (Object.keys(defaults).length > 0) out.defaults = defaults;
      continue;
    }
    out[key] = value;
  }
  return out;
}

export function exportProfileYaml(profile: SmtpProfile): string {
  const doc = new Document(profileToFileObject(profile));
  doc.commentBefore =
    ' Mailsmith SMTP profile. No password here: set passwordEnv to the environment variable that holds it,\n' +
    ' or store it in VS Code (Mailsmith: Open Profile Settings), where it goes to the secret store.';
  return doc.toString({ lineWidth: 0 });
}

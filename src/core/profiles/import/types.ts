// What an importer gives back. The password, if the source held one in plain text, travels apart from
// the profile (`secret`) so the caller can move it to a secret store and never write it to settings.
import type { SmtpProfile } from '../profile';

export type ImportFormat = 'dapr' | 'curl' | 'sesam' | 'git';

/**
 * Credentials found in the source in plain text. Same shape as the sending core's secret. They never enter
 * the profile; each face says what it does with them (the editor stores them in SecretStorage on Save, the
 * CLI drops them and points at passwordEnv).
 */
export interface ImportedSecret {
  password?: string;
  accessToken?: string;
}

export type ImportResult =
  | { ok: true; format: ImportFormat; profile: SmtpProfile; secret?: ImportedSecret; notes: string[] }
  | { ok: false; format?: ImportFormat; error: string };

export interface ImportOptions {
  /** Name for the profile; otherwise taken from the source (component name, `_id`, host). */
  name?: string;
}

export type AuthMechanism = NonNullable<SmtpProfile['auth']>;

export { AUTH_MECHANISM_NAMES as AUTH_MECHANISMS } from '../profile';

/** Parses a port given as a number or a decimal string; undefined when it is neither or out of range. */
export function parsePort(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** Reads yes/no the way YAML, JSON and config files spell it; undefined when it is neither. */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(text)) return true;
  if (['false', 'no', 'off', '0'].includes(text)) return false;
  return undefined;
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

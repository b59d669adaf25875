// Sesam `system:smtp` (https://docs.sesam.io/hub/configuration/systems/smtp.html): smtp_server, smtp_port,
// smtp_username, smtp_password, use_tls, max_per_hour. Values may be `$ENV(name)` (environment variable)
// or `$SECRET(name)` (Sesam's secret store, which we cannot read).
import type { SmtpProfile } from '../profile';
import { type ImportOptions, type ImportResult, type ImportedSecret, describeError, parseBoolean, parsePort } from './types';

const ENV_REF = /\$ENV\(([^)]+)\)/g;
const SECRET_REF = /^\s*\$SECRET\(([^)]+)\)\s*$/;
const KNOWN = new Set(['_id', 'type', 'name', 'description', 'smtp_server', 'smtp_port', 'smtp_username', 'smtp_password', 'use_tls', 'max_per_hour', 'metadata']);

export function importSesamText(text: string, options: ImportOptions = {}): ImportResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, format: 'sesam', error: `The JSON is malformed: ${describeError(err)}` };
  }
  return importSesamConfig(parsed, options);
}

export function isSesamSmtpSystem(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as Record<string, unknown>).type === 'system:smtp';
}

/** Accepts one system config or a whole Sesam config (an array of systems and pipes). */
export function importSesamConfig(parsed: unknown, options: ImportOptions = {}): ImportResult {
  const fail = (error: string): ImportResult => ({ ok: false, format: 'sesam', error });
  const systems = (Array.isArray(parsed) ? parsed : [parsed]).filter(isSesamSmtpSystem);
  if (systems.length === 0) return fail('No Sesam system with "type": "system:smtp" found.');
  const system = systems[0];
  const notes: string[] = [];
  if (systems.length > 1) notes.push(`The config holds ${systems.length} system:smtp systems; imported the first ("${String(system._id)}").`);

  /** A string field with $ENV(x) turned into ${env:x}; a $SECRET(x) is explained and left out. */
  const text = (key: string): string | undefined => {
    const value = system[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    const raw = String(value);
    const secretRef = SECRET_REF.exec(raw);
    if (secretRef) {
      notes.push(`"${key}" is the Sesam secret "${secretRef[1]}", which Mailsmith cannot read: fill it in by hand.`);
      return undefined;
    }
    return raw.replace(ENV_REF, (_m, name: string) => `\${env:${name.trim()}}`);
  };

  // Sesam's defaults: localhost:25 without TLS.
  const host = text('smtp_server')?.trim() || 'localhost';
  let port = 25;
  const rawPort = system.smtp_port;
  if (rawPort !== undefined && rawPort !== null) {
    const parsedPort = parsePort(rawPort);
    if (parsedPort !== undefined) port = parsedPort;
    else if (typeof rawPort === 'string' && /\$(ENV|SECRET)\(/.test(rawPort)) {
      notes.push(`smtp_port is "${rawPort}", but a profile's port must be a number: set to 25, change it by hand.`);
    } else {
      return fail(`smtp_port must be a number from 1 to 65535, got ${JSON.stringify(rawPort)}.`);
    }
  }
  let useTls = false;
  if (system.use_tls !== undefined) {
    const parsedTls = parseBoolean(system.use_tls);
    if (parsedTls === undefined) return fail(`use_tls must be true or false, got ${JSON.stringify(system.use_tls)}.`);
    useTls = parsedTls;
  }
  // Sesam's use_tls upgrades the connection with STARTTLS; on 465 the server expects TLS from the start.
  const security: SmtpProfile['security'] = useTls ? (port === 465 ? 'tls' : 'starttls') : 'none';
  const id = typeof system._id === 'string' ? system._id : undefined;
  const profile: SmtpProfile = { name: options.name ?? id ?? host, host, port, security };

  const user = text('smtp_username');
  if (user) profile.user = user;

  let secret: ImportedSecret | undefined;
  const rawPassword = system.smtp_password;
  if (typeof rawPassword === 'string' && rawPassword !== '') {
    const envOnly = /^\s*\$ENV\(([^)]+)\)\s*$/.exec(rawPassword);
    const secretRef = SECRET_REF.exec(rawPassword);
    if (envOnly) {
      profile.passwordEnv = envOnly[1].trim();
    } else if (secretRef) {
      notes.push(
        `smtp_password is the Sesam secret "${secretRef[1]}", which Mailsmith cannot read: store the password in Mailsmith (it goes to the secret store) or set passwordEnv.`,
      );
    } else {
      // Travels apart from the profile (`secret`); each face says what it does with it.
      secret = { password: rawPassword };
    }
  }

  if (system.max_per_hour !== undefined) {
    const limit = typeof system.max_per_hour === 'number' ? system.max_per_hour : Number(system.max_per_hour);
    if (!Number.isInteger(limit) || limit < 1) return fail(`max_per_hour must be a positive whole number, got ${JSON.stringify(system.max_per_hour)}.`);
    profile.maxPerHour = limit;
  }
  if (security === 'none' && profile.user && !isLoopback(host)) {
    notes.push('use_tls is false, so the password would cross the network in clear; Mailsmith refuses that. Turn on STARTTLS.');
  }
  const unknown = Object.keys(system).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) notes.push(`Ignored properties with no profile equivalent: ${unknown.join(', ')}.`);
  return { ok: true, format: 'sesam', profile, ...(secret ? { secret } : {}), notes };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

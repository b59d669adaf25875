// Profile validation: one issue per field, worded for a person filling a form.
import { envelopeAddressProblem } from '../message/envelope';
import { parseAddressList } from '../message/addresses';
import { AUTH_MECHANISM_NAMES, SECURITY_MODES, isLoopbackHost, type SmtpProfile } from './profile';

export interface ProfileIssue {
  /** The profile field, dotted for nested ones (`defaults.from`, `timeouts.connectMs`). */
  field: string;
  severity: 'error' | 'warning';
  message: string;
}

const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]+\]?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HAS_ENV_REFERENCE = /\$\{env:[A-Za-z_][A-Za-z0-9_]*\}/;

export function validateProfile(profile: Partial<SmtpProfile>): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const error = (field: string, message: string) => issues.push({ field, severity: 'error', message });
  const warn = (field: string, message: string) => issues.push({ field, severity: 'warning', message });
  // Profiles come from settings JSON, files and webviews: anything can arrive, and the core never throws.
  if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) {
    error('', 'A profile is a set of fields (name, host, port, security, ...), not a single value.');
    return issues;
  }

  if (typeof profile.name !== 'string' || profile.name.trim() === '') error('name', 'Give the profile a name.');
  else if (profile.name.length > 100) error('name', 'The name is longer than 100 characters.');

  const host = typeof profile.host === 'string' ? profile.host.trim() : '';
  if (!host) error('host', 'Enter the SMTP server host name, e.g. smtp.example.com.');
  else if (!HAS_ENV_REFERENCE.test(host) && !HOST_NAME.test(host) && !IPV4.test(host) && !(host.includes(':') && IPV6.test(host)))
    error('host', `"${host}" is not a host name or IP address (no scheme, port or path: just the name).`);

  const port = profile.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
    error('port', 'The port is a whole number from 1 to 65535 (usually 587 for STARTTLS, 465 for implicit TLS, 25 for relay).');

  const security = profile.security;
  if (!security || !SECURITY_MODES.includes(security)) {
    error('security', 'Choose a security mode: none, STARTTLS if offered, STARTTLS required, or implicit TLS.');
  } else if (typeof port === 'number') {
    if (security === 'tls' && (port === 25 || port === 587))
      warn('port', `Port ${port} normally speaks STARTTLS, not implicit TLS: the connection will likely hang or fail. Use 465, or STARTTLS.`);
    if ((security === 'starttls' || security === 'starttls-optional') && port === 465)
      warn('port', 'Port 465 normally expects implicit TLS from the first byte: choose "implicit TLS", or port 587.');
  }
  if (security === 'none' && profile.user && host && !isLoopbackHost(host))
    warn('security', 'With no TLS the password would cross the network in clear text: the send is refused. Use STARTTLS or implicit TLS.');

  if (profile.verifyCertificate === false)
    warn('verifyCertificate', 'Certificate checks are off: anyone on the path can read and change the mail. Trust a CA file instead if the server uses its own certificate.');

  if (profile.user !== undefined && typeof profile.user !== 'string') error('user', 'The user is text.');
  if (profile.passwordEnv !== undefined && (typeof profile.passwordEnv !== 'string' || !ENV_NAME.test(profile.passwordEnv)))
    error('passwordEnv', 'The password variable is an environment variable name (letters, digits, underscores).');
  if (profile.auth !== undefined && !AUTH_MECHANISM_NAMES.includes(profile.auth))
    error('auth', `Unknown AUTH mechanism; use one of ${AUTH_MECHANISM_NAMES.join(', ')}.`);
  if (profile.auth && profile.auth !== 'auto' && !profile.user)
    error('user', `AUTH ${profile.auth} needs a user name.`);

  if (profile.ehloName !== undefined && profile.ehloName !== '' && !HOST_NAME.test(profile.ehloName) && !/^\[[0-9a-fA-F:.]+\]$/.test(profile.ehloName))
    error('ehloName', 'The EHLO name is a fully qualified host name or an address literal like [192.0.2.1].');

  if (profile.maxPerHour !== undefined && (!Number.isInteger(profile.maxPerHour) || profile.maxPerHour < 1))
    error('maxPerHour', 'The hourly limit is a whole number of at least 1.');
  if (profile.partialRecipients !== undefined && !['reject', 'accept'].includes(profile.partialRecipients))
    error('partialRecipients', 'Choose "reject" (all recipients or none) or "accept".');

  for (const key of ['connectMs', 'greetingMs', 'socketMs'] as const) {
    const v = profile.timeouts?.[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 100 || v > 600_000))
      error(`timeouts.${key}`, 'A timeout is a whole number of milliseconds from 100 to 600000.');
  }

  // Profiles come from hand-written YAML and settings: a field of the wrong type is an issue, never a throw.
  const defaults: Record<string, unknown> = profile.defaults && typeof profile.defaults === 'object' ? { ...profile.defaults } : {};
  if (profile.defaults !== undefined && (typeof profile.defaults !== 'object' || profile.defaults === null || Array.isArray(profile.defaults)))
    error('defaults', 'Defaults are a mapping of from, to, cc, bcc and subject.');
  for (const key of ['from', 'to', 'cc', 'bcc', 'subject'] as const) {
    if (defaults[key] !== undefined && typeof defaults[key] !== 'string') {
      error(`defaults.${key}`, `The default ${key} is text.`);
      delete defaults[key];
    }
  }
  if (typeof defaults.from === 'string' && defaults.from && !HAS_ENV_REFERENCE.test(defaults.from)) {
    const problem = addressListProblem(defaults.from, false);
    if (problem) error('defaults.from', `Default From: ${problem}`);
  }
  for (const key of ['to', 'cc', 'bcc'] as const) {
    const value = defaults[key];
    if (typeof value === 'string' && value && !HAS_ENV_REFERENCE.test(value)) {
      const problem = addressListProblem(value, true);
      if (problem) error(`defaults.${key}`, `Default ${key === 'to' ? 'To' : key === 'cc' ? 'Cc' : 'Bcc'}: ${problem}`);
    }
  }
  return issues;
}

/** Checks a defaults address list (`;` accepted as a separator, as in Dapr's binding). */
function addressListProblem(text: string, allowMany: boolean): string | undefined {
  const list = parseAddressList(text.replace(/;/g, ','));
  const errors = list.issues.filter((p) => p.severity === 'error');
  if (errors.length) return errors[0].message;
  const addresses = list.mailboxes;
  if (addresses.length === 0) return 'no address found.';
  if (!allowMany && addresses.length > 1) return 'only one address.';
  for (const a of addresses) {
    const p = envelopeAddressProblem(a.envelopeAddress);
    if (p) return p;
  }
  return undefined;
}

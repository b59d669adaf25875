// Profile validation: one issue per field, worded for a person filling a form.
import { envelopeAddressProblem } from '../message/envelope';
import { parseAddressList } from '../message/addresses';
import type { MessageDefaults } from '../message/types';
import { AUTH_MECHANISM_NAMES, DEADLINE_KEYS, OAUTH_PROVIDER_IDS, SECURITY_MODES, isLoopbackHost, usesTokenAuth, type SmtpProfile } from './profile';

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
  // Before anything else: a value with a line break or another control character must never be used, whatever
  // field it is in (a profile value reaches header fields through defaults, the SMTP dialogue through host,
  // user and ehloName, logs and file paths through the rest).
  for (const issue of controlCharacterIssues(profile)) issues.push(issue);

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

  for (const issue of credentialSourceIssues(profile)) issues.push(issue);

  if (profile.ehloName !== undefined && profile.ehloName !== '' && !HOST_NAME.test(profile.ehloName) && !/^\[[0-9a-fA-F:.]+\]$/.test(profile.ehloName))
    error('ehloName', 'The EHLO name is a fully qualified host name or an address literal like [192.0.2.1].');

  if (profile.maxPerHour !== undefined && (!Number.isInteger(profile.maxPerHour) || profile.maxPerHour < 1))
    error('maxPerHour', 'The hourly limit is a whole number of at least 1.');
  if (profile.batchSize !== undefined && (!Number.isInteger(profile.batchSize) || profile.batchSize < 1 || profile.batchSize > 10_000))
    error('batchSize', 'Messages per connection is a whole number from 1 to 10000.');
  if (profile.reloginDelaySeconds !== undefined && (!Number.isInteger(profile.reloginDelaySeconds) || profile.reloginDelaySeconds < 0 || profile.reloginDelaySeconds > 3600))
    error('reloginDelaySeconds', 'The wait before logging in again is a whole number of seconds from 0 to 3600.');
  if (profile.partialRecipients !== undefined && !['reject', 'accept'].includes(profile.partialRecipients))
    error('partialRecipients', 'Choose "reject" (all recipients or none) or "accept".');

  const timeouts = (profile.timeouts && typeof profile.timeouts === 'object' ? profile.timeouts : {}) as Record<string, unknown>;
  for (const key of ['connectMs', 'greetingMs', 'socketMs', 'secretCommandMs'] as const) {
    const v = timeouts[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 100 || v > 600_000))
      error(`timeouts.${key}`, 'A timeout is a whole number of milliseconds from 100 to 600000.');
  }
  for (const key of DEADLINE_KEYS) {
    const v = timeouts[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 100 || v > 3_600_000))
      error(`timeouts.${key}`, 'A deadline is a whole number of milliseconds from 100 to 3600000 (one hour).');
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

const MAX_COMMAND = 4096;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/**
 * Where the credentials come from besides a stored password: a command (passwordCommand, tokenCommand) or an
 * OAuth 2.0 sign-in. One source per profile, and each must fit the AUTH mechanism.
 */
function credentialSourceIssues(profile: Partial<SmtpProfile>): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const error = (field: string, message: string) => issues.push({ field, severity: 'error', message });
  const warn = (field: string, message: string) => issues.push({ field, severity: 'warning', message });
  const tokenAuth = usesTokenAuth(profile);
  // An explicit mechanism without a user is already reported above.
  const userMissing = !profile.user && !(profile.auth && profile.auth !== 'auto');
  for (const key of ['passwordCommand', 'tokenCommand'] as const) {
    const value = profile[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') error(key, `The ${key} is a command line (text), e.g. "pass show mail/work".`);
    else if (value.length > MAX_COMMAND) error(key, `The ${key} is longer than ${MAX_COMMAND} characters.`);
    else if (userMissing) error('user', `A ${key} needs a user: without one there is no AUTH.`);
  }
  if (profile.passwordCommand !== undefined && profile.tokenCommand !== undefined) error('tokenCommand', 'Give a passwordCommand or a tokenCommand, not both.');
  if (profile.passwordCommand !== undefined && tokenAuth) error('passwordCommand', `AUTH ${profile.auth} takes an access token: use tokenCommand instead of passwordCommand.`);
  if (profile.tokenCommand !== undefined && profile.auth !== undefined && profile.auth !== 'auto' && !tokenAuth)
    error('tokenCommand', `A tokenCommand gives an OAuth 2.0 access token: choose AUTH XOAUTH2 or OAUTHBEARER, not ${profile.auth}.`);

  const oauth = profile.oauth as unknown;
  if (oauth === undefined) return issues;
  if (typeof oauth !== 'object' || oauth === null || Array.isArray(oauth)) {
    error('oauth', 'oauth is a mapping of provider, clientId, scopes, ... (see the README).');
    return issues;
  }
  const o = oauth as Record<string, unknown>;
  if (profile.passwordCommand !== undefined || profile.tokenCommand !== undefined) error('oauth', 'Give oauth or a credential command, not both: each is a way to get the credentials.');
  if (profile.auth !== undefined && profile.auth !== 'auto' && !tokenAuth) error('auth', `An OAuth 2.0 sign-in gives an access token: choose AUTH XOAUTH2 or OAUTHBEARER, not ${profile.auth}.`);
  if (userMissing) error('user', 'OAuth 2.0 needs the user (the mailbox address): XOAUTH2 and OAUTHBEARER send it with the token.');
  const provider = o.provider ?? 'custom';
  if (!OAUTH_PROVIDER_IDS.includes(provider as never)) error('oauth.provider', `Unknown OAuth provider; use one of ${OAUTH_PROVIDER_IDS.join(', ')}.`);
  for (const key of ['clientId', 'clientSecretEnv', 'authorizeUrl', 'tokenUrl', 'deviceUrl', 'scopes', 'tenant', 'refreshTokenEnv'])
    if (o[key] !== undefined && typeof o[key] !== 'string') error(`oauth.${key}`, `oauth.${key} is text.`);
  if (o.vscodeAccount !== undefined && typeof o.vscodeAccount !== 'boolean') error('oauth.vscodeAccount', 'oauth.vscodeAccount is true or false.');
  const text = (key: string) => (typeof o[key] === 'string' ? (o[key] as string).trim() : '');
  if (!text('clientId') && o.vscodeAccount !== true)
    error('oauth.clientId', provider === 'custom' ? 'Give the client ID registered with the provider.' : `Give the client ID of your own app registration with ${provider === 'microsoft' ? 'Microsoft' : 'Google'} (see the README: the provider requires one).`);
  for (const key of ['clientSecretEnv', 'refreshTokenEnv'])
    if (text(key) && !ENV_NAME.test(text(key))) error(`oauth.${key}`, `oauth.${key} is an environment variable name (letters, digits, underscores).`);
  for (const key of ['authorizeUrl', 'tokenUrl', 'deviceUrl']) {
    const problem = text(key) ? endpointProblem(text(key)) : undefined;
    if (problem) error(`oauth.${key}`, `oauth.${key}: ${problem}`);
  }
  if (provider === 'custom') {
    if (!text('tokenUrl')) error('oauth.tokenUrl', "Give the provider's token endpoint.");
    if (!text('authorizeUrl') && !text('deviceUrl') && !text('refreshTokenEnv'))
      error('oauth.authorizeUrl', "Give the provider's authorization endpoint (or its device authorization endpoint) so that you can sign in.");
  }
  if (text('tenant') && provider !== 'microsoft') warn('oauth.tenant', 'The tenant is used with Microsoft only.');
  else if (text('tenant') && !TENANT.test(text('tenant'))) error('oauth.tenant', 'The tenant is common, consumers, organizations, or a tenant ID or domain.');
  if (o.vscodeAccount === true && provider !== 'microsoft') warn('oauth.vscodeAccount', "VS Code's account provider is used for Microsoft only.");
  return issues;
}

/** RFC 6749 sections 3.1 and 3.2 require TLS at both endpoints; plain HTTP only to this machine (tests, local proxies). */
function endpointProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL.';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'use an https:// URL (plain http only to this machine).';
}

/**
 * Message defaults on their own (`mailsmith prepare --defaults F`): the same rules as a profile's
 * `defaults`, fields named without the `defaults.` prefix.
 */
export function validateMessageDefaults(defaults: MessageDefaults): ProfileIssue[] {
  return validateProfile({ name: 'defaults', host: 'localhost', port: 25, security: 'none', defaults })
    .filter((i) => i.field.startsWith('defaults'))
    .map((i) => ({ ...i, field: i.field.replace(/^defaults\.?/, '') }));
}

// C0 controls (CR and LF among them), DEL, C1 controls, and the Unicode line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** One issue per string field (at any depth) that holds a control character, naming the first one. */
function controlCharacterIssues(profile: object): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const walk = (value: unknown, field: string, depth: number) => {
    if (typeof value === 'string') {
      const found = CONTROL.exec(value);
      if (found) {
        const code = found[0].charCodeAt(0);
        const name = CONTROL_NAMES[code] ?? 'a control character';
        issues.push({
          field,
          severity: 'error',
          message: `The ${field || 'value'} contains ${name} (U+${code.toString(16).toUpperCase().padStart(4, '0')}) at character ${found.index + 1}: line breaks and control characters are not allowed, since they could add header fields or SMTP commands.`,
        });
      }
    } else if (value && typeof value === 'object' && depth < 4) {
      for (const [key, v] of Object.entries(value)) walk(v, field ? `${field}.${key}` : key, depth + 1);
    }
  };
  walk(profile, '', 0);
  return issues;
}

const CONTROL_NAMES: Record<number, string> = {
  0x00: 'a NUL character',
  0x09: 'a tab',
  0x0a: 'a line feed',
  0x0d: 'a carriage return',
  0x1b: 'an escape character',
  0x7f: 'a DEL character',
  0x85: 'a next-line character',
  0x2028: 'a line separator',
  0x2029: 'a paragraph separator',
};

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

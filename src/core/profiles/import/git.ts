// git send-email's settings as a profile: sendemail.smtpServer, smtpServerPort, smtpEncryption (ssl = implicit
// TLS, tls = STARTTLS), smtpUser, smtpPass, smtpAuth, smtpDomain, smtpSslCertPath, smtpBatchSize,
// smtpReloginDelay, from, to, cc, bcc, with sendemail.<identity>.* winning over sendemail.* for the identity
// chosen (sendemail.identity, or the one named). The input is a git config file (~/.gitconfig, .git/config)
// or `git config -l` output; or, read through git itself, a repository's whole config
// (readGitSendemailProfile) with the password from git's credential helpers.
import type { SmtpProfile } from '../profile';
import { AUTH_MECHANISMS, type AuthMechanism, type ImportOptions, type ImportResult, type ImportedSecret, parsePort } from './types';

export interface GitConfigEntry {
  /** `section.var` or `section.subsection.var`: section and var lowercased, the subsection as written. */
  key: string;
  value: string | undefined;
}

export interface GitImportOptions extends ImportOptions {
  /** sendemail.<identity>.* to use (default: sendemail.identity). */
  identity?: string;
}

/** Looks like git config text with sendemail settings (an INI section or `git config -l` lines). */
export function isGitSendemailConfig(text: string): boolean {
  return /^\s*\[\s*sendemail\b/im.test(text) || /^sendemail\.[^=\s]+=/im.test(text);
}

export function importGitText(text: string, options: GitImportOptions = {}): ImportResult {
  const entries = /^\s*\[/m.test(text) ? parseGitConfigFile(text) : parseGitConfigList(text);
  if (!entries.ok) return { ok: false, format: 'git', error: entries.error };
  return importGitConfig(entries.entries, options);
}

/** `git config -l` lines: key=value (a key alone is a boolean true). */
export function parseGitConfigList(text: string): { ok: true; entries: GitConfigEntry[] } {
  const entries: GitConfigEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    entries.push(eq === -1 ? { key: canonicalKey(line.trim()), value: undefined } : { key: canonicalKey(line.slice(0, eq).trim()), value: line.slice(eq + 1) });
  }
  return { ok: true, entries };
}

/** A git config file (git-config(1) "Syntax"): sections, quoted subsections, quoted values, escapes, comments. */
export function parseGitConfigFile(text: string): { ok: true; entries: GitConfigEntry[] } | { ok: false; error: string } {
  const entries: GitConfigEntry[] = [];
  let section: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const header = /^\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(?:[#;].*)?$/.exec(line);
    if (header) {
      const [name, ...rest] = header[1].split('.');
      const sub = header[2] !== undefined ? header[2].replace(/\\(.)/g, '$1') : rest.length ? rest.join('.').toLowerCase() : undefined;
      section = sub !== undefined ? `${name.toLowerCase()}.${sub}` : name.toLowerCase();
      continue;
    }
    if (/^\s*([#;].*)?$/.test(line)) continue;
    const item = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*(=?)(.*)$/.exec(line);
    if (!item || !section) return { ok: false, error: `line ${n + 1} of the git config is not "name = value" inside a [section]: ${JSON.stringify(line.slice(0, 60))}` };
    if (!item[2]) {
      entries.push({ key: `${section}.${item[1].toLowerCase()}`, value: undefined });
      continue;
    }
    let raw = item[3];
    // A backslash at the end of a line continues the value on the next one.
    while (/(^|[^\\])(\\\\)*\\$/.test(raw) && n + 1 < lines.length) raw = raw.slice(0, -1) + lines[++n];
    const value = unquote(raw);
    if (value === undefined) return { ok: false, error: `line ${n + 1} of the git config has an unterminated quote or a bad escape` };
    entries.push({ key: `${section}.${item[1].toLowerCase()}`, value });
  }
  return { ok: true, entries };
}

function unquote(raw: string): string | undefined {
  let out = '';
  let quoted = false;
  let pendingSpace = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      const next = raw[++i];
      const escaped = ({ n: '\n', t: '\t', b: '\b', '"': '"', '\\': '\\' } as Record<string, string>)[next];
      if (escaped === undefined) return undefined;
      out += pendingSpace + escaped;
      pendingSpace = '';
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '#' || c === ';')) break;
    else if (!quoted && (c === ' ' || c === '\t')) pendingSpace += out ? c : '';
    else {
      out += pendingSpace + c;
      pendingSpace = '';
    }
  }
  return quoted ? undefined : out;
}

function canonicalKey(key: string): string {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first === -1) return key.toLowerCase();
  return `${key.slice(0, first).toLowerCase()}${key.slice(first, last)}.${key.slice(last + 1).toLowerCase()}`;
}

/** Settings a profile has no place for: `mailsmith series` reads them from git config itself. */
const SERIES_SETTINGS = new Set(['tocmd', 'cccmd', 'suppresscc', 'thread', 'chainreplyto', 'identity', 'confirm', 'validate', 'annotate', 'xmailer', 'suppressfrom', 'signedoffbycc', 'signedoffcc', 'transferencoding', 'envelopesender', 'multiedit', 'aliasesfile', 'aliasfiletype', 'smtpserveroption', 'forbidsendmailvariables', 'cccover', 'tocover', 'assume8bitencoding', 'composeencoding']);

export function importGitConfig(entries: readonly GitConfigEntry[], options: GitImportOptions = {}): ImportResult {
  const fail = (error: string): ImportResult => ({ ok: false, format: 'git', error });
  const sendemail = entries.filter((e) => e.key.startsWith('sendemail.'));
  if (sendemail.length === 0) return fail('The git config holds no sendemail.* settings.');
  const identity = options.identity ?? sendemail.filter((e) => e.key === 'sendemail.identity').at(-1)?.value;
  const of = (key: string): GitConfigEntry[] => {
    const named = identity ? sendemail.filter((e) => e.key === `sendemail.${identity}.${key}`) : [];
    return named.length ? named : sendemail.filter((e) => e.key === `sendemail.${key}`);
  };
  const last = (key: string) => of(key).at(-1)?.value?.trim();
  const notes: string[] = [];
  if (identity && !sendemail.some((e) => e.key.startsWith(`sendemail.${identity}.`))) notes.push(`There are no sendemail.${identity}.* settings; the plain sendemail.* ones were used.`);

  const server = last('smtpserver');
  if (!server) return fail(`No sendemail${identity ? `.${identity}` : ''}.smtpServer is set: there is no SMTP server to import.`);
  if (server.startsWith('/') || /^[A-Za-z]:[\\/]/.test(server)) return fail(`sendemail.smtpServer is the program ${server} (a sendmail), not an SMTP server: Mailsmith sends over SMTP only.`);
  const encryption = (last('smtpencryption') ?? '').toLowerCase();
  const security: SmtpProfile['security'] = encryption === 'ssl' ? 'tls' : encryption === 'tls' ? 'starttls' : 'none';
  if (encryption && !['ssl', 'tls', 'none'].includes(encryption)) notes.push(`smtpEncryption "${encryption}" is not ssl or tls: imported as no encryption.`);
  const rawPort = last('smtpserverport');
  const port = rawPort ? parsePort(rawPort) : security === 'tls' ? 465 : 25;
  if (port === undefined) return fail(`sendemail.smtpServerPort "${rawPort}" is not a port (1 to 65535).`);
  const profile: SmtpProfile = { name: options.name ?? identity ?? server, host: server, port, security };
  const user = last('smtpuser');
  if (user) profile.user = user;
  const auth = (last('smtpauth') ?? '').split(/\s+/).filter(Boolean).map((m) => m.toUpperCase());
  const known = auth.filter((m) => (AUTH_MECHANISMS as readonly string[]).includes(m)) as AuthMechanism[];
  if (known.length === 1) profile.auth = known[0];
  else if (auth.length) notes.push(`smtpAuth lists ${auth.join(' ')}; Mailsmith picks the strongest the server offers among those it supports.`);
  const domain = last('smtpdomain');
  if (domain) profile.ehloName = domain;
  const certPath = of('smtpsslcertpath').at(-1);
  if (certPath && (certPath.value ?? '') === '') {
    profile.verifyCertificate = false;
    notes.push('smtpSslCertPath is empty, which turns certificate checks off; so does the profile. Prefer a CA file (caFile).');
  } else if (certPath?.value) profile.caFile = certPath.value.replace(/^~(?=\/)/, process.env.HOME ?? '~');
  // The server's limit on messages per connection belongs to the server, so to the profile.
  const batch = last('smtpbatchsize');
  if (batch !== undefined && batch !== '') {
    if (/^\d+$/.test(batch) && Number(batch) >= 1 && Number(batch) <= 10_000) profile.batchSize = Number(batch);
    else if (batch !== '0') notes.push(`smtpBatchSize "${batch}" is not a number of messages from 1 to 10000: not imported.`);
  }
  const relogin = last('smtprelogindelay');
  if (relogin !== undefined && relogin !== '') {
    if (/^\d+$/.test(relogin) && Number(relogin) <= 3600) profile.reloginDelaySeconds = Number(relogin);
    else notes.push(`smtpReloginDelay "${relogin}" is not a number of seconds from 0 to 3600: not imported.`);
  }
  const defaults: NonNullable<SmtpProfile['defaults']> = {};
  const from = last('from');
  if (from) defaults.from = from;
  for (const key of ['to', 'cc', 'bcc'] as const) {
    const values = of(key).map((e) => e.value?.trim() ?? '').filter(Boolean);
    if (values.length) defaults[key] = values.join(', ');
  }
  if (Object.keys(defaults).length) profile.defaults = defaults;
  let secret: ImportedSecret | undefined;
  const password = of('smtppass').at(-1)?.value;
  if (password) secret = { password };
  if (security === 'none' && profile.user && !/^(localhost|127\.|::1$)/.test(server)) notes.push('No smtpEncryption is set, so the password would cross the network in clear; Mailsmith refuses that. Choose STARTTLS or TLS.');
  const series = [...new Set(sendemail.map((e) => e.key.split('.').pop() as string).filter((k) => SERIES_SETTINGS.has(k) && k !== 'identity'))];
  if (series.length) notes.push(`Not part of a profile, read by "mailsmith series" from git config itself: ${series.join(', ')}.`);
  return { ok: true, format: 'git', profile, ...(secret ? { secret } : {}), notes };
}

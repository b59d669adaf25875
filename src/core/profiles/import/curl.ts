// curl's SMTP support (https://everything.curl.dev/usingcurl/smtp.html): the URL names the server and the
// EHLO name (`smtp://host:port/ehlo-name`), smtps:// is implicit TLS, `--ssl` tries STARTTLS and carries on
// in clear, `--ssl-reqd` requires it, `--user u:p` logs in, `--mail-from`/`--mail-rcpt` give the envelope.
import type { MessageDefaults } from '../../message/types';
import type { SmtpProfile } from '../profile';
import { splitShellWords } from './shellWords';
import { AUTH_MECHANISMS, type AuthMechanism, type ImportOptions, type ImportResult, type ImportedSecret, parsePort } from './types';

/** curl options that take a value, so the value is not mistaken for the URL. */
const SHORT_WITH_VALUE = new Set('ATbcCdDeEFHKmoPQrtuUwxXYyz'.split(''));
const LONG_WITH_VALUE = new Set([
  'url', 'user', 'mail-from', 'mail-rcpt', 'mail-auth', 'upload-file', 'login-options', 'oauth2-bearer', 'cacert', 'capath',
  'cert', 'key', 'pass', 'connect-timeout', 'max-time', 'output', 'header', 'form', 'data', 'proxy', 'resolve', 'interface',
  'sasl-authzid', 'config', 'trace', 'trace-ascii', 'stderr', 'user-agent', 'retry', 'retry-delay', 'retry-max-time',
  'local-port', 'dns-servers', 'connect-to', 'ciphers', 'tls-max', 'expect100-timeout', 'limit-rate', 'request', 'referer',
]);
/** Options that change nothing a profile records; accepted without a note. */
const SILENT = new Set(['v', 's', 'S', 'verbose', 'silent', 'show-error', 'crlf', 'mail-rcpt-allowfails', 'sasl-ir', 'no-progress-meter', 'trace', 'trace-ascii', 'stderr', 'output', 'o']);

export function importCurl(input: string, options: ImportOptions = {}): ImportResult {
  const fail = (error: string): ImportResult => ({ ok: false, format: 'curl', error });
  const split = splitShellWords(input.trim().replace(/^\$\s+/, ''));
  if (!split.ok) return fail(`The command line cannot be read: ${split.error}`);
  const words = split.words;
  if (words.length === 0) return fail('The command line is empty.');
  if (/(^|[\\/])curl(\.exe)?$/i.test(words[0])) words.shift();

  const notes: string[] = [];
  const urls: string[] = [];
  const rcpts: string[] = [];
  let from: string | undefined;
  let userPass: string | undefined;
  let ssl: 'optional' | 'required' | undefined;
  let insecure = false;
  let caFile: string | undefined;
  let auth: AuthMechanism | undefined;
  let token: string | undefined;
  const ignored: string[] = [];

  const apply = (name: string, value: string | undefined, shown: string): string | undefined => {
    switch (name) {
      case 'url': urls.push(value!); break;
      case 'u': case 'user': userPass = value; break;
      case 'mail-from': from = stripAngles(value!); break;
      case 'mail-rcpt': rcpts.push(stripAngles(value!)); break;
      case 'ssl': case 'ftp-ssl': ssl ??= 'optional'; break;
      case 'ssl-reqd': case 'ftp-ssl-reqd': ssl = 'required'; break;
      case 'k': case 'insecure': insecure = true; break;
      case 'cacert': caFile = value; break;
      case 'oauth2-bearer': token = value; auth = 'XOAUTH2'; break;
      case 'login-options': {
        const mech = /^AUTH=([\w-]+)$/i.exec(value!.trim())?.[1].toUpperCase();
        const known = AUTH_MECHANISMS.find((m) => m.toUpperCase() === mech);
        if (mech === '*') auth = 'auto';
        else if (known) auth = known;
        else return `--login-options "${value}" is not a mechanism Mailsmith supports (${AUTH_MECHANISMS.join(', ')}).`;
        break;
      }
      case 'T': case 'upload-file':
        notes.push(`The message file "${value}" is not part of a profile: send it with "mailsmith send ${value}".`);
        break;
      default:
        if (!SILENT.has(name)) ignored.push(shown);
    }
    return undefined;
  };

  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq > 0 ? eq : undefined);
      let value: string | undefined = eq > 0 ? word.slice(eq + 1) : undefined;
      if (LONG_WITH_VALUE.has(name) && value === undefined) {
        value = words[++i];
        if (value === undefined) return fail(`Option --${name} needs a value.`);
      }
      const error = apply(name, value, `--${name}`);
      if (error) return fail(error);
    } else if (word.startsWith('-') && word.length > 1) {
      // A cluster of short flags (-sSk); a flag taking a value ends it (-uuser:pass or -u user:pass).
      for (let j = 1; j < word.length; j++) {
        const flag = word[j];
        if (SHORT_WITH_VALUE.has(flag)) {
          const value = j + 1 < word.length ? word.slice(j + 1) : words[++i];
          if (value === undefined) return fail(`Option -${flag} needs a value.`);
          const error = apply(flag, value, `-${flag}`);
          if (error) return fail(error);
          break;
        }
        const error = apply(flag, undefined, `-${flag}`);
        if (error) return fail(error);
      }
    } else {
      urls.push(word);
    }
  }

  const smtpUrls = urls.filter((u) => /^smtps?:\/\//i.test(u));
  if (smtpUrls.length === 0) {
    return fail(
      urls.length > 0
        ? `"${urls[0]}" is not an SMTP URL: expected smtp://host[:port][/ehlo-name] or smtps://host[:port].`
        : 'No SMTP URL found: expected smtp://host[:port][/ehlo-name] or smtps://host[:port].',
    );
  }
  if (smtpUrls.length > 1) notes.push(`Several URLs given; imported the first (${smtpUrls[0]}).`);
  let url: URL;
  try {
    url = new URL(smtpUrls[0]);
  } catch {
    return fail(`"${smtpUrls[0]}" is not a valid URL.`);
  }
  const implicitTls = url.protocol.toLowerCase() === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return fail(`"${smtpUrls[0]}" has no host.`);
  const port = url.port ? parsePort(url.port) : implicitTls ? 465 : 25;
  if (port === undefined) return fail(`"${url.port}" is not a valid port.`);

  const security: SmtpProfile['security'] = implicitTls ? 'tls' : ssl === 'required' ? 'starttls' : ssl === 'optional' ? 'starttls-optional' : 'none';
  if (security === 'starttls-optional') {
    notes.push('--ssl uses STARTTLS only if the server offers it and otherwise continues in clear; consider "STARTTLS required" (--ssl-reqd).');
  }
  const profile: SmtpProfile = { name: options.name ?? host, host, port, security };
  const ehlo = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (ehlo) profile.ehloName = ehlo;
  if (insecure) {
    profile.verifyCertificate = false;
    notes.push('-k/--insecure turns certificate verification off. Trusting the server\'s CA file (--cacert / caFile) is safer.');
  }
  if (caFile) profile.caFile = caFile;

  let secret: ImportedSecret | undefined;
  // --user wins over credentials in the URL, as in curl.
  const credentials = userPass !== undefined ? splitUserPass(userPass) : url.username ? { user: decodeURIComponent(url.username), password: url.password ? decodeURIComponent(url.password) : undefined } : undefined;
  if (credentials?.user) profile.user = credentials.user;
  // A password or token in the input travels apart (`secret`); each face says what it does with it.
  if (credentials?.password) secret = { password: credentials.password };
  if (token) secret = { ...secret, accessToken: token };
  if (auth) profile.auth = auth;

  const defaults: MessageDefaults = {};
  if (from) defaults.from = from;
  if (rcpts.length > 0) defaults.to = rcpts.join(', ');
  if (Object.keys(defaults).length > 0) profile.defaults = defaults;
  if (ignored.length > 0) notes.push(`Ignored options with no profile equivalent: ${[...new Set(ignored)].join(', ')}.`);
  return { ok: true, format: 'curl', profile, ...(secret ? { secret } : {}), notes };
}

/** curl splits --user at the first colon; without one it would prompt for the password. */
function splitUserPass(value: string): { user: string; password?: string } {
  const colon = value.indexOf(':');
  return colon < 0 ? { user: value } : { user: value.slice(0, colon), password: value.slice(colon + 1) || undefined };
}

function stripAngles(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
}

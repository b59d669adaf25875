// Credentials must never reach a log line, an outcome, a doctor report or a stored history. nodemailer
// masks the password in its transaction log, but not the user name inside AUTH PLAIN/LOGIN payloads,
// nor CRAM-MD5 responses; and a server's reply can quote what the client sent (some echo the AUTH
// payload in their 535). So every text that leaves a session goes through `DialogueRedactor.shown`:
// credentials removed by value (raw, URL-encoded and inside any base64), then terminal escape sequences
// and control characters removed (see ./sanitize.ts), so a server cannot drive the user's terminal.
import type { SmtpSecret } from '../profiles/profile';
import type { Logger } from '../types';
import { sanitizeForDisplay } from './sanitize';

export const REDACTED = '<redacted>';

/** Tracks the AUTH exchange so that the continuation lines that carry credentials are hidden. */
export class DialogueRedactor {
  /** Client lines still to hide: the SASL continuation responses of AUTH LOGIN / CRAM-MD5 / PLAIN. */
  private inAuthExchange = false;
  private readonly secret: SmtpSecret;
  /** Every user name the session may put in a SASL payload. */
  private readonly users: string[] = [];
  private needles: SecretNeedles;

  /** `user` may come from a raw profile (the doctor's): anything but a string is no user name. */
  constructor(user: unknown, secret: SmtpSecret | undefined) {
    this.secret = secret ?? {};
    this.needles = secretNeedleSet(this.users, this.secret);
    this.addUser(user);
  }

  /** Also hides the SASL payloads built with this user name (a profile's `${env:USER}`, once expanded). */
  addUser(user: unknown): void {
    if (typeof user !== 'string') return;
    this.users.push(user);
    this.needles = secretNeedleSet(this.users, this.secret);
  }

  client(line: string): string {
    // The mechanism, and whether anything follows it: an initial response (PLAIN, XOAUTH2, OAUTHBEARER,
    // LOGIN with the user) holds credentials, and so may every later client line of the exchange.
    const auth = /^AUTH\s+(\S+)(\s+\S)?/i.exec(line);
    if (auth) {
      this.inAuthExchange = true;
      return `AUTH ${auth[1].toUpperCase()}${auth[2] ? ' ' + REDACTED : ''}`;
    }
    if (this.inAuthExchange) return REDACTED;
    return this.scrub(line);
  }

  server(line: string): string {
    // Any reply but a 334 challenge ends the SASL exchange (RFC 4954 section 4); a reply code is three
    // digits followed by a space, a hyphen or the end of the line (RFC 5321 section 4.2).
    if (this.inAuthExchange && !/^334(?:[ -]|$)/.test(line)) this.inAuthExchange = false;
    return this.scrub(line);
  }

  scrub(text: string): string {
    return scrubNeedles(text, this.needles);
  }

  /**
   * The one way text from a session leaves it (outcomes, reasons, replies, doctor steps, log lines):
   * secrets removed, then escapes and control characters, then secrets again (removing a control
   * character could join the two halves of one).
   */
  shown(text: unknown): string {
    return this.scrub(sanitizeForDisplay(this.scrub(String(text ?? ''))));
  }

  /** Every string inside a value (an outcome, a report) passed through `shown`; the shape is kept. */
  shownDeep<T>(value: T): T {
    return mapStrings(value, (s) => this.shown(s), 0);
  }

  /** A logger that shows every line through `shown`. */
  logger(target: Logger): Logger {
    return {
      trace: (m) => target.trace(this.shown(m)),
      debug: (m) => target.debug(this.shown(m)),
      info: (m) => target.info(this.shown(m)),
      warn: (m) => target.warn(this.shown(m)),
      error: (m) => target.error(this.shown(m)),
    };
  }
}

interface SecretNeedles {
  /** Searched for as they are (raw and URL-encoded credentials). */
  plain: string[];
  /** Searched for inside base64 runs; a run that holds one is removed whole. */
  base64: string[];
}

/** Every form in which a credential could appear: raw, URL-encoded, and the base64 of anything holding it. */
export function secretNeedles(user: string | undefined, secret: SmtpSecret): string[] {
  const { plain, base64 } = secretNeedleSet(user ? [user] : [], secret);
  return [...new Set([...plain, ...base64])].sort((a, b) => b.length - a.length);
}

function secretNeedleSet(users: readonly string[], secret: SmtpSecret): SecretNeedles {
  const plain = new Set<string>();
  const base64 = new Set<string>();
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const addPlain = (s: string) => {
    // Very short values would blank out ordinary words; credentials are never that short in practice.
    if (s.length >= 4) plain.add(s);
  };
  const addBase64 = (s: string) => {
    // Under 4 characters is no base64 group at all (a secret's third core can be empty).
    if (s.length < 4) return;
    base64.add(s);
    base64.add(s.replace(/\+/g, '-').replace(/\//g, '_')); // base64url
  };
  const values = [secret.password, secret.accessToken];
  if (secret.related) values.push(...secret.related);
  for (const value of values) {
    if (!value) continue;
    addPlain(value);
    addPlain(encodeURIComponent(value));
    if (value.length < 4) continue;
    for (const core of base64Cores(Buffer.from(value, 'utf8'))) addBase64(core);
    // The exact SASL payloads too (RFC 4616 PLAIN, XOAUTH2, HTTP Basic), whole. OAUTHBEARER's (RFC 7628)
    // also names the host and port: the token's base64 cores above find it at any alignment.
    addBase64(b64(value));
    for (const user of users) {
      addBase64(b64(`\u0000${user}\u0000${value}`));
      addBase64(b64(`${user}\u0000${user}\u0000${value}`));
      addBase64(b64(`user=${user}\u0001auth=Bearer ${value}\u0001\u0001`));
      addBase64(b64(`${user}:${value}`));
    }
  }
  for (const user of users) if (user.length >= 4) addBase64(b64(user));
  const longestFirst = (set: Set<string>) => [...set].sort((a, b) => b.length - a.length);
  return { plain: longestFirst(plain), base64: longestFirst(base64) };
}

/**
 * Base64 works in groups of 3 bytes. Wherever a secret sits inside a larger payload, the groups that
 * hold only its bytes encode the same way, at one of three alignments: these are the needles that find
 * it inside any base64 (an echoed AUTH PLAIN payload, a token inside a JSON blob, ...). Each is the
 * secret from `offset`, cut to whole groups; the last is empty for a secret of 4 bytes.
 */
function base64Cores(bytes: Buffer): string[] {
  return [0, 1, 2].map((offset) => bytes.subarray(offset, bytes.length - ((bytes.length - offset) % 3)).toString('base64'));
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{4,}={0,2}/g;

export function scrubSecrets(text: string, needles: readonly string[]): string {
  return scrubNeedles(text, { plain: [...needles], base64: [...needles] });
}

function scrubNeedles(text: string, needles: SecretNeedles): string {
  let result = text;
  // Base64 runs first, and the whole run goes, not only the matching part: its edges still encode bits of
  // the secret (a needle that is also searched for as it is, as in scrubSecrets, would leave them behind).
  result = result.replace(BASE64_RUN, (run) => (needles.base64.some((n) => run.includes(n)) ? REDACTED : run));
  // Every copy, not just the first: split/join replaces them all.
  for (const needle of needles.plain) result = result.split(needle).join(REDACTED);
  return result;
}

function mapStrings<T>(value: T, f: (s: string) => string, depth: number): T {
  if (typeof value === 'string') return f(value) as T;
  if (value === null || typeof value !== 'object') return value;
  // Deeper than any outcome or report goes (or a cycle): hidden whole, so that no string inside leaves unscrubbed.
  if (depth > 8) return REDACTED as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = mapStrings(v, f, depth + 1);
  return out as T;
}

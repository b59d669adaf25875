// Credentials must never reach a log line or an error message. nodemailer masks the password in its
// transaction log, but not the user name inside AUTH PLAIN/LOGIN payloads, nor CRAM-MD5 responses; and
// an error message can echo a server reply. So we redact again here, by protocol state and by value.
import type { SmtpSecret } from '../profiles/profile';

const REDACTED = '<redacted>';

/** Tracks the AUTH exchange so that the continuation lines that carry credentials are hidden. */
export class DialogueRedactor {
  /** Client lines still to hide: the SASL continuation responses of AUTH LOGIN / CRAM-MD5 / PLAIN. */
  private inAuthExchange = false;
  private readonly needles: string[];

  constructor(user: string | undefined, secret: SmtpSecret) {
    this.needles = secretNeedles(user, secret);
  }

  client(line: string): string {
    const auth = /^AUTH\s+(\S+)(\s+.*)?$/i.exec(line);
    if (auth) {
      // Initial responses (PLAIN, XOAUTH2, LOGIN with user) hold credentials; later lines may too.
      this.inAuthExchange = true;
      return `AUTH ${auth[1].toUpperCase()}${auth[2] ? ' ' + REDACTED : ''}`;
    }
    if (this.inAuthExchange) return REDACTED;
    return this.scrub(line);
  }

  server(line: string): string {
    // Any reply but a 334 challenge ends the SASL exchange (RFC 4954 section 4).
    if (this.inAuthExchange && !/^334[ -]?/.test(line)) this.inAuthExchange = false;
    return this.scrub(line);
  }

  scrub(text: string): string {
    return scrubSecrets(text, this.needles);
  }
}

/** Every form in which a credential could appear: raw, and base64 of the SASL payloads that hold it. */
export function secretNeedles(user: string | undefined, secret: SmtpSecret): string[] {
  const out = new Set<string>();
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const add = (s: string | undefined) => {
    // Very short values would blank out ordinary words; credentials are never that short in practice.
    if (s && s.length >= 4) out.add(s);
  };
  for (const value of [secret.password, secret.accessToken]) {
    if (!value) continue;
    add(value);
    add(b64(value));
    add(encodeURIComponent(value));
    if (user) {
      add(b64(`\u0000${user}\u0000${value}`));
      add(b64(`${user}\u0000${user}\u0000${value}`));
      add(b64(`user=${user}\u0001auth=Bearer ${value}\u0001\u0001`));
      add(b64(`${user}:${value}`));
    }
  }
  if (user) add(b64(user));
  // Longest first, so a base64 form is replaced whole before a shorter needle could split it.
  return [...out].sort((a, b) => b.length - a.length);
}

export function scrubSecrets(text: string, needles: readonly string[]): string {
  let result = text;
  for (const needle of needles) {
    if (result.includes(needle)) result = result.split(needle).join(REDACTED);
  }
  return result;
}

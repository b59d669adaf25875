// One SMTP session through nodemailer's SMTPConnection, with its transaction log turned into redacted
// `C:`/`S:` lines and with enough state kept to say at which stage it stopped.
// SMTPConnection is used directly (not a transport) so that we decide, between EHLO and AUTH, whether
// credentials may be sent at all, and whether the server offers what the profile requires.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { DEFAULT_TIMEOUTS, isLoopbackHost, type SmtpProfile, type SmtpSecret } from '../profiles/profile';
import { silentLogger, type Logger } from '../types';
import { DialogueRedactor } from './redact';

/** What the dialogue showed so far: read by the outcome classifier. */
export interface SessionFacts {
  greeting?: string;
  ehloLines: string[];
  offersStartTls: boolean;
  tls?: { protocol: string; cipher: string; subject?: string; issuer?: string; validTo?: string };
  lastClientCommand?: string;
  dataAccepted: boolean;
  /** The message and its final dot were handed to the socket. */
  messageEnded: boolean;
}

export interface Session {
  connection: SMTPConnection;
  facts: SessionFacts;
  redactor: DialogueRedactor;
  log: Logger;
}

type LogEntry = { tnx?: string; outByteCount?: number } | undefined;

export function openSession(profile: SmtpProfile, secret: SmtpSecret, logger: Logger = silentLogger): { session: Session; caError?: string } {
  const redactor = new DialogueRedactor(profile.user, secret);
  const facts: SessionFacts = { ehloLines: [], offersStartTls: false, dataAccepted: false, messageEnded: false };
  const log = redactingLogger(logger, redactor);
  let ca: string | undefined;
  let caError: string | undefined;
  if (profile.caFile) {
    try {
      ca = readFileSync(profile.caFile, 'utf8');
    } catch (err) {
      caError = `cannot read the CA file "${profile.caFile}": ${(err as Error).message}`;
    }
  }
  const timeouts = { ...DEFAULT_TIMEOUTS, ...profile.timeouts };
  let sawEhlo = false;
  const nodemailerLogger = {
    level: () => undefined,
    trace: () => undefined,
    debug: (entry: LogEntry, message: string, ...args: unknown[]) => onEntry(entry, format(message, args)),
    info: (entry: LogEntry, message: string, ...args: unknown[]) => onEntry(entry, format(message, args)),
    warn: (entry: LogEntry, message: string, ...args: unknown[]) => onEntry(entry, format(message, args)),
    error: (entry: LogEntry, message: string, ...args: unknown[]) => onEntry(entry, format(message, args)),
    fatal: (entry: LogEntry, message: string, ...args: unknown[]) => onEntry(entry, format(message, args)),
  };
  function onEntry(entry: LogEntry, message: string) {
    switch (entry?.tnx) {
      case 'client':
        for (const line of message.split(/\r?\n/)) {
          const shown = redactor.client(line);
          facts.lastClientCommand = shown.split(' ')[0].toUpperCase();
          if (/^EHLO\b/i.test(line)) {
            // Only the latest EHLO reply counts: after STARTTLS the server may offer more (RFC 3207 section 4.2).
            sawEhlo = true;
            facts.ehloLines = [];
          }
          log.info(`C: ${shown}`);
        }
        break;
      case 'server':
        for (const line of message.split(/\r?\n/)) {
          if (facts.greeting === undefined) facts.greeting = line;
          else if (sawEhlo && facts.lastClientCommand === 'EHLO') {
            facts.ehloLines.push(line);
            if (/^250[ -]STARTTLS\b/i.test(line)) facts.offersStartTls = true;
          }
          if (facts.lastClientCommand === 'DATA' && /^354\b/.test(line)) facts.dataAccepted = true;
          log.info(`S: ${redactor.server(line)}`);
        }
        break;
      case 'message':
        if (typeof entry.outByteCount === 'number') {
          facts.messageEnded = true;
          log.info(`C: <message, ${entry.outByteCount} bytes>`);
          log.info('C: .');
        }
        break;
      case 'network':
        log.debug(redactor.scrub(message));
        break;
      default:
        // Other entries (e.g. "User x authenticated") may name the user: keep them at trace, scrubbed.
        log.trace(redactor.scrub(message));
    }
  }
  const connection = new SMTPConnection({
    host: profile.host,
    port: profile.port,
    secure: profile.security === 'tls',
    requireTLS: profile.security === 'starttls',
    ignoreTLS: profile.security === 'none',
    name: profile.ehloName || undefined,
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    servername: isIP(profile.host) ? undefined : profile.host,
    tls: {
      rejectUnauthorized: profile.verifyCertificate !== false,
      minVersion: 'TLSv1.2',
      ...(ca ? { ca } : {}),
    },
    // transactionLog gives commands and replies; never `debug`, which would log the whole message.
    transactionLog: true,
    logger: nodemailerLogger as never,
  });
  // Errors also arrive through callbacks; without a listener an 'error' event would crash the process.
  connection.on('error', () => undefined);
  return { session: { connection, facts, redactor, log }, caError };
}

export function connect(session: Session): Promise<void> {
  return untilDone<void>(session, (done) => session.connection.connect((err?: Error) => done(err))).then(() => recordTls(session));
}

/**
 * Runs one SMTPConnection step. Errors while connecting (and drops at any time) arrive as 'error' or
 * 'end' events rather than through the callback, so the step settles on whichever comes first.
 */
export function untilDone<T>(session: Session, step: (done: (err?: Error | null, value?: T) => void) => void): Promise<T> {
  const connection = session.connection;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error | null, value?: T) => {
      if (settled) return;
      settled = true;
      connection.off('error', onError);
      connection.off('end', onEnd);
      if (err) reject(err);
      else resolve(value as T);
    };
    const onError = (err: Error) => finish(err);
    const onEnd = () => finish(Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' }));
    connection.on('error', onError);
    connection.once('end', onEnd);
    step(finish);
  });
}

export type AuthMechanism = 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2';

export type AuthChoice = { ok: true; mechanism: AuthMechanism } | { ok: false; why: 'none-offered' | 'clear-text'; reason: string };

/**
 * Picks the AUTH mechanism here rather than leaving it to nodemailer: left to choose, nodemailer takes its
 * own first preference (PLAIN, LOGIN, CRAM-MD5) whatever the server lists, so the clear-text rule below
 * would judge one mechanism while another is used. Go's net/smtp rule: PLAIN and LOGIN carry the password
 * itself, so never in clear text except to localhost; CRAM-MD5 (RFC 2195) sends only a digest.
 */
export function chooseAuth(profile: SmtpProfile, secret: SmtpSecret, offered: readonly string[], encrypted: boolean): AuthChoice {
  if (offered.length === 0) {
    return { ok: false, why: 'none-offered', reason: 'the server offers no AUTH, but this profile has a user: refusing to send unauthenticated' };
  }
  const clearTextAllowed = encrypted || isLoopbackHost(profile.host);
  const refuse = (m: string): AuthChoice => ({
    ok: false,
    why: 'clear-text',
    reason: `the session is not encrypted, and AUTH ${m} would send the password in clear text to ${profile.host}: refused. Use a profile that requires TLS`,
  });
  if (profile.auth && profile.auth !== 'auto') {
    return !clearTextAllowed && (profile.auth === 'PLAIN' || profile.auth === 'LOGIN') ? refuse(profile.auth) : { ok: true, mechanism: profile.auth };
  }
  if (!secret.password && secret.accessToken) return { ok: true, mechanism: 'XOAUTH2' };
  const usable: AuthMechanism[] = clearTextAllowed ? ['PLAIN', 'LOGIN', 'CRAM-MD5'] : ['CRAM-MD5'];
  const mechanism = usable.find((m) => offered.includes(m));
  if (mechanism) return { ok: true, mechanism };
  if (!clearTextAllowed) return refuse(offered.find((m) => m === 'PLAIN' || m === 'LOGIN') ?? 'PLAIN');
  // Nothing we know is offered (e.g. only XOAUTH2 with a password): PLAIN gets a clear answer from the server.
  return { ok: true, mechanism: 'PLAIN' };
}

export function login(session: Session, profile: SmtpProfile, secret: SmtpSecret, mechanism: AuthMechanism): Promise<void> {
  const user = profile.user ?? '';
  const auth =
    mechanism === 'XOAUTH2'
      ? {
          user,
          method: 'XOAUTH2',
          // A static token: nodemailer asks this object for it and for the SASL payload (RFC 7628 format).
          oauth2: {
            getToken: (_retry: boolean, cb: (err: Error | null, token?: string) => void) => cb(null, secret.accessToken ?? ''),
            buildXOAuth2Token: (token: string) =>
              Buffer.from(`user=${user}\u0001auth=Bearer ${token}\u0001\u0001`, 'utf8').toString('base64'),
          },
        }
      : { user, pass: secret.password ?? '', method: mechanism };
  return untilDone<void>(session, (done) => session.connection.login(auth as never, (err?: Error | null) => done(err)));
}

/** The AUTH mechanisms the server's EHLO offered (RFC 4954), upper-cased. */
export function offeredAuth(facts: SessionFacts): string[] {
  const line = facts.ehloLines.find((l) => /^250[ -]AUTH[ =]/i.test(l));
  return line ? line.replace(/^250[ -]AUTH[ =]/i, '').trim().toUpperCase().split(/\s+/).filter(Boolean) : [];
}

export function closeSession(session: Session): void {
  try {
    session.connection.quit();
  } catch {
    // already closed
  }
  setTimeout(() => session.connection.close(), 1000).unref();
}

function recordTls(session: Session): void {
  const socket = (session.connection as unknown as { _socket?: TLSSocket })._socket;
  if (!socket || typeof socket.getProtocol !== 'function' || !session.connection.secure) return;
  const cert = socket.getPeerCertificate?.();
  const name = (x: unknown): string | undefined => {
    if (!x || typeof x !== 'object') return undefined;
    const o = x as Record<string, string | string[]>;
    const cn = o.CN ?? o.O;
    return Array.isArray(cn) ? cn.join(', ') : cn;
  };
  session.facts.tls = {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher?.()?.name ?? 'unknown',
    subject: name(cert?.subject),
    issuer: name(cert?.issuer),
    validTo: cert?.valid_to,
  };
  const t = session.facts.tls;
  session.log.info(`TLS: ${t.protocol}, ${t.cipher}; certificate ${t.subject ?? '?'} issued by ${t.issuer ?? '?'}${t.validTo ? `, valid to ${t.validTo}` : ''}`);
}

function format(message: string, args: unknown[]): string {
  let i = 0;
  return String(message ?? '').replace(/%[sdj]/g, () => (i < args.length ? String(args[i++]) : ''));
}

function redactingLogger(logger: Logger, redactor: DialogueRedactor): Logger {
  return {
    trace: (m) => logger.trace(redactor.scrub(m)),
    debug: (m) => logger.debug(redactor.scrub(m)),
    info: (m) => logger.info(redactor.scrub(m)),
    warn: (m) => logger.warn(redactor.scrub(m)),
    error: (m) => logger.error(redactor.scrub(m)),
  };
}

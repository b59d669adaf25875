// One SMTP session through nodemailer's SMTPConnection, with its transaction log turned into redacted
// `C:`/`S:` lines and with enough state kept to say at which stage it stopped.
// SMTPConnection is used directly (not a transport) so that we decide, between EHLO and AUTH, whether
// credentials may be sent at all, and whether the server offers what the profile requires.
// Each stage of the dialogue also has a deadline (./deadlines.ts): nodemailer's timeouts measure
// silence only, so a server trickling a byte at a time would otherwise hold the session forever.
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { format } from 'node:util';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { DEFAULT_TIMEOUTS, isLoopbackAddress, isLoopbackHost, type SmtpProfile, type SmtpSecret, type SmtpTimeouts } from '../profiles/profile';
import { silentLogger, type Logger } from '../types';
import { bearerCustomAuth, isBearerMechanism } from './bearerAuth';
import { readCaFile } from './caFile';
import { deadlineCategory, type DialogueState } from './deadlines';
import { DialogueRedactor } from './redact';

export type { DialogueState } from './deadlines';

/** What the dialogue showed so far: read by the outcome classifier. */
export interface SessionFacts {
  greeting?: string;
  ehloLines: string[];
  offersStartTls: boolean;
  tls?: { protocol: string; cipher: string; subject?: string; issuer?: string; validTo?: string };
  lastClientCommand?: string;
  /** Where the dialogue is, by our own reading of it (the last command sent, the last reply seen). */
  state: DialogueState;
  /** The address the TCP connection reached (the clear-text rule needs the real peer, not the name). */
  peerAddress?: string;
  dataAccepted: boolean;
  /** The message and its final dot were handed to the socket. */
  messageEnded: boolean;
  /** A stage took longer than its deadline, and the connection was closed for it. */
  expired?: { state: DialogueState; ms: number };
  /** The caller's signal aborted the session. */
  cancelled?: boolean;
  /** The SASL mechanism of the AUTH tried, when one was. */
  authMechanism?: AuthMechanism;
}

export interface Session {
  connection: SMTPConnection;
  facts: SessionFacts;
  redactor: DialogueRedactor;
  log: Logger;
  /** Arms the deadline of the current stage while a step runs (see untilDone). */
  clock: StageClock;
}

export interface SessionOptions {
  logger?: Logger;
  /** Aborting closes the connection, except while waiting for the reply to the final dot. */
  signal?: AbortSignal;
  /** Shared with the caller, so one redactor shows everything (see ./redact.ts). */
  redactor?: DialogueRedactor;
}

/** nodemailer builds every entry as an object (shared/index.js, `_logFunc`), the `tnx` saying what it is. */
type LogEntry = { tnx?: string; outByteCount?: number; remoteAddress?: string };

export function freshFacts(): SessionFacts {
  return { ehloLines: [], offersStartTls: false, dataAccepted: false, messageEnded: false, state: 'connect' };
}

export function openSession(profile: SmtpProfile, secret: SmtpSecret, options: SessionOptions | Logger = {}): { session: Session; caError?: string } {
  // Older callers passed the logger itself.
  const opts: SessionOptions = isLogger(options) ? { logger: options } : options;
  const redactor = opts.redactor ?? new DialogueRedactor(profile.user, secret);
  const facts = freshFacts();
  const log = redactor.logger(opts.logger ?? silentLogger);
  const ca = profile.caFile ? readCaFile(profile.caFile) : undefined;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...profile.timeouts };
  // nodemailer logs bunyan style: (entry, message, ...args). The dialogue comes as the message alone (a
  // command, a reply: the peer's text, where a '%' is just a '%'); only nodemailer's own entries
  // ("%s established to %s:%s") bring arguments. util.format leaves a message without arguments as it is.
  const toEntry = (entry: LogEntry, message: string, ...args: unknown[]) => onEntry(entry, format(message, ...args));
  const nodemailerLogger = { level: () => undefined, trace: () => undefined, debug: toEntry, info: toEntry, warn: toEntry, error: toEntry, fatal: toEntry };
  function onEntry(entry: LogEntry, message: string) {
    switch (entry.tnx) {
      case 'client':
        for (const line of message.split(/\r?\n/)) {
          const shown = redactor.client(line);
          const verb = /^([A-Za-z]+)\b/.exec(line)?.[1].toUpperCase();
          const next = verb ? STATE_OF_COMMAND[verb] : undefined;
          // SASL continuation lines (hidden) are not commands: they keep the AUTH state.
          if (next && !(facts.state === 'auth' && shown === '<redacted>')) {
            facts.lastClientCommand = verb;
            // Only the latest EHLO reply counts: after STARTTLS the server may offer more (RFC 3207 section 4.2).
            if (next === 'ehlo') facts.ehloLines = [];
            clock.enter(next);
          }
          log.info(`C: ${shown}`);
        }
        break;
      case 'server':
        for (const line of message.split(/\r?\n/)) {
          if (facts.greeting === undefined) {
            facts.greeting = line;
            clock.enter('ehlo');
          } else if (facts.lastClientCommand === 'EHLO') {
            facts.ehloLines.push(line);
            if (/^250[ -]STARTTLS\b/i.test(line)) facts.offersStartTls = true;
          }
          if (facts.lastClientCommand === 'DATA' && /^354\b/.test(line)) {
            facts.dataAccepted = true;
            clock.enter('transfer');
          }
          log.info(`S: ${redactor.server(line)}`);
        }
        break;
      case 'message':
        if (typeof entry.outByteCount === 'number') {
          facts.messageEnded = true;
          clock.enter('final-reply');
          log.info(`C: <message, ${entry.outByteCount} bytes>`);
          log.info('C: .');
        }
        break;
      case 'network':
        // Only "Connection established" names the peer, once per connection (connect() runs once).
        if (typeof entry.remoteAddress === 'string') {
          facts.peerAddress = entry.remoteAddress;
          clock.enter('greeting');
        }
        log.debug(message);
        break;
      default:
        // Other entries (e.g. "User x authenticated") may name the user: keep them at trace.
        log.trace(message);
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
      ...(ca?.pem ? { ca: ca.pem } : {}),
    },
    // XOAUTH2 and OAUTHBEARER through nodemailer's extension point for SASL mechanisms (./bearerAuth.ts).
    customAuth: bearerCustomAuth({ host: profile.host, port: profile.port }),
    // transactionLog gives commands and replies; never `debug`, which would log the whole message.
    transactionLog: true,
    logger: nodemailerLogger as never,
  });
  // Errors also arrive through callbacks; without a listener an 'error' event would crash the process.
  connection.on('error', () => undefined);
  // Its deadlines run only while a step waits on the server, and each step stops it when it ends (untilDone).
  const clock = new StageClock(facts, timeouts, () => connection.close());
  const session: Session = { connection, facts, redactor, log, clock };
  if (opts.signal) {
    const signal = opts.signal;
    const onAbort = () => {
      facts.cancelled = true;
      // After the final dot only the server knows whether it took the message: wait for its reply.
      if (facts.state !== 'final-reply') connection.close();
    };
    if (signal.aborted) facts.cancelled = true;
    // A signal aborts once; the listener goes with the connection.
    signal.addEventListener('abort', onAbort);
    connection.once('end', () => signal.removeEventListener('abort', onAbort));
  }
  return { session, ...(ca?.error ? { caError: ca.error } : {}) };
}

/**
 * The deadline of each stage. A stage's timer starts when the dialogue enters it and runs only while a
 * step (connect, login, send, reset) waits on the server; when it fires, the connection is closed and
 * the step fails with the stage that was too slow.
 */
export class StageClock {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private category: string | undefined;

  constructor(
    private readonly facts: SessionFacts,
    private readonly timeouts: Required<SmtpTimeouts>,
    private readonly closeConnection: () => void,
  ) {}

  /** The dialogue moved to `state`: a new stage (or a new command) gets a fresh deadline. */
  enter(state: DialogueState): void {
    const category = deadlineCategory(state);
    const fresh = category.key !== this.category || category.perCommand;
    this.facts.state = state;
    if (fresh) {
      this.category = category.key;
      if (this.running) this.arm(state, this.timeouts[category.key]);
    }
  }

  /** A step starts waiting on the server; the deadline starts with its first command. */
  start(): void {
    this.running = true;
  }

  /** The step is over (or the connection is): no deadline while idle. */
  stop(): void {
    this.running = false;
    this.category = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(state: DialogueState, ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.facts.expired = { state: this.facts.state ?? state, ms };
      this.closeConnection();
    }, ms);
    this.timer.unref();
  }
}

/**
 * Every command SMTPConnection sends as it is opened here: HELO after a refused EHLO, RSET between messages
 * (`reset`). It sends LHLO only with `lmtp`, never set here, and no NOOP.
 */
const STATE_OF_COMMAND: Record<string, DialogueState> = {
  EHLO: 'ehlo',
  HELO: 'ehlo',
  STARTTLS: 'starttls',
  AUTH: 'auth',
  MAIL: 'mail',
  RCPT: 'rcpt',
  DATA: 'data',
  RSET: 'rset',
  QUIT: 'quit',
};

export function connect(session: Session): Promise<void> {
  return untilDone<void>(session, (done) => {
    session.clock.enter('connect');
    session.connection.connect((err?: Error) => done(err));
  }).then(() => recordTls(session));
}

/**
 * Runs one SMTPConnection step. Errors while connecting (and drops at any time) arrive as 'error' or
 * 'end' events rather than through the callback, so the step settles on whichever comes first. A
 * deadline or a cancellation closes the connection; the step then fails with that, whatever nodemailer
 * reported for the close. A deadline always closes it, at once: `close()` clears nodemailer's pending
 * replies and ends the connection before returning, so the step can only end after it, and it ends with the
 * deadline. A cancellation after the final dot leaves the connection open for the server's reply
 * (openSession), so only a closed connection or an error makes that step a cancellation.
 */
export function untilDone<T>(session: Session, step: (done: (err?: Error | null, value?: T) => void) => void): Promise<T> {
  const { connection, facts, clock } = session;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error | null, value?: T) => {
      if (settled) return;
      settled = true;
      clock.stop();
      connection.off('error', onError);
      connection.off('end', onEnd);
      if (facts.expired) reject(deadlineError(facts.expired));
      else if (facts.cancelled && (err || connection.destroyed)) reject(Object.assign(new Error('Cancelled'), { code: 'ECANCELLED' }));
      else if (err) reject(err);
      else resolve(value as T);
    };
    const onError = (err: Error) => finish(err);
    const onEnd = () => finish(Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' }));
    if (connection.destroyed) return onEnd();
    connection.on('error', onError);
    connection.once('end', onEnd);
    clock.start();
    step(finish);
  });
}

function deadlineError(expired: { state: DialogueState; ms: number }): Error {
  return Object.assign(new Error(`Deadline of ${expired.ms} ms passed (${expired.state})`), { code: 'ETIMEDOUT', timeoutType: 'DEADLINE' });
}

export type AuthMechanism = 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2' | 'OAUTHBEARER';

export type AuthChoice = { ok: true; mechanism: AuthMechanism } | { ok: false; why: 'none-offered' | 'clear-text'; reason: string };

/** What chooseAuth needs to know about the connection. */
export interface AuthLink {
  /** TLS is up (implicit, or after STARTTLS). */
  encrypted: boolean;
  /** The address the connection reached. */
  peerAddress?: string;
}

/**
 * Whether credentials may cross this connection unencrypted: only when the profile names this machine
 * (localhost, 127.0.0.0/8, ::1) and the connection really reached a loopback address. Anything else is
 * a network a STARTTLS-stripping attacker may sit on, and there no credential of any kind goes in clear:
 * not PLAIN or LOGIN (the password itself), not CRAM-MD5 (RFC 2195: a digest of a challenge the attacker
 * picks, open to offline guessing), not XOAUTH2 or OAUTHBEARER (a bearer token, usable as it is: RFC 7628
 * section 3 requires TLS for it).
 */
export function clearTextCredentialsAllowed(host: string, link: AuthLink): boolean {
  return link.encrypted || (isLoopbackHost(host) && isLoopbackAddress(link.peerAddress));
}

/**
 * Picks the AUTH mechanism here rather than leaving it to nodemailer: left to choose, nodemailer takes its
 * own first preference (PLAIN, LOGIN, CRAM-MD5) whatever the server lists. The clear-text rule comes first
 * and holds for every mechanism, named in the profile or chosen here.
 */
export function chooseAuth(profile: SmtpProfile, secret: SmtpSecret, offered: readonly string[], link: AuthLink): AuthChoice {
  if (!clearTextCredentialsAllowed(profile.host, link)) {
    const what = isBearerMechanism(profile.auth ?? '') || (!secret.password && secret.accessToken) ? 'the access token' : 'the password (or a digest of it)';
    return {
      ok: false,
      why: 'clear-text',
      reason: `the session is not encrypted and ${profile.host} is not this machine: AUTH would send ${what} in clear text, so it was refused and nothing was sent. Use a profile that requires TLS (STARTTLS required, or implicit TLS)`,
    };
  }
  if (offered.length === 0) {
    return { ok: false, why: 'none-offered', reason: 'the server offers no AUTH, but this profile has a user: refusing to send unauthenticated' };
  }
  if (profile.auth && profile.auth !== 'auto') return { ok: true, mechanism: profile.auth };
  // A token: the standard mechanism when offered (RFC 7628), else XOAUTH2 (all Microsoft offers).
  if (!secret.password && secret.accessToken) return { ok: true, mechanism: offered.includes('OAUTHBEARER') ? 'OAUTHBEARER' : 'XOAUTH2' };
  const mechanism = (['PLAIN', 'LOGIN', 'CRAM-MD5'] as const).find((m) => offered.includes(m));
  // Nothing we know is offered (e.g. only XOAUTH2 with a password): PLAIN gets a clear answer from the server.
  return { ok: true, mechanism: mechanism ?? 'PLAIN' };
}

/**
 * The connection facts chooseAuth judges. The peer is the socket's own remote address, which nodemailer's
 * "Connection established" entry gave before any reply was read; with none, nothing counts as loopback.
 */
export function authLink(session: Session): AuthLink {
  return { encrypted: session.connection.secure, peerAddress: session.facts.peerAddress };
}

export function login(session: Session, profile: SmtpProfile, secret: SmtpSecret, mechanism: AuthMechanism): Promise<void> {
  const user = profile.user ?? '';
  session.facts.authMechanism = mechanism;
  // Bearer mechanisms run as custom handlers (./bearerAuth.ts), which get the token as `pass`. nodemailer
  // keeps a requested XOAUTH2 only when the login carries an `oauth2` object (else it picks the server's first
  // mechanism): an empty one is enough, since the custom handler, not nodemailer's own XOAUTH2, runs it.
  const auth = isBearerMechanism(mechanism) ? { user, pass: secret.accessToken ?? '', method: mechanism, oauth2: {} } : { user, pass: secret.password ?? '', method: mechanism };
  return untilDone<void>(session, (done) => session.connection.login(auth as never, (err?: Error | null) => done(err)));
}

/** The AUTH mechanisms the server's EHLO offered (RFC 4954), upper-cased. */
export function offeredAuth(facts: SessionFacts): string[] {
  for (const line of facts.ehloLines) {
    const auth = /^250[ -]AUTH[ =](.*)/i.exec(line);
    if (auth) return auth[1].toUpperCase().match(/\S+/g) ?? [];
  }
  return [];
}

export function closeSession(session: Session): void {
  try {
    session.connection.quit();
  } catch {
    // already closed
  }
  setTimeout(() => session.connection.close(), 1000).unref();
}

/**
 * Runs right after `connect` resolved, on the connection it opened. `secure` is true exactly when nodemailer's
 * socket is the TLS socket (implicit TLS, or after STARTTLS), connected: the handshake is done, so it has its
 * protocol and cipher. The peer always sent a certificate: Node's ciphers leave out the anonymous ones
 * (`!aNULL`), and the subject and issuer of a certificate are objects, empty when the name is empty.
 */
function recordTls(session: Session): void {
  if (!session.connection.secure) return;
  const socket = (session.connection as unknown as { _socket: TLSSocket })._socket;
  const cert = socket.getPeerCertificate();
  const name = (n: Record<string, string | string[] | undefined>): string | undefined => {
    const cn = n.CN ?? n.O;
    return Array.isArray(cn) ? cn.join(', ') : cn;
  };
  session.facts.tls = {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher().name,
    subject: name(cert.subject),
    issuer: name(cert.issuer),
    validTo: cert.valid_to,
  };
  const t = session.facts.tls;
  session.log.info(`TLS: ${t.protocol}, ${t.cipher}; certificate ${t.subject ?? '?'} issued by ${t.issuer ?? '?'}${t.validTo ? `, valid to ${t.validTo}` : ''}`);
}

/** Options never have an `info` of their own; a logger always has one. */
function isLogger(x: SessionOptions | Logger): x is Logger {
  return typeof (x as Logger).info === 'function';
}

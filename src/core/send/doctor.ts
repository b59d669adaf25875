// The connection doctor: walks DNS, TCP, banner, EHLO, TLS, AUTH, RSET and QUIT one step at a time and says,
// in plain words, what each result means. Nothing is sent: no MAIL FROM is ever issued.
import { lookup } from 'node:dns/promises';
import { isIP, connect as tcpConnect } from 'node:net';
import { expandProfileEnv } from '../profiles/envExpand';
import { validateProfile } from '../profiles/validate';
import type { SmtpProfile, SmtpSecret } from '../profiles/profile';
import { DEFAULT_TIMEOUTS, usesTokenAuth } from '../profiles/profile';
import { silentLogger, type Logger } from '../types';
import { classifyError, type Phase } from './classify';
import { DialogueRedactor } from './redact';
import { authLink, chooseAuth, connect, login, offeredAuth, openSession, untilDone, type Session } from './session';

export type DoctorStepId = 'dns' | 'tcp' | 'banner' | 'ehlo' | 'tls' | 'auth' | 'noop' | 'quit';
export type DoctorStatus = 'pass' | 'fail' | 'skip' | 'warn';

export interface DoctorStep {
  id: DoctorStepId;
  status: DoctorStatus;
  title: string;
  detail?: string;
  diagnosis?: string;
  elapsedMs?: number;
}

export interface DoctorReport {
  ok: boolean;
  steps: DoctorStep[];
  /** What the EHLO reply offered, for display. */
  extensions: string[];
  /** The caller's signal stopped the checks (ok is then false). */
  cancelled?: boolean;
}

export interface DoctorOptions {
  logger?: Logger;
  onStep?: (step: DoctorStep) => void;
  /** Stops the checks: the connection is closed and the remaining steps are skipped. */
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
}

const TITLES: Record<DoctorStepId, string> = {
  dns: 'DNS lookup',
  tcp: 'TCP connection',
  banner: 'Server greeting',
  ehlo: 'EHLO and extensions',
  tls: 'TLS',
  auth: 'Authentication',
  noop: 'Session check (RSET)',
  quit: 'QUIT',
};

export async function runDoctor(rawProfile: SmtpProfile, secret: SmtpSecret, options: DoctorOptions = {}): Promise<DoctorReport> {
  const givenSecret: SmtpSecret = secret ?? {};
  // Everything the doctor reports or logs goes through this one redactor (server text included).
  const redactor = new DialogueRedactor((rawProfile as Partial<SmtpProfile> | null)?.user, givenSecret);
  const logger = redactor.logger(options.logger ?? silentLogger);
  const signal = options.signal;
  const steps: DoctorStep[] = [];
  let extensions: string[] = [];
  let cancelled = false;
  const report = (id: DoctorStepId, status: DoctorStatus, detail?: string, diagnosis?: string, started?: number) => {
    const step: DoctorStep = redactor.shownDeep({ id, status, title: TITLES[id], ...(detail ? { detail } : {}), ...(diagnosis ? { diagnosis } : {}), ...(started ? { elapsedMs: Date.now() - started } : {}) });
    steps.push(step);
    logger.info(`Doctor: ${step.title}: ${status}${step.detail ? ` (${step.detail})` : ''}${step.diagnosis ? ` - ${step.diagnosis}` : ''}`);
    options.onStep?.(step);
  };
  const ALL_STEPS: DoctorStepId[] = ['dns', 'tcp', 'banner', 'ehlo', 'tls', 'auth', 'noop', 'quit'];
  const skipRest = (why: string) => ALL_STEPS.filter((id) => !steps.some((s) => s.id === id)).forEach((id) => report(id, 'skip', undefined, why));
  const finish = (): DoctorReport => ({
    ok: !cancelled && !steps.some((s) => s.status === 'fail'),
    steps,
    extensions: redactor.shownDeep(extensions),
    ...(cancelled ? { cancelled: true } : {}),
  });
  /** The caller's signal fired: the step under way is skipped, with the rest. */
  const stopCancelled = (current: DoctorStepId): DoctorReport => {
    cancelled = true;
    report(current, 'skip', undefined, 'Cancelled.');
    skipRest('cancelled');
    return finish();
  };
  // A profile that cannot be used (not an object, unset ${env:NAME}, a port out of range) is reported at
  // the first step rather than thrown from deep inside net.connect.
  const unusable = (diagnosis: string): DoctorReport => {
    report('dns', 'fail', undefined, diagnosis);
    skipRest('the profile is not usable');
    return finish();
  };
  if (typeof rawProfile !== 'object' || rawProfile === null || Array.isArray(rawProfile)) {
    return unusable('No usable profile was given (a profile is a set of fields: name, host, port, security, ...).');
  }
  const { profile, missing } = expandProfileEnv(rawProfile, options.env ?? process.env);
  if (missing.length) return unusable(`The profile uses environment variables that are not set: ${missing.join(', ')}.`);
  const errors = validateProfile(profile).filter((i) => i.severity === 'error');
  if (errors.length) return unusable(`The profile is not valid: ${errors.map((e) => e.message).join(' ')}`);
  redactor.addUser(profile.user);
  if (signal?.aborted) return stopCancelled('dns');
  logger.info(`Testing profile "${profile.name}": ${profile.host}:${profile.port} (${profile.security})`);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...profile.timeouts };

  // 1. DNS, bounded by the greeting deadline (which covers DNS, TCP and the greeting) and the signal.
  let t = Date.now();
  let address = profile.host;
  if (isIP(profile.host)) report('dns', 'pass', `${profile.host} is an IP address`, undefined, t);
  else {
    const answer = await bounded(lookup(profile.host, { all: true }), timeouts.greetingDeadlineMs, signal);
    if (answer.status === 'cancelled') return stopCancelled('dns');
    if (answer.status === 'ok') {
      address = answer.value[0].address;
      report('dns', 'pass', answer.value.map((a) => a.address).join(', '), undefined, t);
    } else {
      const code = answer.status === 'timeout' ? 'timeout' : (answer.error as NodeJS.ErrnoException).code;
      const diagnosis =
        answer.status === 'timeout'
          ? `No DNS answer for "${profile.host}" within ${Math.round(timeouts.greetingDeadlineMs / 1000)} s: check this machine's DNS.`
          : `"${profile.host}" does not resolve: check the spelling of the host name, and that this machine has DNS.`;
      report('dns', 'fail', code, diagnosis, t);
      skipRest('DNS failed');
      return finish();
    }
  }

  // 2. TCP, on its own so that "refused" and "timed out" are told apart from everything later.
  t = Date.now();
  const tcp = await probeTcp(address, profile.port, timeouts.connectMs, signal);
  if (tcp === 'cancelled') return stopCancelled('tcp');
  if (tcp !== 'ok') {
    const diagnosis =
      tcp === 'ECONNREFUSED'
        ? `Nothing listens on port ${profile.port} at ${profile.host}: the server is down, or the port is wrong (587 is STARTTLS, 465 implicit TLS, 25 relay).`
        : tcp === 'timeout'
          ? `No answer from port ${profile.port}: a firewall drops the traffic. Many networks and cloud providers block outbound port 25; try 587 or 465.`
          : `The connection failed (${tcp}).`;
    report('tcp', 'fail', tcp, diagnosis, t);
    skipRest('no TCP connection');
    return finish();
  }
  report('tcp', 'pass', `${address}:${profile.port}`, undefined, t);

  // 3-5. Greeting, EHLO and TLS happen inside one SMTPConnection.connect(), each stage with its deadline.
  t = Date.now();
  const { session, caError } = openSession(profile, givenSecret, { logger: options.logger ?? silentLogger, signal, redactor });
  if (caError) {
    report('banner', 'fail', undefined, caError, t);
    skipRest('the CA file is not usable');
    return finish();
  }
  let phase: Phase = 'connect';
  try {
    await connect(session);
    report('banner', 'pass', session.facts.greeting, undefined, t);
    extensions = session.facts.ehloLines.map((l) => l.replace(/^250[ -]/, '')).slice(1);
    report('ehlo', 'pass', extensions.join(', ') || 'no extensions', extensionNotes(extensions));
    reportTls(session, profile, report);

    // 6. AUTH
    phase = 'auth';
    if (!profile.user) report('auth', 'skip', undefined, 'The profile has no user: no AUTH.');
    else if (!givenSecret.password && !givenSecret.accessToken) report('auth', 'fail', undefined, usesTokenAuth(profile) || profile.oauth ? 'The profile has a user but no access token was given: sign in first.' : 'The profile has a user but no password is stored.');
    else {
      const offered = offeredAuth(session.facts);
      const choice = chooseAuth(profile, givenSecret, offered, authLink(session));
      if (!choice.ok && choice.why === 'none-offered') report('auth', 'fail', undefined, 'The server offers no AUTH on this connection: the profile has a user, so sending would fail. Often AUTH is offered only after STARTTLS, or on port 587 rather than 25.');
      else if (!choice.ok) {
        report('auth', 'fail', `offered: ${offered.join(' ') || 'none'}`, `The session is not encrypted and ${profile.host} is not this machine, so any credential (the password, a CRAM-MD5 digest of it, an access token) would travel in clear text: refused, nothing was sent. Use STARTTLS required or implicit TLS.`);
      } else {
        t = Date.now();
        await login(session, profile, givenSecret, choice.mechanism);
        report('auth', 'pass', `${choice.mechanism} as ${profile.user}`, undefined, t);
      }
    }

    // 7. RSET keeps the session alive without starting a transaction.
    phase = 'send';
    t = Date.now();
    await untilDone<void>(session, (done) => session.connection.reset((err?: Error | null) => done(err)));
    report('noop', 'pass', session.connection.lastServerResponse || undefined, undefined, t);
    await quit(session);
    report('quit', 'pass');
  } catch (err) {
    session.connection.close();
    const c = classifyError(err, phase, session.facts, profile);
    const greeted = /^2/.test(session.facts.greeting ?? '');
    const failedStep: DoctorStepId =
      phase === 'auth' ? 'auth' : phase === 'send' ? 'noop' : c.stage === 'tls' ? 'tls' : c.stage === 'connect' ? 'tcp' : greeted && session.facts.state === 'ehlo' ? 'ehlo' : 'banner';
    if ((failedStep === 'tls' || failedStep === 'ehlo') && !steps.some((s) => s.id === 'banner')) {
      report('banner', 'pass', session.facts.greeting);
      extensions = session.facts.ehloLines.map((l) => l.replace(/^250[ -]/, '')).slice(1);
      if (failedStep === 'tls' && session.facts.ehloLines.length) report('ehlo', 'pass', extensions.join(', ') || 'no extensions');
    }
    if (c.cancelled || signal?.aborted) return stopCancelled(failedStep);
    report(failedStep, 'fail', c.reply ?? (err as Error).message, capitalise(c.reason) + '.', t);
    skipRest(`${TITLES[failedStep]} failed`);
  }
  return finish();
}

/** A promise raced against a deadline and a signal. */
async function bounded<T>(work: Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<{ status: 'ok'; value: T } | { status: 'error'; error: unknown } | { status: 'timeout' } | { status: 'cancelled' }> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      work.then((value) => ({ status: 'ok' as const, value }), (error: unknown) => ({ status: 'error' as const, error })),
      new Promise<{ status: 'timeout' }>((resolve) => (timer = setTimeout(() => resolve({ status: 'timeout' }), ms))),
      new Promise<{ status: 'cancelled' }>((resolve) => {
        onAbort = () => resolve({ status: 'cancelled' });
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

function reportTls(session: Session, profile: SmtpProfile, report: (id: DoctorStepId, s: DoctorStatus, d?: string, g?: string) => void): void {
  const tls = session.facts.tls;
  if (!tls) {
    if (profile.security === 'none') report('tls', 'skip', undefined, 'The profile uses no TLS: fine for a local server, unsafe across a network.');
    else report('tls', 'warn', 'not encrypted', 'The server did not offer STARTTLS: the session is in clear text. No credential is sent in clear text unless the server is on this machine (localhost).');
    return;
  }
  const detail = `${tls.protocol}, ${tls.cipher}; certificate ${tls.subject ?? '?'} issued by ${tls.issuer ?? '?'}${tls.validTo ? `, valid until ${tls.validTo}` : ''}`;
  const expires = tls.validTo ? Date.parse(tls.validTo) : NaN;
  if (!Number.isNaN(expires) && expires - Date.now() < 14 * 24 * 3600 * 1000) report('tls', 'warn', detail, 'The certificate expires within two weeks.');
  else if (profile.verifyCertificate === false) report('tls', 'warn', detail, 'Certificate checks are off for this profile: the server is not authenticated.');
  else report('tls', 'pass', detail);
}

function extensionNotes(extensions: string[]): string | undefined {
  const has = (name: string) => extensions.some((e) => e.toUpperCase().startsWith(name));
  const notes: string[] = [];
  if (!has('PIPELINING')) notes.push('no PIPELINING (slower batches)');
  if (!has('8BITMIME')) notes.push('no 8BITMIME (8-bit bodies must be encoded)');
  if (!has('SMTPUTF8')) notes.push('no SMTPUTF8 (non-ASCII addresses cannot be sent)');
  const size = extensions.find((e) => /^SIZE\b/i.test(e));
  if (size && /\d+/.test(size)) notes.push(`largest message ${Number(/\d+/.exec(size)![0]).toLocaleString('en')} bytes`);
  return notes.length ? capitalise(notes.join('; ')) + '.' : undefined;
}

function probeTcp(host: string, port: number, timeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const settle = (result: string) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => settle('cancelled');
    const timer = setTimeout(() => settle('timeout'), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => settle('ok'));
    socket.once('error', (err: NodeJS.ErrnoException) => settle(err.code ?? err.message));
  });
}

function quit(session: Session): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      session.connection.close();
      resolve();
    }, 2000);
    session.connection.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    session.connection.quit();
  });
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// The connection doctor: walks DNS, TCP, banner, EHLO, TLS, AUTH, RSET and QUIT one step at a time and says,
// in plain words, what each result means. Nothing is sent: no MAIL FROM is ever issued.
import { lookup } from 'node:dns/promises';
import { isIP, connect as tcpConnect } from 'node:net';
import { expandProfileEnv } from '../profiles/envExpand';
import { validateProfile } from '../profiles/validate';
import type { SmtpProfile, SmtpSecret } from '../profiles/profile';
import { silentLogger, type Logger } from '../types';
import { classifyError, type Phase } from './classify';
import { chooseAuth, connect, login, offeredAuth, openSession, untilDone, type Session } from './session';

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
}

export interface DoctorOptions {
  logger?: Logger;
  onStep?: (step: DoctorStep) => void;
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
  const logger = options.logger ?? silentLogger;
  const steps: DoctorStep[] = [];
  let extensions: string[] = [];
  const report = (id: DoctorStepId, status: DoctorStatus, detail?: string, diagnosis?: string, started?: number) => {
    const step: DoctorStep = { id, status, title: TITLES[id], ...(detail ? { detail } : {}), ...(diagnosis ? { diagnosis } : {}), ...(started ? { elapsedMs: Date.now() - started } : {}) };
    steps.push(step);
    logger.info(`Doctor: ${step.title}: ${status}${detail ? ` (${detail})` : ''}${diagnosis ? ` - ${diagnosis}` : ''}`);
    options.onStep?.(step);
  };
  const skipRest = (from: DoctorStepId[], why: string) => from.forEach((id) => report(id, 'skip', undefined, why));
  const finish = (): DoctorReport => ({ ok: !steps.some((s) => s.status === 'fail'), steps, extensions });
  // A profile that cannot be used (not an object, unset ${env:NAME}, a port out of range) is reported at
  // the first step rather than thrown from deep inside net.connect.
  const ALL_STEPS: DoctorStepId[] = ['dns', 'tcp', 'banner', 'ehlo', 'tls', 'auth', 'noop', 'quit'];
  const unusable = (diagnosis: string): DoctorReport => {
    report('dns', 'fail', undefined, diagnosis);
    skipRest(ALL_STEPS.slice(1), 'the profile is not usable');
    return finish();
  };
  if (typeof rawProfile !== 'object' || rawProfile === null || Array.isArray(rawProfile)) {
    return unusable('No usable profile was given (a profile is a set of fields: name, host, port, security, ...).');
  }
  const { profile, missing } = expandProfileEnv(rawProfile, options.env ?? process.env);
  if (missing.length) return unusable(`The profile uses environment variables that are not set: ${missing.join(', ')}.`);
  const errors = validateProfile(profile).filter((i) => i.severity === 'error');
  if (errors.length) return unusable(`The profile is not valid: ${errors.map((e) => e.message).join(' ')}`);
  logger.info(`Testing profile "${profile.name}": ${profile.host}:${profile.port} (${profile.security})`);

  // 1. DNS
  let t = Date.now();
  let address = profile.host;
  if (isIP(profile.host)) report('dns', 'pass', `${profile.host} is an IP address`, undefined, t);
  else {
    try {
      const all = await lookup(profile.host, { all: true });
      address = all[0].address;
      report('dns', 'pass', all.map((a) => a.address).join(', '), undefined, t);
    } catch (err) {
      report('dns', 'fail', (err as NodeJS.ErrnoException).code, `"${profile.host}" does not resolve: check the spelling of the host name, and that this machine has DNS.`, t);
      skipRest(['tcp', 'banner', 'ehlo', 'tls', 'auth', 'noop', 'quit'], 'DNS failed');
      return finish();
    }
  }

  // 2. TCP, on its own so that "refused" and "timed out" are told apart from everything later.
  t = Date.now();
  const tcp = await probeTcp(address, profile.port, profile.timeouts?.connectMs ?? 10_000);
  if (tcp !== 'ok') {
    const diagnosis =
      tcp === 'ECONNREFUSED'
        ? `Nothing listens on port ${profile.port} at ${profile.host}: the server is down, or the port is wrong (587 is STARTTLS, 465 implicit TLS, 25 relay).`
        : tcp === 'timeout'
          ? `No answer from port ${profile.port}: a firewall drops the traffic. Many networks and cloud providers block outbound port 25; try 587 or 465.`
          : `The connection failed (${tcp}).`;
    report('tcp', 'fail', tcp, diagnosis, t);
    skipRest(['banner', 'ehlo', 'tls', 'auth', 'noop', 'quit'], 'no TCP connection');
    return finish();
  }
  report('tcp', 'pass', `${address}:${profile.port}`, undefined, t);

  // 3-5. Greeting, EHLO and TLS happen inside one SMTPConnection.connect().
  t = Date.now();
  const { session, caError } = openSession(profile, secret, logger);
  if (caError) {
    report('banner', 'fail', undefined, caError, t);
    skipRest(['ehlo', 'tls', 'auth', 'noop', 'quit'], 'the CA file is unreadable');
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
    else if (!secret.password && !secret.accessToken) report('auth', 'fail', undefined, 'The profile has a user but no password is stored.');
    else {
      const offered = offeredAuth(session.facts);
      const choice = chooseAuth(profile, secret, offered, session.connection.secure);
      if (!choice.ok && choice.why === 'none-offered') report('auth', 'fail', undefined, 'The server offers no AUTH on this connection: the profile has a user, so sending would fail. Often AUTH is offered only after STARTTLS, or on port 587 rather than 25.');
      else if (!choice.ok) {
        report('auth', 'fail', `offered: ${offered.join(' ')}`, 'The session is not encrypted, so the password would travel in clear text: refused. Use STARTTLS required or implicit TLS.');
      } else {
        t = Date.now();
        await login(session, profile, secret, choice.mechanism);
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
    const c = classifyError(err, phase, session.facts, profile);
    const already = new Set(steps.map((s) => s.id));
    const failedStep: DoctorStepId = phase === 'auth' ? 'auth' : phase === 'send' ? 'noop' : c.stage === 'tls' ? 'tls' : c.stage === 'connect' ? 'tcp' : 'banner';
    if (failedStep === 'tls' && !already.has('banner')) {
      report('banner', 'pass', session.facts.greeting);
      extensions = session.facts.ehloLines.map((l) => l.replace(/^250[ -]/, '')).slice(1);
      if (session.facts.ehloLines.length) report('ehlo', 'pass', extensions.join(', ') || 'no extensions');
    }
    report(failedStep, 'fail', c.reply ?? session.redactor.scrub((err as Error).message), capitalise(session.redactor.scrub(c.reason)) + '.', t);
    const order: DoctorStepId[] = ['banner', 'ehlo', 'tls', 'auth', 'noop', 'quit'];
    skipRest(order.filter((id) => !steps.some((s) => s.id === id)), `${TITLES[failedStep]} failed`);
    session.connection.close();
  }
  return finish();
}

function reportTls(session: Session, profile: SmtpProfile, report: (id: DoctorStepId, s: DoctorStatus, d?: string, g?: string) => void): void {
  const tls = session.facts.tls;
  if (!tls) {
    if (profile.security === 'none') report('tls', 'skip', undefined, 'The profile uses no TLS: fine for a local server, unsafe across a network.');
    else report('tls', 'warn', 'not encrypted', 'The server did not offer STARTTLS: the session is in clear text. With a password the send is refused unless the host is localhost.');
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

function probeTcp(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('ok');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code ?? err.message);
    });
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

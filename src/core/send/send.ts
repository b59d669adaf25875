// Sends a prepared message (envelope + exact bytes) over one SMTP session and reports precisely what
// happened. The transport rules that nodemailer leaves open are enforced here:
//  - STARTTLS required means no AUTH or MAIL unless the session is encrypted;
//  - a profile with a user never sends unauthenticated (the server must offer AUTH);
//  - no credential of any kind in clear text except to this machine (session.ts, chooseAuth);
//  - all-or-nothing recipients by default: if any RCPT is refused, the message goes to nobody;
//  - every stage has a deadline (session.ts, StageClock);
//  - the hourly limit is a reservation taken before connecting (rateLimit.ts);
//  - everything that leaves (the outcome, every log line) goes through one redactor (redact.ts).
import { Readable } from 'node:stream';
import type { PreparedMessage } from '../message/types';
import { DEFAULT_MAX_PER_HOUR, type SmtpProfile, type SmtpSecret } from '../profiles/profile';
import { silentLogger } from '../types';
import { classifyError, describeRejections, rejectionsOf, type NodemailerError, type Phase } from './classify';
import { LockBusyError } from './fileLock';
import { preflight } from './preflight';
import { accountKey, releaseSend, reserveSend } from './rateLimit';
import { DialogueRedactor } from './redact';
import { authLink, chooseAuth, closeSession, connect, freshFacts, login, offeredAuth, openSession, untilDone, type Session } from './session';
import type { OutcomeBase, RecipientRejection, SendOptions, SendOutcome, SendStage } from './types';

export async function sendMessage(message: PreparedMessage, profile: SmtpProfile, secret: SmtpSecret, options: SendOptions = {}): Promise<SendOutcome> {
  const sender = createSender(profile, secret, options);
  try {
    return await sender.send(message);
  } finally {
    sender.close();
  }
}

export interface Sender {
  /** Sends one message over the sender's connection, opening (or reopening) it as needed. */
  send(message: PreparedMessage): Promise<SendOutcome>;
  close(): void;
}

/** A sender that keeps one authenticated connection open for many messages (RSET between them). */
export function createSender(profile: SmtpProfile, givenSecret: SmtpSecret, options: SendOptions = {}): Sender {
  // No secret stored yet arrives as undefined from secret stores; preflight then says what is missing.
  const secret: SmtpSecret = givenSecret ?? {};
  // The profile may not be an object at all (preflight reports that): never throw while reading it.
  const rawUser = (profile as Partial<SmtpProfile> | null)?.user;
  // The one redactor of this sender: the session's dialogue, every log line and every outcome go through it.
  const redactor = new DialogueRedactor(rawUser, secret);
  const logger = redactor.logger(options.logger ?? silentLogger);
  let session: Session | undefined;
  let sentOnSession = 0;

  const base = (message: PreparedMessage, started: number): OutcomeBase => ({
    profile: String((profile as Partial<SmtpProfile> | null)?.name ?? ''),
    messageId: String((message as Partial<PreparedMessage> | null)?.messageId ?? ''),
    envelope: envelopeOf(message),
    elapsedMs: Date.now() - started,
  });

  /** Every outcome leaves through here: no reply, reason or address can carry a secret or an escape. */
  async function send(message: PreparedMessage): Promise<SendOutcome> {
    return redactor.shownDeep(await attempt(message));
  }

  async function attempt(message: PreparedMessage): Promise<SendOutcome> {
    const started = Date.now();
    const failed = (stage: SendStage, reason: string, temporary = false, extra: { reply?: string; rejected?: RecipientRejection[] } = {}): SendOutcome => {
      logger.error(`Send failed at ${stage}: ${reason}`);
      return { ...base(message, started), status: 'failed', stage, temporary, reason, ...extra };
    };
    if (options.signal?.aborted) return failed('config', 'cancelled before anything was sent', true);
    const unusable = unusableMessage(message);
    if (unusable) return failed('config', unusable);

    const check = preflight(profile, secret, options);
    if (!check.ok) return failed(check.stage, check.reason, check.stage === 'limit');
    const p = check.profile;
    redactor.addUser(p.user);

    // The hourly limit: a place is reserved before anything is contacted, and given back only when the
    // attempt cannot have delivered anything (a failed outcome). Sent, partial and unknown keep it.
    let reservation: { statePath: string; account: string; id: string } | undefined;
    if (options.rateLimitStatePath) {
      const max = p.maxPerHour ?? DEFAULT_MAX_PER_HOUR;
      const account = accountKey(p);
      try {
        const r = await reserveSend(options.rateLimitStatePath, account, max, (options.now ?? Date.now)());
        if (!r.ok) {
          const at = r.retryAt ? new Date(r.retryAt).toISOString().slice(11, 16) + ' UTC' : 'later';
          return failed('limit', `the hourly limit of profile "${p.name}" for ${account} (${max} messages) is reached; nothing was sent. Try again after ${at}`, true);
        }
        reservation = { statePath: options.rateLimitStatePath, account, id: r.id };
      } catch (err) {
        const why = err instanceof LockBusyError ? 'another Mailsmith process holds its lock' : (err as Error).message;
        return failed('limit', `the hourly-limit state ${options.rateLimitStatePath} cannot be used (${why}); nothing was sent`, true);
      }
    }
    const outcome = await deliverWithSession(message, p, started, failed);
    if (reservation && outcome.status === 'failed') {
      await releaseSend(reservation.statePath, reservation.account, reservation.id).catch((err: Error) => logger.warn(`Could not give back the hourly-limit place: ${err.message}`));
    }
    return outcome;
  }

  async function deliverWithSession(message: PreparedMessage, p: SmtpProfile, started: number, failed: (stage: SendStage, reason: string, temporary?: boolean, extra?: { reply?: string; rejected?: RecipientRejection[] }) => SendOutcome): Promise<SendOutcome> {
    let phase: Phase = 'connect';
    try {
      if (session && sentOnSession > 0) {
        const open = session;
        try {
          await untilDone<void>(open, (done) => open.connection.reset((err?: Error | null) => done(err)));
        } catch {
          // Servers close idle sessions (RFC 5321 section 4.5.3.2.7). Nothing of this message has gone out
          // yet, so a fresh connection is safe.
          logger.info('The previous connection is closed (idle timeout?): reconnecting');
          drop(undefined);
        }
      }
      if (!session) {
        if (options.signal?.aborted) return failed('config', 'cancelled before anything was sent', true);
        logger.info(`Connecting to ${p.host}:${p.port} (${p.security}) with profile "${p.name}"`);
        const opened = openSession(p, secret, { logger: options.logger ?? silentLogger, signal: options.signal, redactor });
        if (opened.caError) return failed('config', opened.caError);
        session = opened.session;
        await connect(session);
        if (p.security === 'starttls' && !session.connection.secure) {
          return drop(failed('tls', 'the session is not encrypted and this profile requires STARTTLS; nothing was sent'));
        }
        if (p.user) {
          phase = 'auth';
          const choice = chooseAuth(p, secret, offeredAuth(session.facts), authLink(session));
          if (!choice.ok) return drop(failed('auth', choice.reason));
          await login(session, p, secret, choice.mechanism);
        }
        sentOnSession = 0;
      }

      // RFC 6531 section 3.4: non-ASCII addresses or raw UTF-8 headers only go to a server that offers
      // SMTPUTF8; anything else would garble or bounce them, so refuse before MAIL FROM.
      if (message.needsSmtpUtf8 && !session.facts.ehloLines.some((l) => /^250[ -]SMTPUTF8\b/i.test(l))) {
        return failed('mail', 'the message needs SMTPUTF8 (non-ASCII addresses or UTF-8 header fields, RFC 6531), and this server does not offer it: nothing was sent');
      }
      phase = 'send';
      session.facts.dataAccepted = false;
      session.facts.messageEnded = false;
      const outcome = await deliver(session, message, p, () => base(message, started));
      sentOnSession++;
      if (outcome.status === 'failed') logger.error(`Send failed at ${outcome.stage}: ${outcome.reason}`);
      else logger.info(`Outcome: ${outcome.status}${outcome.reply ? ` (${outcome.reply})` : ''}`);
      return outcome;
    } catch (err) {
      const facts = session?.facts ?? freshFacts();
      const c = classifyError(err, phase, facts, p);
      if (c.unknown) {
        logger.warn(`Outcome unknown: ${c.reason}`);
        drop(undefined);
        return { ...base(message, started), status: 'unknown', reason: c.reason };
      }
      const rejected = rejectionsOf(err as { rejectedErrors?: NodemailerError[] });
      return drop(failed(c.stage, c.reason, c.temporary, { ...(c.reply ? { reply: c.reply } : {}), ...(rejected.length ? { rejected } : {}) }));
    }
  }

  function drop<T>(value: T): T {
    if (session) {
      session.connection.close();
      session = undefined;
    }
    return value;
  }

  return {
    send,
    close: () => {
      if (session) closeSession(session);
      session = undefined;
    },
  };
}

/** MAIL, RCPT, DATA and the message on an open session. */
function deliver(session: Session, message: PreparedMessage, profile: SmtpProfile, common: () => OutcomeBase): Promise<SendOutcome> {
  const policy = profile.partialRecipients ?? 'reject';
  const connection = session.connection;
  let refusedPartial: RecipientRejection[] | undefined;
  // The body is handed over only after the server answered every RCPT and DATA: that is the moment to
  // apply the all-or-nothing policy. Dropping the connection before any byte of data ends the
  // transaction with nothing delivered (RFC 5321 section 3.3: no final dot, no delivery).
  const body = new Readable({
    read() {
      const envelopeState = (connection as unknown as { _envelope?: { rejected?: string[]; rejectedErrors?: NodemailerError[] } })._envelope;
      const rejectedNow = envelopeState?.rejected ?? [];
      if (policy === 'reject' && rejectedNow.length > 0) {
        refusedPartial = rejectionsOf({ rejectedErrors: envelopeState?.rejectedErrors });
        session.log.warn(`Some recipients were refused and the profile sends to all or none: aborting before the message body`);
        connection.close();
        this.destroy();
        return;
      }
      this.push(message.raw);
      this.push(null);
    },
  });
  const envelope = {
    from: message.envelope.from,
    to: message.envelope.to,
    size: message.size,
    use8BitMime: message.has8BitBody === true,
  };
  const refusedOutcome = (rejected: RecipientRejection[]): SendOutcome => ({
    ...common(),
    status: 'failed',
    stage: 'rcpt',
    temporary: rejected.every((r) => r.reply.startsWith('4')),
    reason: `the server refused ${rejected.length} of ${message.envelope.to.length} recipients (${describeRejections(rejected)}), and the profile sends to all or none: the message went to nobody`,
    rejected,
    reply: rejected[0]?.reply,
  });
  type SendInfo = { accepted?: string[]; rejectedErrors?: NodemailerError[]; response?: string; serverMessageId?: string };
  return untilDone<SendInfo>(session, (settle) => {
    connection.send(envelope as never, body as never, (err: Error | null, info?: SendInfo) => settle(err, info));
  }).then(
    (info): SendOutcome => {
      if (refusedPartial) return refusedOutcome(refusedPartial);
      const reply = info?.response?.trim();
      const accepted = info?.accepted ?? [];
      const rejected = rejectionsOf({ rejectedErrors: info?.rejectedErrors });
      const queueId = info?.serverMessageId ?? /queued as ([A-Za-z0-9._-]+)/i.exec(reply ?? '')?.[1];
      if (rejected.length) return { ...common(), status: 'partial', accepted, rejected, reply, ...(queueId ? { queueId } : {}) };
      return { ...common(), status: 'sent', accepted, reply, ...(queueId ? { queueId } : {}) };
    },
    (err: Error): SendOutcome => {
      // We closed the connection ourselves to refuse a partial recipient list: that is the outcome.
      if (refusedPartial) return refusedOutcome(refusedPartial);
      throw err;
    },
  );
}

function envelopeOf(message: PreparedMessage): { from: string; to: string[] } {
  const envelope = (message as Partial<PreparedMessage> | null)?.envelope;
  return { from: String(envelope?.from ?? ''), to: Array.isArray(envelope?.to) ? envelope.to.map(String) : [] };
}

/** Why a value cannot be sent at all, before any connection (nodemailer would fail later with a vaguer error). */
function unusableMessage(message: PreparedMessage): string | undefined {
  const m = message as Partial<PreparedMessage> | null;
  if (!m || typeof m !== 'object' || !Buffer.isBuffer(m.raw) || !m.envelope || typeof m.envelope.from !== 'string' || !Array.isArray(m.envelope.to)) {
    return 'no prepared message was given (envelope and bytes)';
  }
  // RFC 5321 section 3.3: a transaction needs at least one RCPT TO.
  if (m.envelope.to.length === 0) return 'the message has no recipients (To, Cc or Bcc): nothing was sent';
  return undefined;
}

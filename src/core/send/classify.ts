// nodemailer errors to outcomes: which stage, temporary or permanent, and a reason a person can act on.
// One place for all of it (see nodemailer's errors: `code`, `responseCode`, `command`, `timeoutType`).
// Where nodemailer's error does not say (a dropped connection, a deadline), the stage comes from our own
// reading of the dialogue (SessionFacts.state), not from the wording of an error message.
import type { SmtpProfile } from '../profiles/profile';
import { isBearerMechanism } from './bearerAuth';
import { STATE_WORDS, stageOfState } from './deadlines';
import { adviceForReply } from './providerReplies';
import type { SessionFacts } from './session';
import type { RecipientRejection, SendStage } from './types';

export interface NodemailerError extends Error {
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  timeoutType?: string;
  rejectedErrors?: NodemailerError[];
  recipient?: string;
}

export interface Classified {
  stage: SendStage;
  temporary: boolean;
  reason: string;
  reply?: string;
  /** The message may have been delivered (dropped after the final dot). */
  unknown?: boolean;
  cancelled?: boolean;
}

/** Which phase of our own control flow the error happened in. */
export type Phase = 'connect' | 'auth' | 'send';

export function classifyError(raw: unknown, phase: Phase, facts: SessionFacts, profile: SmtpProfile): Classified {
  const err = (raw ?? {}) as NodemailerError;
  const reply = err.response ? err.response.trim() : undefined;
  const code = err.responseCode;
  const temporary = code ? code >= 400 && code < 500 : true;
  const sys = err.originalCode ?? '';
  const where = `${profile.host}:${profile.port}`;
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

  // After the final dot, with no reply: only the server knows (RFC 5321 section 4.1.1.4). Never retried.
  if (phase === 'send' && facts.messageEnded && !code) {
    const how = err.timeoutType === 'DEADLINE' ? `got no reply within ${seconds(facts.expired?.ms ?? 0)}` : err.code === 'ETIMEDOUT' ? 'timed out' : 'dropped';
    return {
      stage: 'data',
      temporary: true,
      unknown: true,
      reason: `the connection ${how} after the whole message was sent, before the server confirmed it: it may or may not have been delivered, so it is not sent again`,
    };
  }
  if (err.code === 'ECANCELLED') {
    return { stage: stageOfState(facts.state), temporary: true, cancelled: true, reason: 'cancelled; the message was not sent' };
  }
  if (err.timeoutType === 'DEADLINE' && facts.expired) {
    const { state, ms } = facts.expired;
    const stage = stageOfState(state);
    if (state === 'connect') return { stage, temporary: true, reason: `connecting to ${where} did not complete within ${seconds(ms)}` };
    if (state === 'transfer')
      return { stage, temporary: true, reason: `the server did not take the message within ${seconds(ms)} (it reads too slowly); the end of the message was never sent, so it was not delivered` };
    return { stage, temporary: true, reason: `the server did not finish ${STATE_WORDS[state]} within ${seconds(ms)} (it answers too slowly, or a byte at a time); the connection was closed${phase === 'send' ? ' and nothing was delivered' : ''}` };
  }

  if (phase === 'send') {
    if (err.code === 'EMESSAGE' && err.command === 'MAIL FROM' && /larger than allowed/i.test(err.message)) {
      return { stage: 'mail', temporary: false, reason: `the message is larger than the server accepts (${err.message.replace(/^.*allowed\s*/i, 'limit ')} bytes, from its SIZE); nothing was sent` };
    }
    if (err.command === 'MAIL FROM') {
      // Some servers accept AUTH and refuse the password-authenticated session only here (5.7.30).
      const known = adviceForReply(reply, { token: isBearerMechanism(facts.authMechanism ?? '') });
      return { stage: 'mail', temporary, reply, reason: `the server refused the sender (MAIL FROM)${reply ? `: ${reply}` : ''}${known ? `. ${known.advice}` : ''}` };
    }
    if (err.command === 'RCPT TO') {
      const refused = rejectionsOf(err);
      const all = /all recipients/i.test(err.message);
      const list = refused.length ? `: ${describeRejections(refused)}` : reply ? `: ${reply}` : '';
      const rcptTemporary = refused.length ? refused.every((r) => r.reply.startsWith('4')) : temporary;
      return { stage: 'rcpt', temporary: rcptTemporary, reply: refused[0]?.reply ?? reply, reason: `the server refused ${all ? (refused.length === 1 ? 'the recipient' : 'every recipient') : 'a recipient'}${list}` };
    }
    if (err.command === 'DATA') {
      if (facts.dataAccepted && code) return { stage: 'data', temporary, reply, reason: `the server rejected the message after receiving it${reply ? `: ${reply}` : ''}` };
      return { stage: 'data', temporary, reply, reason: `the server refused DATA${reply ? `: ${reply}` : ''}` };
    }
    if (facts.dataAccepted) {
      return { stage: 'data', temporary: true, reply, reason: 'the connection was cut while the message was being sent; the server did not get all of it, so it was not delivered' };
    }
    const stage = stageOfState(facts.state);
    const after = facts.lastClientCommand ? `after ${facts.lastClientCommand}` : 'during the session';
    return { stage, temporary: true, reply, reason: `the connection was lost ${after}${reply ? `: ${reply}` : ''}; nothing was delivered` };
  }

  if (phase === 'auth') {
    // Any reply to AUTH that is not a success (535, 534, 530, 454, Microsoft's 550 5.7.30, ...) is a refusal.
    if (code || err.code === 'EAUTH') {
      const token = isBearerMechanism(facts.authMechanism ?? '');
      const known = adviceForReply(reply, { token });
      const hint = token
        ? 'the access token was refused: it may have expired or been revoked, or lack the scope for sending mail'
        : 'check the user and password; many providers need an app password or authorisation code';
      return {
        stage: 'auth',
        temporary: code ? code >= 400 && code < 500 : false,
        reply,
        reason: `authentication failed${reply ? `: ${oneLine(reply)}` : ''}${known ? `. ${known.advice}` : ` (${hint})`}`,
      };
    }
    return { stage: 'auth', temporary: true, reply, reason: `the connection was lost during AUTH${reply ? `: ${reply}` : ''}` };
  }

  // Connecting: DNS, TCP, greeting, EHLO, STARTTLS or the TLS handshake.
  if (err.code === 'EDNS' || sys === 'ENOTFOUND' || sys === 'EAI_AGAIN') {
    return { stage: 'connect', temporary: sys === 'EAI_AGAIN', reason: `the host name "${profile.host}" could not be resolved (DNS): check its spelling` };
  }
  if (sys === 'ECONNREFUSED') {
    return { stage: 'connect', temporary: true, reason: `nothing accepts connections at ${where} (connection refused): is the server running and the port right?` };
  }
  if (err.timeoutType === 'CONNECT_TIMEOUT') {
    return { stage: 'connect', temporary: true, reason: `connecting to ${where} timed out: a firewall may drop the traffic (many networks block outbound port 25)` };
  }
  if (facts.greeting === undefined) {
    if (err.timeoutType === 'GREETING_TIMEOUT' || err.code === 'ETIMEDOUT') {
      const hint = profile.security === 'tls' ? '' : profile.port === 465 ? ': port 465 usually expects implicit TLS, not STARTTLS' : ': if the port expects implicit TLS, choose that security mode';
      return { stage: 'greeting', temporary: true, reason: `connected to ${where}, but the server never sent its greeting${hint}` };
    }
    if (err.code === 'ETLS' || sys.startsWith('ERR_SSL') || /SSL|TLS|certificate|wrong version/i.test(err.message)) {
      return { stage: 'tls', temporary: false, reason: tlsReason(err, profile) };
    }
    if (code) return { stage: 'greeting', temporary, reply, reason: `the server refused the session at its greeting${reply ? `: ${reply}` : ''}` };
    return { stage: 'greeting', temporary: true, reason: `the connection closed before the server's greeting (${err.message})` };
  }
  if (/^[45]/.test(facts.greeting)) {
    return { stage: 'greeting', temporary: facts.greeting.startsWith('4'), reply: facts.greeting, reason: `the server refused the session at its greeting: ${facts.greeting}` };
  }
  if (profile.security === 'starttls' && !facts.offersStartTls && facts.ehloLines.length) {
    return { stage: 'tls', temporary: false, reply, reason: 'the server does not offer STARTTLS and this profile requires it; nothing was sent (no AUTH, no MAIL)' };
  }
  if (facts.state === 'starttls') {
    // RFC 3207 section 4: 454 is "TLS not available due to temporary reason".
    if (code) return { stage: 'tls', temporary, reply, reason: `the server refused STARTTLS${reply ? `: ${reply}` : ''}` };
    if (isCertificateProblem(err)) return { stage: 'tls', temporary: false, reason: tlsReason(err, profile) };
    if (isDrop(err)) return { stage: 'tls', temporary: true, reason: 'the connection closed during the TLS set-up, right after STARTTLS (the server, or something between, cut it); nothing was sent' };
    return { stage: 'tls', temporary: false, reply, reason: tlsReason(err, profile) };
  }
  if (err.code === 'ETLS' || isCertificateProblem(err)) {
    return { stage: 'tls', temporary: false, reply, reason: tlsReason(err, profile) };
  }
  if (code) return { stage: 'greeting', temporary, reply, reason: `the server refused ${facts.lastClientCommand ?? 'the session'}${reply ? `: ${reply}` : ''}` };
  return { stage: stageOfState(facts.state), temporary: true, reply, reason: `the connection was lost ${facts.lastClientCommand ? `after ${facts.lastClientCommand}` : 'while setting up the session'}: ${err.message}` };
}

export function rejectionsOf(err: { rejectedErrors?: NodemailerError[] } | undefined): RecipientRejection[] {
  return (err?.rejectedErrors ?? []).map((e) => ({ address: e.recipient ?? '?', reply: (e.response ?? e.message).trim() }));
}

/** "carol@example.net (550 5.1.1 no such user)"; a long list is cut after five. */
export function describeRejections(rejected: readonly RecipientRejection[]): string {
  const shown = rejected.slice(0, 5).map((r) => `${r.address} (${r.reply})`);
  return shown.join('; ') + (rejected.length > 5 ? `; and ${rejected.length - 5} more` : '');
}

function isCertificateProblem(err: NodemailerError): boolean {
  return /certificate|self[- ]signed|unable to verify|altname|expired|wrong version number|unknown protocol|packet length/i.test(`${err.message} ${err.originalCode ?? ''}`) || (err.originalCode ?? '').startsWith('ERR_SSL') || (err.originalCode ?? '').startsWith('ERR_TLS');
}

function isDrop(err: NodemailerError): boolean {
  return ['ECONNRESET', 'EPIPE', 'ECONNECTION'].includes(err.originalCode ?? err.code ?? '') || /disconnected|closed unexpectedly|socket hang up|ECONNRESET/i.test(err.message);
}

function tlsReason(err: NodemailerError, profile: SmtpProfile): string {
  const m = `${err.message} ${err.originalCode ?? ''}`;
  if (/self[- ]signed|unable to verify|UNABLE_TO_GET_ISSUER|SELF_SIGNED|DEPTH_ZERO/i.test(m))
    return `the server's certificate is not trusted (${oneLine(err.message)}): trust its CA with a CA file, rather than turning certificate checks off`;
  if (/altnames|hostname|ERR_TLS_CERT_ALTNAME/i.test(m)) return `the server's certificate is not for "${profile.host}" (${oneLine(err.message)})`;
  if (/expired/i.test(m)) return "the server's certificate has expired";
  if (/wrong version number|packet length too long|unknown protocol/i.test(m))
    return profile.security === 'tls'
      ? `the server at port ${profile.port} did not answer TLS: it probably expects STARTTLS (usually port 587 or 25), not implicit TLS`
      : 'the TLS handshake failed: the server did not speak TLS';
  return `the TLS handshake failed (${oneLine(err.message)})`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

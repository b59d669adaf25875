// nodemailer errors to outcomes: which stage, temporary or permanent, and a reason a person can act on.
// One place for all of it (see nodemailer's errors: `code`, `responseCode`, `command`, `timeoutType`).
import type { SmtpProfile } from '../profiles/profile';
import type { SessionFacts } from './session';
import type { SendStage } from './types';

export interface NodemailerError extends Error {
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  timeoutType?: string;
}

export interface Classified {
  stage: SendStage;
  temporary: boolean;
  reason: string;
  reply?: string;
  /** The message may have been delivered (dropped after the final dot). */
  unknown?: boolean;
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

  if (phase === 'send') {
    if (facts.messageEnded && !code) {
      return {
        stage: 'data',
        temporary: true,
        unknown: true,
        reason: `the connection ${err.code === 'ETIMEDOUT' ? 'timed out' : 'dropped'} after the whole message was sent, before the server confirmed it: it may or may not have been delivered, so it is not sent again`,
      };
    }
    if (err.code === 'EMESSAGE' && err.command === 'MAIL FROM' && /larger than allowed/i.test(err.message)) {
      return { stage: 'mail', temporary: false, reason: `the message is larger than the server accepts (${err.message.replace(/^.*allowed\s*/i, 'limit ')} bytes, from its SIZE); nothing was sent` };
    }
    if (err.command === 'MAIL FROM') return { stage: 'mail', temporary, reply, reason: `the server refused the sender (MAIL FROM)${reply ? `: ${reply}` : ''}` };
    if (err.command === 'RCPT TO') return { stage: 'rcpt', temporary, reply, reason: `the server refused ${/all recipients/i.test(err.message) ? 'every recipient' : 'a recipient'}${reply ? `: ${reply}` : ''}` };
    if (err.command === 'DATA') {
      if (facts.dataAccepted && code) return { stage: 'data', temporary, reply, reason: `the server rejected the message after receiving it${reply ? `: ${reply}` : ''}` };
      return { stage: 'data', temporary, reply, reason: `the server refused DATA${reply ? `: ${reply}` : ''}` };
    }
    if (facts.dataAccepted) {
      return { stage: 'data', temporary: true, reply, reason: 'the connection was cut while the message was being sent; the server did not get all of it, so it was not delivered' };
    }
    const stage: SendStage = facts.lastClientCommand === 'RCPT' ? 'rcpt' : 'mail';
    return { stage, temporary: true, reply, reason: `the connection was lost during ${facts.lastClientCommand ?? 'the session'}${reply ? `: ${reply}` : ''}` };
  }

  if (phase === 'auth') {
    if (code === 535 || code === 534 || code === 530 || code === 454 || err.code === 'EAUTH') {
      return {
        stage: 'auth',
        temporary: code ? code >= 400 && code < 500 : false,
        reply,
        reason: `authentication failed${reply ? `: ${reply}` : ''} (check the user and password; many providers need an app password or authorisation code)`,
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
  if (err.command === 'STARTTLS' || err.code === 'ETLS' || /certificate|SSL|TLS/i.test(err.message)) {
    if (profile.security === 'starttls' && !facts.offersStartTls) {
      return { stage: 'tls', temporary: false, reply, reason: 'the server does not offer STARTTLS and this profile requires it; nothing was sent (no AUTH, no MAIL)' };
    }
    return { stage: 'tls', temporary: false, reply, reason: tlsReason(err, profile) };
  }
  return { stage: 'greeting', temporary, reply, reason: `the session could not be set up${reply ? `: ${reply}` : `: ${err.message}`}` };
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

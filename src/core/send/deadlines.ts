// Where an SMTP dialogue is, and which deadline (SmtpTimeouts, ../profiles/profile.ts) bounds each part.
import type { DeadlineKey } from '../profiles/profile';
import type { SendStage } from './types';

/**
 * `connect` (DNS, TCP, implicit TLS) -> `greeting` -> `ehlo` / `starttls` -> `auth` -> per message:
 * `mail` -> `rcpt` -> `data` (until 354) -> `transfer` (the message) -> `final-reply`; `rset`, `quit`.
 */
export type DialogueState = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'transfer' | 'final-reply' | 'rset' | 'quit';

export interface DeadlineCategory {
  key: DeadlineKey;
  /** Each command gets its own deadline, rather than the stage as a whole. */
  perCommand: boolean;
}

export function deadlineCategory(state: DialogueState): DeadlineCategory {
  switch (state) {
    case 'connect':
    case 'greeting':
      return { key: 'greetingDeadlineMs', perCommand: false };
    case 'ehlo':
    case 'starttls':
      return { key: 'setupDeadlineMs', perCommand: false };
    case 'auth':
      return { key: 'authDeadlineMs', perCommand: false };
    case 'transfer':
      return { key: 'dataDeadlineMs', perCommand: false };
    case 'final-reply':
      return { key: 'finalReplyDeadlineMs', perCommand: false };
    default:
      return { key: 'commandDeadlineMs', perCommand: true };
  }
}

/** The stage an outcome names for a dialogue state. */
export function stageOfState(state: DialogueState): SendStage {
  switch (state) {
    case 'connect':
      return 'connect';
    case 'greeting':
    case 'ehlo':
      return 'greeting';
    case 'starttls':
      return 'tls';
    case 'auth':
      return 'auth';
    case 'rcpt':
      return 'rcpt';
    case 'data':
    case 'transfer':
    case 'final-reply':
      return 'data';
    default:
      return 'mail';
  }
}

/**
 * How a state is named in a sentence ("... did not finish <it> within 30 s"). Connecting and taking the
 * message have sentences of their own (./classify.ts): neither is the server failing to answer.
 */
export const STATE_WORDS: Record<Exclude<DialogueState, 'connect' | 'transfer'>, string> = {
  greeting: 'its greeting',
  ehlo: 'its answer to EHLO',
  starttls: 'STARTTLS and the TLS handshake',
  auth: 'the AUTH exchange',
  mail: 'its answer to MAIL FROM',
  rcpt: 'its answer to RCPT TO',
  data: 'its answer to DATA',
  'final-reply': 'its reply after the end of the message',
  rset: 'its answer to RSET',
  quit: 'its answer to QUIT',
};

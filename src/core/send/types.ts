// What a send reports. Every case the user must act on differently has its own status.
import type { Logger } from '../types';

/** Where an SMTP session stopped, in dialogue order. */
export type SendStage =
  | 'config' // the profile or the credentials could not be used; nothing was contacted
  | 'limit' // the hourly limit was reached; nothing was contacted
  | 'connect' // DNS or TCP
  | 'greeting'
  | 'tls'
  | 'auth'
  | 'mail'
  | 'rcpt'
  | 'data';

export interface RecipientRejection {
  address: string;
  reply: string;
}

export interface OutcomeBase {
  profile: string;
  messageId: string;
  /** Every RCPT TO the envelope named. */
  envelope: { from: string; to: string[] };
  /** The server's last reply that decided the outcome, when there was one. */
  reply?: string;
  elapsedMs: number;
}

export type SendOutcome =
  | (OutcomeBase & { status: 'sent'; accepted: string[]; queueId?: string })
  /** Some recipients got it; the profile's policy is to accept that. */
  | (OutcomeBase & { status: 'partial'; accepted: string[]; rejected: RecipientRejection[]; queueId?: string })
  | (OutcomeBase & {
      status: 'failed';
      stage: SendStage;
      /** A 4xx reply or a dropped connection before the end of data: trying again later may work. */
      temporary: boolean;
      /** Plain-language reason (already free of secrets). */
      reason: string;
      rejected?: RecipientRejection[];
    })
  /**
   * The connection dropped or timed out after the final dot: the server may have queued the message.
   * Never retried automatically, since a retry could deliver it twice.
   */
  | (OutcomeBase & { status: 'unknown'; reason: string });

export interface SendOptions {
  /** Receives the SMTP dialogue, redacted. */
  logger?: Logger;
  signal?: AbortSignal;
  /** JSON file that keeps the hourly counts across restarts; no limit is kept when absent. */
  rateLimitStatePath?: string;
  /** For `${env:NAME}` in profile values and `caFile` reading; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Clock for the hourly limit (tests). */
  now?: () => number;
}

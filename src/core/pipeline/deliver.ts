// Delivering prepared messages: one pooled connection for all of them, a per-message outcome recorded in the
// journal as it happens, progress and cancellation between messages, credentials from the face's secret
// provider (renewed once if the server refuses them, before anything of that message left), and the capture
// inbox resolved to the server it really is. Sending one message, a patch series or a merge all end here.
import { SentJournal, type JournalEntry } from '../journal/sentJournal';
import type { PreparedMessage } from '../message/types';
import { isCaptureInbox, type SmtpProfile, type SmtpSecret } from '../profiles/profile';
import { SecretUnavailable, type SecretProvider } from '../secrets/provider';
import { rateLimitFile } from '../state/paths';
import type { SendOutcome } from '../send/types';
import type { Logger } from '../types';

/** The capture inbox a face keeps running (the extension's); its `profile` is where it really listens. */
export interface RunningInbox {
  profile: SmtpProfile;
}

export interface DeliveryContext {
  logger: Logger;
  /** The shared state folder (hourly-limit counts, the sent journal): ../state/paths.ts. */
  stateDir: string;
  /** Which face sends, for the journal ('cli', 'vscode'). */
  face: string;
  secrets: SecretProvider;
  /** The running capture inbox, for a capture-inbox profile. Absent: one is started for the delivery. */
  captureInbox?: () => Promise<RunningInbox>;
  /** Where a capture inbox started for the delivery keeps messages (required when `captureInbox` is absent). */
  inboxDir?: string;
  signal?: AbortSignal;
  /** For `${env:NAME}` in profile values. */
  env?: Record<string, string | undefined>;
  onProgress?(progress: DeliveryProgress): void;
}

export interface DeliveryProgress {
  /** Messages with an outcome so far. */
  done: number;
  total: number;
  /** The outcome just known, if one is. */
  outcome?: SendOutcome;
}

export interface OutgoingMessage {
  message: PreparedMessage;
  /** The document it came from (a path or an editor URI), for the journal. */
  source: string;
}

export interface Delivered {
  item: OutgoingMessage;
  outcome: SendOutcome;
  entry: JournalEntry;
  /** For the capture inbox started by the delivery: the file the message landed in. */
  captured?: string;
}

/**
 * Optional per-message hooks, for deliveries whose later messages depend on earlier outcomes (a patch series
 * threads to the Message-ID a server really kept) and for servers that limit messages per connection.
 */
export interface DeliveryHooks {
  /** Just before message `index` is sent: the message to send in its place (built now), or the same one. */
  before?(index: number, item: OutgoingMessage): OutgoingMessage | Promise<OutgoingMessage>;
  /** After each outcome: false stops the delivery there (the rest is returned as not sent). */
  after?(delivered: Delivered, index: number): boolean | void | Promise<boolean | void>;
  /** Messages per connection (default: the profile's batchSize): after this many, a new connection (git's smtpBatchSize). */
  batchSize?: number;
  /** Milliseconds to wait before that new connection (default: the profile's; git's smtpReloginDelay, in seconds). */
  reloginDelayMs?: number;
}

export type DeliveryResult =
  | { ok: true; delivered: Delivered[]; notSent: OutgoingMessage[] }
  /** Nothing could be tried: no credentials, or the capture inbox would not start. Nothing was sent. */
  | { ok: false; reason: string; notSent: OutgoingMessage[] };

export async function deliver(items: readonly OutgoingMessage[], profile: SmtpProfile, context: DeliveryContext, hooks: DeliveryHooks = {}): Promise<DeliveryResult> {
  const opened = await openDelivery(profile, context);
  if (!opened.ok) return { ok: false, reason: opened.reason, notSent: [...items] };
  // The profile knows the server's limit on messages per connection; a caller may say otherwise.
  const batchSize = hooks.batchSize ?? profile.batchSize;
  const reloginDelayMs = hooks.reloginDelayMs ?? (profile.reloginDelaySeconds ?? 0) * 1000;
  let connection = opened.delivery.connection();
  const delivered: Delivered[] = [];
  try {
    for (let index = 0; index < items.length; index++) {
      if (context.signal?.aborted) break;
      if (batchSize && index > 0 && index % batchSize === 0) {
        // The server takes so many messages per connection: log in again, after the delay it asks for.
        connection.close();
        await delay(reloginDelayMs, context.signal);
        if (context.signal?.aborted) break;
        connection = opened.delivery.connection();
      }
      const item = hooks.before ? await hooks.before(index, items[index]) : items[index];
      const done = await connection.send(item);
      delivered.push(done);
      context.onProgress?.({ done: delivered.length, total: items.length, outcome: done.outcome });
      if (hooks.after && (await hooks.after(done, index)) === false) break;
    }
  } finally {
    connection.close();
    await opened.delivery.close();
  }
  return { ok: true, delivered, notSent: items.slice(delivered.length) };
}

export interface DeliveryOptions {
  /**
   * Keep a private copy of each message's bytes with its sent-history entry (default true). A merge keeps
   * its own journal and may send 100,000 messages: its entries carry no copy.
   */
  keepCopies?: boolean;
  /**
   * The caller counts the sends and keeps the limits itself (a merge's limiter, ../merge/limits.ts): the
   * transport's per-message hourly file is then neither checked nor written.
   */
  ownLimits?: boolean;
}

/** One SMTP session of a delivery: messages go one after another over it, each with its outcome recorded. */
export interface DeliveryConnection {
  send(item: OutgoingMessage): Promise<Delivered>;
  close(): void;
}

/** The transport ready (credentials fetched, the capture inbox started): connections are opened from it. */
export interface OpenDelivery {
  /** A connection of its own; several may send at once (a merge's parallel connections). */
  connection(): DeliveryConnection;
  /** Stops a capture inbox started for the delivery. Close the connections first. */
  close(): Promise<void>;
}

/**
 * Gets a delivery ready: resolves a capture-inbox profile to the server it really is and asks the face's
 * provider for credentials. `deliver` sends a list over one connection; a merge opens several.
 */
export async function openDelivery(profile: SmtpProfile, context: DeliveryContext, options: DeliveryOptions = {}): Promise<{ ok: true; delivery: OpenDelivery } | { ok: false; reason: string }> {
  const journal = new SentJournal(context.stateDir);
  const landed: string[] = [];
  let transport: SmtpProfile = profile;
  let stopInbox: (() => Promise<void>) | undefined;
  let secret: SmtpSecret = {};
  try {
    if (isCaptureInbox(profile)) {
      if (context.captureInbox) transport = (await context.captureInbox()).profile;
      else {
        if (!context.inboxDir) throw new Error('no folder was given for the capture inbox');
        // smtp-server loads only when a capture inbox is started here.
        const { startCaptureInbox } = await import('../inbox/captureInbox.js');
        const inbox = await startCaptureInbox({ dir: context.inboxDir, port: 0, logger: context.logger, onMessage: (m) => landed.push(m.file) });
        transport = inbox.profile;
        stopInbox = () => inbox.close();
      }
    } else secret = await context.secrets.get();
  } catch (err) {
    await stopInbox?.();
    const reason = err instanceof SecretUnavailable ? err.message : `could not get ready to send: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, reason };
  }

  // Loaded on first use: nodemailer is not needed to activate the editor or to check a file.
  const { createSender } = await import('../send/send.js');
  const keepCopies = options.keepCopies !== false;

  function connection(): DeliveryConnection {
    // Each message's part of the (redacted) dialogue is kept with its journal entry, when copies are kept.
    let transcript: string[] = [];
    const logger = keepCopies ? teeLogger(context.logger, (line) => transcript.push(line)) : context.logger;
    const senderOptions = {
      logger,
      signal: context.signal,
      rateLimitStatePath: options.ownLimits ? undefined : rateLimitFile(context.stateDir),
      env: context.env,
    };
    let sender = createSender(transport, secret, senderOptions);
    return {
      async send(item) {
        transcript = [];
        let outcome = await sender.send(item.message);
        if (outcome.status === 'failed' && outcome.stage === 'auth' && !outcome.temporary && context.secrets.refresh && !isCaptureInbox(profile)) {
          // Nothing of this message left before AUTH: with renewed credentials it is safe to try once more. Not
          // after a temporary refusal (454 4.7.0, too many sign-ins): another sign-in at once only prolongs it.
          let whyNotRenewed: string | undefined;
          const renewed = await context.secrets.refresh().catch((err: unknown) => {
            // "Sign in again" belongs in the outcome the person reads (its message holds no secret).
            if (err instanceof SecretUnavailable) whyNotRenewed = err.message;
            return undefined;
          });
          if (renewed) {
            context.logger.info('The server refused the credentials: trying once more with renewed ones');
            secret = renewed; // connections opened from now on use them too
            sender.close();
            sender = createSender(transport, renewed, senderOptions);
            outcome = await sender.send(item.message);
          } else if (whyNotRenewed) {
            outcome = { ...outcome, reason: `${outcome.reason}; ${whyNotRenewed}` };
          }
        }
        const entry = journal.record(outcome, {
          source: item.source,
          face: context.face,
          subject: item.message.subject,
          ...(keepCopies ? { raw: item.message.raw, transcript } : {}),
        });
        // The inbox lands a message before it answers its final dot: what landed during this send is this message's
        // file (an unknown outcome's too, when only the reply was lost). A merge's parallel connections read none.
        const captured = landed.shift();
        return { item, outcome, entry, ...(captured ? { captured } : {}) };
      },
      close: () => sender.close(),
    };
  }

  return { ok: true, delivery: { connection, close: async () => void (await stopInbox?.()) } };
}

/** Waits `ms`, or less when the delivery is cancelled. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** A logger that also hands every line (info and up, the dialogue's level) to `collect`. */
function teeLogger(logger: Logger, collect: (line: string) => void): Logger {
  return {
    trace: (m) => logger.trace(m),
    debug: (m) => logger.debug(m),
    info: (m) => (collect(m), logger.info(m)),
    warn: (m) => (collect(m), logger.warn(m)),
    error: (m) => (collect(m), logger.error(m)),
  };
}

// Sending a merge, exactly once, within the provider's limits, on the core's delivery path
// (../pipeline/deliver.ts: pooled connections, the face's credentials, the sent history).
//  - Rows are read, rendered and prepared one at a time as connections take them (memory stays flat).
//  - A row the journal records as sent is never sent again; one whose outcome is unknown (the connection
//    dropped after the final dot, or the process stopped between "sending" and the outcome) neither,
//    unless --retry-unknown says so.
//  - Each message waits for its slot: the rate, the profile's hourly limit, the daily cap (which ends the
//    run). 421/451/454 replies (RFC 5321 section 4.2.5, RFC 3463, RFC 4954), like any temporary failure,
//    mean "later": all connections pause, doubling the pause each time, and the row is tried again (a
//    failure, unlike an unknown outcome, is certain not to have delivered it).
//  - A failure that every row would meet (credentials, TLS, the profile) ends the run; so does a high rate
//    of permanent refusals, since a list with many bad addresses harms the sender's reputation.
//  - Stopping (Ctrl-C, Cancel) lets the messages in flight finish and starts no other; the hard abort
//    (a second Ctrl-C) cuts them too, and a message cut after its final dot is reported unknown.
import { envelopeAddressProblem } from '../message/envelope';
import type { PreparedMessage } from '../message/types';
import { openDelivery, type DeliveryConnection, type DeliveryContext, type OpenDelivery } from '../pipeline/deliver';
import type { SmtpProfile } from '../profiles/profile';
import type { SendOutcome } from '../send/types';
import type { MergeCheck } from './check';
import { MergeJournal, type RowState } from './journal';
import { effectiveLimits, SendLimiter, type MergeLimits } from './limits';
import type { OpenedMerge } from './open';
import { renderRow, type RenderedRow } from './render';
import { ReportWriter, type ReportRow } from './report';
import { checkRow } from './rowCheck';
import type { DataRow } from './types';

export interface MergeRunOptions {
  /** Rows to send at most; default 1 the first time (the journal shows nothing sent), else every row. */
  limit?: number;
  /** Only these rows (1-based). */
  rows?: readonly number[];
  /** Continue the merge the journal records (it must exist); lifts the first-time limit of 1. */
  resume?: boolean;
  /** Send again the rows whose outcome is unknown (they may arrive twice). */
  retryUnknown?: boolean;
  /** Messages a minute (default: the provider's preset, else none). */
  perMinute?: number;
  /** Messages a day (default: the provider's preset). */
  messagesPerDay?: number;
  /** Parallel connections (default 1). */
  connections?: number;
  /** Send the selected rows (default row 1) to this address only: the headers stay the row's. Not journaled. */
  testRecipient?: string;
  /** Only decide and report what would be sent (a dry run); nothing is contacted. */
  dryRun?: boolean;
  /** First pause after 421/451/454, doubled each time up to 5 minutes (default 5 s). */
  backoffMs?: number;
  /** Tries of one row after temporary refusals (default 3). */
  maxAttempts?: number;
  /** Where the report goes (default: next to the journal, `.report.csv`). */
  reportPath?: string;
}

export interface MergeRunContext extends DeliveryContext {
  /** Soft stop: no message starts after it; those in flight finish. (`signal` aborts them too.) */
  stop?: AbortSignal;
  onRow?(row: ReportRow): void;
  onMergeProgress?(progress: MergeProgress): void;
}

export interface MergeProgress {
  /** Messages this run means to send (rows pending, within the limit). */
  planned: number;
  done: number;
  sent: number;
  failed: number;
  unknown: number;
  partial: number;
  /** Waiting for a limit or a backoff: until when and why. */
  waiting?: { until: number; why: string };
  elapsedMs: number;
}

export interface MergeRunResult {
  /** done: every selected row was decided; stopped: a stop, a cap or a failure ended the run early; error: nothing could be tried. */
  status: 'done' | 'stopped' | 'error';
  reason?: string;
  counts: Record<ReportRow['status'], number>;
  /** Rows still to send after this run (pending, failed or not reached). */
  remaining?: number;
  limits?: MergeLimits;
  journalPath?: string;
  reportPath?: string;
}

const SESSION_STAGES = new Set(['config', 'tls', 'auth', 'limit']);
const MAX_BACKOFF_MS = 5 * 60_000;
const FAILURE_WINDOW = 20;

export async function runMerge(merge: OpenedMerge, check: MergeCheck, profile: SmtpProfile, context: MergeRunContext, options: MergeRunOptions = {}): Promise<MergeRunResult> {
  const counts = emptyCounts();
  const error = (reason: string): MergeRunResult => ({ status: 'error', reason, counts });
  const { data, journalPath } = merge;
  if (!data || !journalPath) return error('no data file');
  if (!check.sendable) return error(`the merge has ${check.errors} error${check.errors === 1 ? '' : 's'}: fix them first; nothing was sent`);
  const test = options.testRecipient?.trim();
  if (test !== undefined) {
    const bad = envelopeAddressProblem(test);
    if (bad) return error(`the test address "${test}" cannot be used: ${bad}`);
  }
  const sending = !options.dryRun;
  let journal: MergeJournal;
  try {
    journal = MergeJournal.open(journalPath, sending && test === undefined);
  } catch (err) {
    return error(err instanceof Error ? err.message : String(err));
  }
  if (options.resume && journal.rows.size === 0) {
    journal.close();
    return error(`nothing to resume: there is no journal of this merge at ${journalPath}`);
  }
  const firstTime = !journal.begun && !options.resume;
  const { selected, limit } = selection(options, journal.begun);
  const limits = effectiveLimits(profile, { perMinute: options.perMinute, messagesPerDay: options.messagesPerDay });
  const reportPath = options.reportPath ?? journalPath.replace(/\.jsonl$/, '') + '.report.csv';
  const report = sending ? new ReportWriter(reportPath) : undefined;
  const started = Date.now();
  const planned = plannedSends(check, options, journal.begun);
  const progress: MergeProgress = { planned, done: 0, sent: 0, failed: 0, unknown: 0, partial: 0, elapsedMs: 0 };
  const emitProgress = () => context.onMergeProgress?.({ ...progress, elapsedMs: Date.now() - started });
  const record = (row: ReportRow) => {
    counts[row.status]++;
    report?.add(row);
    context.onRow?.(row);
  };

  let stopReason: string | undefined;
  const stopAll = (reason: string) => {
    stopReason ??= reason;
  };
  const stopped = () => stopReason !== undefined || context.stop?.aborted === true || context.signal?.aborted === true;
  const source = (row: DataRow) => `${merge.setup.templatePath} (row ${row.number} of ${data.path})`;
  const profileDefaults = merge.setup.defaultFrom;

  // Rows in data order, each decided against the journal; those to send come out prepared.
  let taken = 0;
  interface Work {
    row: DataRow;
    rendered: RenderedRow;
    message: PreparedMessage;
  }
  async function* work(): AsyncGenerator<Work> {
    for await (const item of data!.rows()) {
      const { row } = item;
      if (selected && !selected.includes(row.number)) continue;
      const rendered = renderRow(merge.template, row, { defaultFrom: profileDefaults });
      const before = journal.rows.get(rendered.key);
      const base = { row: row.number, recipients: before?.to.length ? before.to : rendered.recipients, messageId: rendered.messageId };
      if (test === undefined && before && (before.status === 'sent' || before.status === 'partial')) {
        record({ ...base, status: 'sent-before', reply: before.reply, messageId: before.messageId, time: before.time, note: `sent ${before.time}` });
        continue;
      }
      if (test === undefined && before?.status === 'unknown' && !options.retryUnknown) {
        record({ ...base, status: 'unknown-before', messageId: before.messageId, time: before.time, note: `${before.reason ?? 'outcome unknown'}; not sent again without --retry-unknown` });
        continue;
      }
      // A send run ends its reading at a stop or at the limit; a dry run says what every row would do.
      if (sending && (stopped() || taken >= limit)) return;
      if (taken >= limit) {
        record({ ...base, status: 'not-sent', note: options.limit === undefined && firstTime ? 'over the first run\u2019s limit of 1 row (--limit N)' : `over the limit of ${limit}` });
        continue;
      }
      const checked = await checkRow(merge.template, row, { analyze: merge.setup.analyze, defaultFrom: profileDefaults, rendered, prepare: true });
      const errors = checked.problems.filter((p) => p.severity === 'error');
      if (!checked.message || errors.length) {
        record({ ...base, status: 'refused', note: errors[0]?.message ?? 'the message cannot be prepared' });
        continue;
      }
      taken++;
      if (!sending) {
        record({ ...base, recipients: checked.message.envelope.to, status: 'would-send', note: `${checked.message.size} bytes` });
        continue;
      }
      const message = test === undefined ? checked.message : { ...checked.message, envelope: { from: checked.message.envelope.from, to: [test] }, blindRecipients: [] };
      yield { row, rendered, message };
    }
  }

  if (!sending) {
    for await (const item of work()) void item;
    journal.close();
    return { status: 'done', counts, remaining: check.pending, limits, journalPath };
  }

  // The transport is made ready when the first row is to go: a re-run with nothing left contacts nothing.
  let opening: ReturnType<typeof openDelivery> | undefined;
  const delivery = async (): Promise<OpenDelivery | undefined> => {
    opening ??= openDelivery(profile, context, { keepCopies: false, ownLimits: true });
    const opened = await opening;
    if (opened.ok) return opened.delivery;
    stopAll(opened.reason);
    notReady = opened.reason;
    return undefined;
  };
  let notReady: string | undefined;
  const limiter = new SendLimiter(limits, context.stateDir, profile.name);
  const rows = work();
  let pausedUntil = 0;
  let backoffs = 0;
  /** Rows in a row given up after temporary failures: three mean the server is not taking mail now. */
  let giveUps = 0;
  const recent: boolean[] = []; // true: refused for good

  const wait = async (until: number, why: string): Promise<boolean> => {
    progress.waiting = { until, why };
    emitProgress();
    await sleepUntil(until, [context.stop, context.signal]);
    progress.waiting = undefined;
    return !stopped();
  };

  async function sendRow(connection: DeliveryConnection, item: Work): Promise<void> {
    const entry = { row: item.row.number, key: item.rendered.key, messageId: item.message.messageId, to: item.message.envelope.to };
    const recipients = item.message.envelope.to.length;
    const maxAttempts = options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      // The slot: a backoff pause, then the limits.
      let permitted = false;
      for (;;) {
        if (Date.now() < pausedUntil && !(await wait(pausedUntil, 'the server asked to slow down'))) break;
        const permit = limiter.permit(recipients);
        if (permit.ok) {
          permitted = true;
          break;
        }
        if ('stop' in permit) {
          stopAll(permit.stop);
          break;
        }
        if (!(await wait(Date.now() + permit.wait, permit.why))) break;
      }
      if (stopped()) {
        if (permitted) limiter.settle(recipients, false);
        record({ row: entry.row, recipients: entry.to, status: 'not-sent', messageId: entry.messageId, note: stopReason ?? 'stopped before it was sent' });
        return;
      }
      if (test === undefined) await journal.sending(entry, attempt);
      const { outcome } = await connection.send({ message: item.message, source: source(item.row) });
      const state = test === undefined ? journal.outcome(entry, outcome) : undefined;
      limiter.settle(recipients, outcome.status !== 'failed');
      // A temporary failure is certain not to have delivered the message (unknown is another status), so the
      // row may be tried again: after 421/451/454, or a connection closed before the data (which is how a
      // server that says 421 and hangs up often looks from here).
      const later = outcome.status === 'failed' && outcome.temporary && !/cancelled/.test(outcome.reason);
      if (later && attempt < maxAttempts && !stopped()) {
        backoffs++;
        const pause = Math.min(MAX_BACKOFF_MS, (options.backoffMs ?? 5000) * 2 ** (backoffs - 1));
        context.logger.warn(`Row ${entry.row}: ${outcome.status === 'failed' ? outcome.reason : ''}; pausing ${Math.round(pause / 1000)} s before trying again`);
        pausedUntil = Math.max(pausedUntil, Date.now() + pause);
        continue;
      }
      if (outcome.status === 'sent') backoffs = 0;
      giveUps = later ? giveUps + 1 : 0;
      finish(entry, outcome, state, later && (giveUps >= 3 || (outcome.status === 'failed' && (outcome.stage === 'connect' || outcome.stage === 'greeting'))));
      return;
    }
  }

  function finish(entry: { row: number; messageId: string; to: string[] }, outcome: SendOutcome, state: RowState | undefined, gaveUp: boolean): void {
    const base = { row: entry.row, recipients: entry.to, messageId: entry.messageId, time: state?.time ?? new Date().toISOString(), ...(outcome.reply ? { reply: outcome.reply } : {}) };
    progress.done++;
    if (outcome.status === 'sent') progress.sent++;
    else if (outcome.status === 'partial') progress.partial++;
    else if (outcome.status === 'unknown') progress.unknown++;
    else progress.failed++;
    if (test !== undefined) {
      record({ ...base, status: outcome.status === 'failed' ? 'test-failed' : 'test-sent', note: `to ${test} only${outcome.status === 'failed' ? `: ${outcome.reason}` : ''}` });
    } else if (outcome.status === 'failed') {
      record({ ...base, status: 'failed', note: `${outcome.reason}${outcome.temporary ? ' (temporary: a later run tries again)' : ''}` });
    } else if (outcome.status === 'unknown') {
      record({ ...base, status: 'unknown', note: `${outcome.reason}; not sent again without --retry-unknown` });
    } else if (outcome.status === 'partial') {
      record({ ...base, status: 'partial', note: `refused: ${outcome.rejected.map((r) => `${r.address} (${r.reply})`).join(', ')}` });
    } else record({ ...base, status: 'sent' });
    emitProgress();

    if (outcome.status === 'failed') {
      if (SESSION_STAGES.has(outcome.stage) || gaveUp) stopAll(`stopped after row ${entry.row}: ${outcome.reason}`);
      recent.push(!outcome.temporary);
    } else recent.push(false);
    if (recent.length > FAILURE_WINDOW) recent.shift();
    const refused = recent.filter(Boolean).length;
    if (refused >= 5 && refused * 2 >= recent.length) {
      stopAll(`stopped: ${refused} of the last ${recent.length} messages were refused for good (check the addresses; a high bounce rate harms your sender reputation)`);
    }
  }

  async function worker(): Promise<void> {
    let connection: DeliveryConnection | undefined;
    try {
      for (;;) {
        if (stopped()) return;
        const next = await rows.next(); // an async generator queues concurrent calls: each row goes to one worker
        if (next.done) return;
        connection ??= (await delivery())?.connection();
        if (!connection) {
          record({ row: next.value.row.number, recipients: next.value.message.envelope.to, status: 'not-sent', messageId: next.value.message.messageId, note: notReady ?? 'stopped' });
          return;
        }
        await sendRow(connection, next.value);
      }
    } finally {
      connection?.close();
    }
  }

  emitProgress();
  try {
    const connections = test !== undefined ? 1 : Math.max(1, Math.floor(options.connections ?? 1));
    await Promise.all(Array.from({ length: connections }, () => worker()));
    await rows.return(undefined);
  } finally {
    journal.close();
    report?.close();
    const opened = await opening;
    if (opened?.ok) await opened.delivery.close();
  }
  if (notReady && progress.done === 0) return { ...error(notReady), journalPath, reportPath };
  const reason = stopReason ?? (context.stop?.aborted || context.signal?.aborted ? 'stopped: cancelled' : undefined);
  const remaining = Math.max(0, (selected ? selected.length : check.pending) - counts.sent - counts.partial - counts.unknown - counts['test-sent']);
  return { status: reason ? 'stopped' : 'done', ...(reason ? { reason } : {}), counts, remaining, limits, journalPath, reportPath };
}

/** The rows a run may take and how many at most: the first run of a merge sends one row unless told more. */
function selection(options: MergeRunOptions, begun: boolean): { selected?: readonly number[]; limit: number } {
  const selected = options.rows ?? (options.testRecipient !== undefined ? [1] : undefined);
  const firstTime = !begun && !options.resume;
  return { selected, limit: options.limit ?? (firstTime && !selected ? 1 : Number.POSITIVE_INFINITY) };
}

/**
 * How many messages a run with these options would send at most (what a confirmation names): `begun` is
 * the journal's (`MergeJournal.begun`).
 */
export function plannedSends(check: MergeCheck, options: MergeRunOptions, begun: boolean): number {
  const { selected, limit } = selection(options, begun);
  return Math.min(limit, selected ? selected.length : check.pending);
}

function emptyCounts(): Record<ReportRow['status'], number> {
  return { sent: 0, partial: 0, failed: 0, unknown: 0, 'sent-before': 0, 'unknown-before': 0, 'not-sent': 0, refused: 0, 'would-send': 0, 'test-sent': 0, 'test-failed': 0 };
}

/** Waits until `until` or until one of the signals fires. */
function sleepUntil(until: number, signals: (AbortSignal | undefined)[]): Promise<void> {
  return new Promise((resolve) => {
    const live = signals.filter((s): s is AbortSignal => s !== undefined);
    if (live.some((s) => s.aborted)) return resolve();
    const done = () => {
      clearTimeout(timer);
      for (const s of live) s.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, until - Date.now()));
    for (const s of live) s.addEventListener('abort', done, { once: true });
  });
}

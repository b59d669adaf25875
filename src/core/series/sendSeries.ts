// The series send use case, once for every face: refused while the series has errors; otherwise the review of
// every message is shown through the face's `confirm`, and only then do the messages go, over one connection
// (or one per batch), in order. Each message is built just before it leaves, threaded to the Message-IDs the
// server really kept (Outlook replaces ours and says so in its reply). The first failure stops the series:
// the rest stays unsent, and the result says what to send again. Every outcome goes to the journal and to the
// series state.
import { randomBytes } from 'node:crypto';
import { deliver, type DeliveryContext, type OutgoingMessage } from '../pipeline/deliver';
import type { JournalEntry } from '../journal/sentJournal';
import type { SmtpProfile } from '../profiles/profile';
import type { SendOutcome } from '../send/types';
import { describeOutcome } from '../send/describe';
import { previewSeries, prepareSeriesMessage, variantIds, type SeriesPlan, type SendVariant } from './plan';
import type { SeriesProblem } from './read';
import { buildSeriesReview, type SeriesReview } from './review';
import { SeriesState, type SeriesStateEntry } from './state';
import { replacedMessageId, SeriesThread } from './threading';

export interface SendSeriesContext extends DeliveryContext {
  /** Shows the review and asks; false sends nothing. */
  confirm(review: SeriesReview): Promise<boolean>;
}

export type SeriesMessageStatus = SendOutcome['status'] | 'skipped' | 'not-sent' | 'already-sent';

export interface SeriesMessageResult {
  index: number;
  file: string;
  subject: string;
  status: SeriesMessageStatus;
  /** The ID it was planned with. */
  plannedId: string;
  /** The ID it went out with: the server's when it replaced ours. */
  messageId: string;
  replacedBy?: string;
  summary: string;
  outcome?: SendOutcome;
  entry?: JournalEntry;
  captured?: string;
}

export type SendSeriesResult =
  | { status: 'refused'; problems: SeriesProblem[] }
  | { status: 'cancelled'; review: SeriesReview }
  | { status: 'error'; reason: string; review: SeriesReview }
  | {
      status: 'done';
      review: SeriesReview;
      results: SeriesMessageResult[];
      /** Every message meant to go went (sent or partly accepted). */
      complete: boolean;
      /** The messages to send again (failed or never tried), in order. */
      resend: number[];
      /**
       * The messages whose outcome is unknown (the connection was lost after the final dot): the server may
       * have them, so they are not in `resend`; sending them again could deliver them twice.
       */
      unknown: number[];
      /** Why the series stopped before its end when no message's outcome says it (cancelled, a message could not be built). */
      stopped?: string;
    };

export async function sendSeries(plan: SeriesPlan, profile: SmtpProfile, context: SendSeriesContext, variant: SendVariant = {}): Promise<SendSeriesResult> {
  if (!plan.sendable) return { status: 'refused', problems: plan.problems.filter((p) => p.severity === 'error') };
  const ids = variantIds(plan, variant);
  const preview = previewSeries(plan, variant, ids);
  const review = buildSeriesReview(plan, preview, profile, variant);
  if (preview.some((p) => !p.prepared.ok)) return { status: 'refused', problems: plan.problems.filter((p) => p.severity === 'error') };
  if (context.signal?.aborted || !(await context.confirm(review)) || context.signal?.aborted) return { status: 'cancelled', review };

  const state = context.stateDir ? new SeriesState(context.stateDir) : undefined;
  const run = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const order = preview.map((p) => p.index);
  const items: OutgoingMessage[] = preview.map((p) => ({ message: (p.prepared as { ok: true; message: OutgoingMessage['message'] }).message, source: plan.messages[p.index].source.file }));
  const thread = new SeriesThread(plan.thread, plan.inReplyTo);
  const results = new Map<number, SeriesMessageResult>();
  let next = 0;
  /** Messages before `index` that are not sent in this run (skipped, or sent earlier) still shape the thread. */
  const passUntil = (index: number) => {
    for (; next < index; next++) {
      if (results.has(next)) continue;
      const earlier = variant.alreadySent?.get(next);
      thread.done(earlier);
      results.set(next, base(plan, next, ids[next], earlier ? 'already-sent' : 'skipped', earlier ?? ids[next]));
      if (earlier && !variant.toSelf) carryOver(next, earlier);
    }
  };
  /** One line of series state for message `index` in this run. */
  const recordState = (index: number, messageId: string, status: SeriesStateEntry['status']) =>
    state?.record({
      time: new Date().toISOString(),
      run,
      title: plan.title,
      version: plan.version,
      profile: profile.name,
      files: plan.files,
      index,
      file: plan.messages[index].source.file,
      subject: plan.messages[index].source.subject,
      plannedId: ids[index],
      messageId,
      status,
      ...(variant.toSelf ? { test: true } : {}),
    });
  /** A message an earlier run sent is recorded in this run too: the latest run alone says what went. */
  const carryOver = (index: number, messageId: string) => recordState(index, messageId, variant.earlierOutcomes?.get(index) ?? 'sent');

  let stopped: string | undefined;
  const delivery = await deliver(items, profile, context, {
    batchSize: plan.batchSize,
    reloginDelayMs: plan.reloginDelaySeconds ? plan.reloginDelaySeconds * 1000 : undefined,
    before: (i, item) => {
      const index = order[i];
      passUntil(index);
      const prepared = prepareSeriesMessage(plan, index, thread.next(), ids[index], variant);
      // The preview passed with the same bytes; only the threading may differ (a replaced ID).
      if (!prepared.ok) throw new SeriesStopped(`message ${index + 1} could not be built with the thread the server gave: ${prepared.problems.find((p) => p.severity === 'error')?.message}`);
      return { ...item, message: prepared.message };
    },
    after: (delivered, i) => {
      const index = order[i];
      const { outcome } = delivered;
      const went = outcome.status === 'sent' || outcome.status === 'partial';
      const replaced = went ? replacedMessageId(outcome.reply, delivered.item.message.messageId) : undefined;
      const messageId = replaced ?? delivered.item.message.messageId;
      thread.done(went ? messageId : undefined);
      next = index + 1;
      results.set(index, {
        ...base(plan, index, ids[index], outcome.status, messageId),
        ...(replaced ? { replacedBy: replaced } : {}),
        summary: describeOutcome(outcome) + (replaced ? ` The server gave it the Message-ID ${replaced}; the next messages refer to that.` : ''),
        outcome,
        entry: delivered.entry,
        ...(delivered.captured ? { captured: delivered.captured } : {}),
      });
      recordState(index, messageId, outcome.status);
      // A failure stops the series: the maintainer would get a thread with a hole in it.
      return went;
    },
  }).catch((err: unknown) => {
    // What went out is in the journal and the state; what did not is reported, never retried here.
    if (!(err instanceof SeriesStopped)) throw err;
    stopped = err.message;
    return { ok: true as const };
  });
  if (!delivery.ok) return { status: 'error', reason: delivery.reason, review };
  if (!stopped && context.signal?.aborted) stopped = 'the send was cancelled';
  passUntil(plan.messages.length);
  for (const m of plan.messages) {
    const r = results.get(m.index);
    if (!r || (r.status === 'skipped' && !variant.skip?.has(m.index))) results.set(m.index, base(plan, m.index, ids[m.index], 'not-sent', ids[m.index]));
  }
  const ordered = plan.messages.map((m) => results.get(m.index) as SeriesMessageResult);
  const resend = ordered.filter((r) => r.status === 'failed' || r.status === 'not-sent').map((r) => r.index);
  const unknown = ordered.filter((r) => r.status === 'unknown').map((r) => r.index);
  return { status: 'done', review, results: ordered, complete: resend.length === 0 && unknown.length === 0, resend, unknown, ...(stopped && resend.length ? { stopped } : {}) };
}

/** A message of the series cannot go: the series stops there. */
class SeriesStopped extends Error {}

function base(plan: SeriesPlan, index: number, plannedId: string, status: SeriesMessageStatus, messageId: string): SeriesMessageResult {
  const words: Partial<Record<SeriesMessageStatus, string>> = {
    skipped: 'Skipped.',
    'not-sent': 'Not sent: an earlier message failed, or the send was cancelled.',
    'already-sent': `Already sent as ${messageId}.`,
  };
  return { index, file: plan.messages[index].source.file, subject: plan.messages[index].source.subject, status, plannedId, messageId, summary: words[status] ?? '' };
}

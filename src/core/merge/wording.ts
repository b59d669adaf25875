// What a merge says to the person, worded once for both faces: the CLI prints these lines, the editor puts
// them in its preview, its confirmation and its notifications.
import type { PreparedMessage } from '../message/types';
import { isCaptureInbox, type SmtpProfile } from '../profiles/profile';
import { travellingFileLines, type ReviewFile } from '../report/review';
import type { MergeCheck } from './check';
import { describeLimits, type MergeLimits } from './limits';
import type { ReportStatus } from './report';
import type { MergeProgress, MergeRunResult } from './run';

/** Where the messages go: the server, or the capture inbox. */
export function mergeDestination(profile: SmtpProfile): string {
  if (isCaptureInbox(profile)) return 'the local capture inbox: nothing leaves this machine';
  return `${profile.host}:${profile.port}, ${profile.security}`;
}

/** The lines above a row's exact bytes: its envelope, size and the files it carries. */
export function rowPreviewLines(row: number, message: PreparedMessage, files: readonly ReviewFile[], profile: SmtpProfile): string[] {
  return [
    `Row ${row}, as it would leave with "${profile.name}" (nothing was sent):`,
    `MAIL FROM:<${message.envelope.from}>`,
    ...message.envelope.to.map((t) => `RCPT TO:<${t}>`),
    `SIZE: ${message.size} bytes${message.needsSmtpUtf8 ? ', needs SMTPUTF8' : ''}`,
    ...travellingFileLines(files),
    '-'.repeat(72),
  ];
}

export interface MergeConfirmation {
  /** The question (a dialog's title). */
  headline: string;
  /** One fact per line: the first recipients, the rows, the profile, the limits, the journal. */
  detail: string[];
}

export interface ConfirmationFacts {
  check: MergeCheck;
  profile: SmtpProfile;
  limits: MergeLimits;
  /** Messages this run will send at most. */
  count: number;
  dataPath?: string;
  journalPath?: string;
  /** "Send to myself first": the address and the row. */
  test?: { address: string; row: number };
}

/** The question before a merge sends: it names the count, the first recipients and the profile. */
export function mergeConfirmation(facts: ConfirmationFacts): MergeConfirmation {
  const { check, profile, count, test } = facts;
  const through = `Profile "${profile.name}" (${mergeDestination(profile)}).`;
  if (test) {
    return {
      headline: `Send row ${test.row} to ${test.address} only, with "${profile.name}"?`,
      detail: [`Its headers stay as the row's; only ${test.address} receives it. The journal is not touched.`, through],
    };
  }
  const shown = check.firstRecipients.slice(0, count);
  const more = count - shown.length;
  return {
    headline: `Send ${count} message${count === 1 ? '' : 's'} of this mail merge with "${profile.name}"?`,
    detail: [
      `To ${shown.join('; ')}${more > 0 ? `; and ${more.toLocaleString('en')} more` : ''}`,
      `${check.rows.toLocaleString('en')} row${check.rows === 1 ? '' : 's'}${facts.dataPath ? ` in ${facts.dataPath}` : ''}; ${check.pending.toLocaleString('en')} not yet sent${count < check.pending ? `, ${count.toLocaleString('en')} of them now` : ''}.`,
      through,
      `Limits: ${describeLimits(facts.limits)}${facts.limits.source ? ` (${facts.limits.source})` : ''}.`,
      ...(facts.journalPath ? [`The journal (${facts.journalPath}) records every row as it goes: running the merge again sends only what is left.`] : []),
    ],
  };
}

/** A progress line: `2 of 3, 2 sent, 1.5/s, waiting for ...`. */
export function mergeProgressText(p: MergeProgress, options: { rate?: boolean; stopping?: boolean } = {}): string {
  const parts = [`${p.done.toLocaleString('en')} of ${p.planned.toLocaleString('en')}`, `${p.sent.toLocaleString('en')} sent`];
  if (p.partial) parts.push(`${p.partial} partly`);
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.unknown) parts.push(`${p.unknown} unknown`);
  if (options.rate) parts.push(`${(p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 1000 : 0).toFixed(1)}/s`);
  if (p.waiting) parts.push(`waiting for ${p.waiting.why} until ${new Date(p.waiting.until).toISOString().slice(11, 19)} UTC`);
  if (options.stopping) parts.push('stopping after the message in flight');
  return parts.join(', ');
}

/** The end of a run in one sentence: the counts, what is left, why it stopped. */
export function mergeSummary(result: MergeRunResult): string {
  const c = result.counts;
  const count = (n: number, what: string) => (n ? `${n.toLocaleString('en')} ${what}` : '');
  const parts = [
    `${(c.sent + c['test-sent']).toLocaleString('en')} sent`,
    count(c.partial, 'partly'),
    count(c.failed + c['test-failed'], 'failed'),
    count(c.unknown, 'unknown'),
    count(c['sent-before'], 'sent before'),
    count(c['unknown-before'], 'unknown before (not sent again)'),
    count(c.refused, 'refused'),
  ].filter(Boolean);
  const left = result.remaining ? ` ${result.remaining.toLocaleString('en')} row${result.remaining === 1 ? '' : 's'} still to send: run again to continue.` : '';
  return `Mail merge: ${parts.join(', ')}.${left}`;
}

/** Whether the run needs the person's attention (a warning rather than good news). */
export function mergeNeedsAttention(result: MergeRunResult): boolean {
  const c = result.counts;
  const bad: ReportStatus[] = ['failed', 'unknown', 'partial', 'refused', 'test-failed'];
  return result.status !== 'done' || bad.some((s) => c[s] > 0);
}

// What a series will do before it does it, for both faces: one row per message (subject, recipients with the
// origin of each added one, size, threading, problems), the sender, the destination, the notices. The CLI
// prints `seriesReviewLines`; the editor's review view shows the same rows.
import { createHash } from 'node:crypto';
import { formatBytes } from '../compose/rules/attachmentSize';
import { isCaptureInbox, type SmtpProfile } from '../profiles/profile';
import type { PreviewedMessage, SeriesPlan, SendVariant } from './plan';
import type { Recipient } from './recipients';

export interface ReviewRecipient {
  text: string;
  address: string;
  /** Where it came from, in words ("Reviewed-by", "--cc", "git config sendemail.cc", "cc-cmd"). */
  origin: string;
  /** Added by the series (not named by the user): a trailer, the author, a command. */
  added: boolean;
}

export interface SeriesReviewRow {
  index: number;
  file: string;
  subject: string;
  to: ReviewRecipient[];
  cc: ReviewRecipient[];
  size: number;
  messageId: string;
  inReplyTo?: string;
  skipped: boolean;
  /** The body goes quoted-printable (a line over 998 octets or a CR). */
  problems: { code: string; severity: string; message: string; line: number }[];
}

export interface SeriesReview {
  title: string;
  version: number;
  sender: string;
  profile: { name: string; host: string; port: number; captureInbox: boolean };
  thread: string;
  inReplyTo?: string;
  batchSize?: number;
  rows: SeriesReviewRow[];
  notices: string[];
  /** Problems that belong to no single message. */
  problems: { code: string; severity: string; message: string }[];
  sendable: boolean;
  toSelf: boolean;
  /** Changes when anything shown changes: a send confirms the review it matches. */
  fingerprint: string;
}

const ORIGIN_WORDS: Record<Recipient['origin'], string> = {
  'command-line': 'command line',
  'git-config': 'git config',
  profile: 'profile',
  'patch-to': 'To in the patch',
  'patch-cc': 'Cc in the patch',
  author: 'author',
  'signed-off-by': 'Signed-off-by',
  trailer: 'trailer',
  'body-cc': 'Cc: line',
  'to-cmd': 'to-cmd',
  'cc-cmd': 'cc-cmd',
};

function reviewRecipient(r: Recipient): ReviewRecipient {
  const added = !['command-line', 'git-config', 'profile'].includes(r.origin);
  const origin = r.origin === 'trailer' || r.origin === 'body-cc' ? `${r.detail}` : r.origin === 'to-cmd' || r.origin === 'cc-cmd' ? `${ORIGIN_WORDS[r.origin]} ${r.detail ?? ''}`.trim() : ORIGIN_WORDS[r.origin];
  return { text: r.text, address: r.address, origin, added };
}

export function buildSeriesReview(plan: SeriesPlan, preview: readonly PreviewedMessage[], profile: SmtpProfile, variant: SendVariant = {}): SeriesReview {
  const byIndex = new Map(preview.map((p) => [p.index, p]));
  const rows: SeriesReviewRow[] = plan.messages.map((m) => {
    const p = byIndex.get(m.index);
    const self = variant.toSelf ? [{ text: plan.sender, address: plan.sender, origin: 'you (a test send)', added: false }] : undefined;
    return {
      index: m.index,
      file: m.source.file,
      subject: m.source.subject,
      to: self ?? m.recipients.to.map(reviewRecipient),
      cc: self ? [] : m.recipients.cc.map(reviewRecipient),
      size: p?.prepared.ok ? p.prepared.message.size : m.source.bytes.length,
      messageId: p?.messageId ?? m.messageId,
      ...(p?.thread.inReplyTo ? { inReplyTo: p.thread.inReplyTo } : {}),
      skipped: !p,
      problems: m.problems.map((x) => ({ code: x.code, severity: x.severity, message: x.message, line: x.range.start.line })),
    };
  });
  const review: Omit<SeriesReview, 'fingerprint'> = {
    title: plan.title,
    version: plan.version,
    sender: plan.sender,
    profile: { name: profile.name, host: profile.host, port: profile.port, captureInbox: isCaptureInbox(profile) },
    thread: plan.thread,
    ...(plan.inReplyTo ? { inReplyTo: plan.inReplyTo } : {}),
    ...(plan.batchSize ? { batchSize: plan.batchSize } : {}),
    rows,
    notices: plan.notices,
    problems: plan.problems.filter((p) => p.messageIndex === undefined).map((p) => ({ code: p.code, severity: p.severity, message: p.message })),
    sendable: plan.sendable,
    toSelf: variant.toSelf === true,
  };
  const shown = JSON.stringify({ ...review, rows: rows.map((r) => ({ ...r, messageId: variant.toSelf ? '' : r.messageId, inReplyTo: variant.toSelf ? '' : r.inReplyTo })) });
  return { ...review, fingerprint: createHash('sha256').update(shown).digest('hex').slice(0, 16) };
}

/** The review as lines (the CLI prints them on stderr before asking). */
export function seriesReviewLines(review: SeriesReview): string[] {
  const lines: string[] = [];
  const sent = review.rows.filter((r) => !r.skipped).length;
  lines.push(`${review.title || '(untitled series)'}${review.version > 1 ? ` (v${review.version})` : ''}: ${sent} message${sent === 1 ? '' : 's'} from ${review.sender}`);
  lines.push(`through ${review.profile.captureInbox ? `"${review.profile.name}" (the local capture inbox: nothing leaves this machine)` : `"${review.profile.name}" (${review.profile.host}:${review.profile.port})`}`);
  lines.push(`threading: ${review.thread}${review.inReplyTo ? `, under ${review.inReplyTo}` : ''}${review.batchSize ? `; ${review.batchSize} messages per connection` : ''}`);
  for (const row of review.rows) {
    lines.push(`${row.skipped ? '(skipped) ' : ''}${row.index + 1}. ${row.subject}  [${formatBytes(row.size)}]`);
    lines.push(`   To: ${row.to.map(shownRecipient).join(', ') || '(none)'}`);
    if (row.cc.length) lines.push(`   Cc: ${row.cc.map(shownRecipient).join(', ')}`);
    if (row.inReplyTo) lines.push(`   In-Reply-To: ${row.inReplyTo}`);
    for (const p of row.problems) lines.push(`   ${p.severity} ${p.code}: ${p.message}`);
  }
  for (const p of review.problems) lines.push(`${p.severity} ${p.code}: ${p.message}`);
  for (const n of review.notices) lines.push(`note: ${n}`);
  return lines;
}

function shownRecipient(r: ReviewRecipient): string {
  return r.added ? `${r.text} (+${r.origin})` : r.text;
}

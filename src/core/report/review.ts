// What will leave, before it leaves: the envelope, who sees what, the size and every local file that travels
// (its real path on disk and its size). Both faces show this, worded here once: the CLI prints it, the editor
// puts it in its confirmation.
import { formatBytes } from '../compose/rules/attachmentSize';
import type { InspectedFile } from '../compose/files';
import type { PreparedMessage } from '../message/types';
import { isCaptureInbox, type SmtpProfile } from '../profiles/profile';

export interface ReviewFile {
  /** The name the recipient sees. */
  name: string;
  /** The path as the document writes it. */
  path: string;
  /** Where it really is on disk (symlinks and `..` resolved). */
  realPath: string;
  size: number;
  inline: boolean;
  /** Outside the message's folder tree (sent only because the user allowed that). */
  outside: boolean;
}

export interface SendReview {
  profile: { name: string; host: string; port: number; security: string; captureInbox: boolean };
  from: string;
  /** Every RCPT TO. */
  recipients: string[];
  /** Those of them from Bcc: they receive the message without a Bcc field. */
  blind: string[];
  subject?: string;
  size: number;
  messageId: string;
  files: ReviewFile[];
}

export function buildReview(message: PreparedMessage, files: readonly InspectedFile[], profile: SmtpProfile): SendReview {
  const travelling: ReviewFile[] = [];
  for (const file of files) {
    if (file.state.status !== 'ok') continue;
    travelling.push({
      name: file.ref.filename,
      path: file.ref.path,
      realPath: file.state.realPath,
      size: file.state.size,
      inline: file.ref.kind === 'inline-image',
      outside: file.state.outside,
    });
  }
  return {
    profile: { name: profile.name, host: profile.host, port: profile.port, security: profile.security, captureInbox: isCaptureInbox(profile) },
    from: message.envelope.from,
    recipients: message.envelope.to,
    blind: message.blindRecipients ?? [],
    ...(message.subject ? { subject: message.subject } : {}),
    size: message.size,
    messageId: message.messageId,
    files: travelling,
  };
}

/** One line: who, with what, how big (a confirmation's title, a progress line). */
export function reviewHeadline(review: SendReview): string {
  const count = review.recipients.length;
  const who = count <= 3 ? review.recipients.join(', ') : `${review.recipients.slice(0, 3).join(', ')} and ${count - 3} more`;
  return `Send to ${who} with "${review.profile.name}"?`;
}

/** Everything that will leave, one fact per line (the CLI's review and the confirmation's detail). */
export function reviewLines(review: SendReview): string[] {
  const lines = [
    `From ${review.from}`,
    `To ${review.recipients.filter((r) => !review.blind.includes(r)).join(', ') || '(only blind copies)'}`,
  ];
  if (review.blind.length) lines.push(`Bcc ${review.blind.join(', ')} (they receive it without a Bcc field)`);
  if (review.subject !== undefined) lines.push(`Subject ${review.subject}`);
  lines.push(`${formatBytes(review.size)} (${review.size.toLocaleString('en')} bytes) through ${destination(review)}`);
  lines.push(...travellingFileLines(review.files));
  return lines;
}

/** The local files that travel, each with its size and real path (or a line saying there are none). */
export function travellingFileLines(files: readonly ReviewFile[]): string[] {
  if (files.length === 0) return ['No local files travel with it.'];
  const lines = [`${files.length} local file${files.length === 1 ? '' : 's'} travel${files.length === 1 ? 's' : ''} with it:`];
  for (const file of files) {
    const note = [file.inline ? 'inline image' : 'attachment', formatBytes(file.size), file.outside ? 'OUTSIDE the message folder' : ''].filter(Boolean).join(', ');
    lines.push(`  ${file.name} (${note}) from ${file.realPath}`);
  }
  return lines;
}

function destination(review: SendReview): string {
  if (review.profile.captureInbox) return `"${review.profile.name}" (the local capture inbox: nothing leaves this machine)`;
  return `"${review.profile.name}" (${review.profile.host}:${review.profile.port}, ${review.profile.security})`;
}

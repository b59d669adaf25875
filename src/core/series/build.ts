// The bytes of one series message, before the message core checks them and makes them final: the sender in
// From, the series' To and Cc, the patch's Subject and Date as written (the Date is the author date `git am`
// records), the planned Message-ID and threading, the patch's other fields, and the body exactly as written.
// When the commit's author is not the sender, the author goes on a From line first in the body, as git
// send-email writes it, so `git am` records the right author.
import { bareAddress, mailboxes, type Recipient } from './recipients';
import { seriesBody, type SeriesBody } from './body';
import type { SeriesMessage } from './patch';
import type { ThreadHeaders } from './threading';

/** Fields the series writes itself; the patch's own are replaced (To and Cc are merged into the recipients). */
const REPLACED = new Set(['from', 'to', 'cc', 'bcc', 'message-id', 'in-reply-to', 'references', 'content-transfer-encoding', 'sender', 'return-path']);

export interface BuildInput {
  sender: string;
  to: readonly Recipient[];
  cc: readonly Recipient[];
  messageId: string;
  thread: ThreadHeaders;
}

export interface BuiltMessage {
  text: Buffer;
  body: SeriesBody;
  /** The author went on an in-body From line. */
  inBodyFrom?: string;
}

/** The author differs from the sender (name or address, as git compares them), so the body must carry it. */
export function authorDiffers(message: SeriesMessage, sender: string): boolean {
  if (!message.author) return false;
  const author = mailboxes(message.author)[0];
  const self = mailboxes(sender)[0];
  if (!author || !self) return false;
  return author.address !== self.address || author.text !== self.text;
}

export function buildSeriesMessage(message: SeriesMessage, input: BuildInput): BuiltMessage {
  const { scanned } = message;
  const inBodyFrom = message.author && authorDiffers(message, input.sender) && !startsWithInBodyFrom(message) ? message.author : undefined;
  const body = seriesBody(message, inBodyFrom ? Buffer.from(`From: ${inBodyFrom}\n\n`, 'utf8') : undefined);
  const fields = scanned.fields.filter((f) => f.hasColon);
  const has = (key: string) => fields.some((f) => f.key === key);
  const asWritten = (key: string) => fields.filter((f) => f.key === key).map((f) => scanned.text.slice(f.start, f.end));
  const lines: string[] = [`From: ${input.sender}`];
  if (input.to.length) lines.push(`To: ${input.to.map((r) => r.text).join(',\n\t')}`);
  if (input.cc.length) lines.push(`Cc: ${input.cc.map((r) => r.text).join(',\n\t')}`);
  lines.push(...asWritten('subject'), ...asWritten('date'));
  lines.push(`Message-ID: ${input.messageId}`);
  if (input.thread.inReplyTo) {
    lines.push(`In-Reply-To: ${input.thread.inReplyTo}`);
    // Folded one ID a line, as git does: a deep thread's References would outgrow a line.
    lines.push(`References: ${(input.thread.references ?? [input.thread.inReplyTo]).join('\n ')}`);
  }
  const nonAscii = (b: Buffer) => b.some((x) => x > 127);
  const declare8bit = inBodyFrom !== undefined && /[^\x00-\x7f]/.test(inBodyFrom) && !has('content-type');
  if ((body.quotedPrintable || declare8bit) && !has('mime-version')) lines.push('MIME-Version: 1.0');
  for (const field of fields) {
    if (REPLACED.has(field.key) || field.key === 'subject' || field.key === 'date') continue;
    lines.push(scanned.text.slice(field.start, field.end));
  }
  if ((body.quotedPrintable || declare8bit) && !has('content-type') && nonAscii(body.quotedPrintable ? Buffer.from(message.bodyText, 'utf8') : body.bytes)) {
    lines.push('Content-Type: text/plain; charset=UTF-8');
  }
  const cte = body.quotedPrintable ? 'quoted-printable' : asWritten('content-transfer-encoding')[0]?.replace(/^[^:]*:\s*/, '') ?? (declare8bit ? '8bit' : undefined);
  if (cte) lines.push(`Content-Transfer-Encoding: ${cte}`);
  const header = Buffer.from(lines.join('\n') + '\n\n', scanned.decoding === 'latin1' ? 'latin1' : 'utf8');
  return { text: Buffer.concat([header, body.bytes]), body, ...(inBodyFrom ? { inBodyFrom } : {}) };
}

/** format-patch --from already put the author first in the body. */
function startsWithInBodyFrom(message: SeriesMessage): boolean {
  const first = /^From: (.*)$/m.exec(message.bodyText.split('\n')[0] ?? '');
  return first !== null && bareAddress(first[1]) === bareAddress(message.author ?? '');
}

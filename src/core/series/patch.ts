// One message of a series as read from its file: the header fields the series needs (read by the message
// core's scanner), the [PATCH v2 3/5] prefix, the author, the trailers (git send-email's rule:
// /^([a-z][a-z-]*-by|Cc): (.*)/i on each body line) and where each line is in the file, for diagnostics.
import { scanMessage } from '../message/scanner';
import type { ScannedMessage } from '../message/types';
import type { MboxMessage } from './mbox';
import { decodeEncodedWords } from './rfc2047';

export interface SubjectPrefix {
  /** 1 when the subject names no version. */
  version: number;
  /** The n of n/m, if the prefix numbers the patch. */
  number?: number;
  total?: number;
  /** The whole bracket, e.g. "[PATCH v2 3/5]". */
  text: string;
}

export interface Trailer {
  /** "Signed-off-by", "Reviewed-by", "Cc", ... as written. */
  key: string;
  value: string;
  /** Zero-based line in the file. */
  line: number;
}

export interface SeriesMessage {
  /** The file it came from (absolute path). */
  file: string;
  /** Its place among the file's messages (0 for a single-message file). */
  indexInFile: number;
  /** Zero-based line of the file where its header starts (after the mbox separator). */
  startLine: number;
  /** The commit the separator names (format-patch output). */
  commit?: string;
  bytes: Buffer;
  scanned: ScannedMessage;
  /** Subject as written (unfolded, encoded-words decoded). */
  subject: string;
  prefix?: SubjectPrefix;
  /** format-patch's cover letter: [PATCH 0/n]. */
  isCover: boolean;
  /** The From field as written (unfolded), and decoded for the in-body From line. */
  authorRaw?: string;
  author?: string;
  date?: string;
  messageId?: string;
  /** To and Cc fields of the file itself (git send-email adds them to the recipients). */
  headerTo: string[];
  headerCc: string[];
  trailers: Trailer[];
  /** format-patch --base: the commit the series applies to. */
  baseCommit?: string;
  /** The text of the body (for checks), with its first line's line number in the file. */
  bodyText: string;
  bodyLine: number;
}

export function readSeriesMessage(source: MboxMessage, file: string, indexInFile: number): SeriesMessage {
  const scanned = scanMessage(source.bytes);
  const field = (key: string) => scanned.fields.find((f) => f.hasColon && f.key === key)?.value.trim();
  const all = (key: string) => scanned.fields.filter((f) => f.hasColon && f.key === key).map((f) => f.value.trim()).filter(Boolean);
  const subject = decodeEncodedWords(field('subject') ?? '');
  const prefix = parsePrefix(subject);
  const bodyText = scanned.text.slice(scanned.bodyOffset);
  const bodyLine = source.startLine + scanned.bodyLine;
  const trailers: Trailer[] = [];
  let baseCommit: string | undefined;
  bodyText.split('\n').forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    const trailer = /^([a-z][a-z-]*-by|Cc): (.*)$/i.exec(text);
    if (trailer) trailers.push({ key: trailer[1], value: trailer[2], line: bodyLine + i });
    const base = /^base-commit: ([0-9a-f]{40}|[0-9a-f]{64})\s*$/.exec(text);
    if (base) baseCommit = base[1];
  });
  const authorRaw = field('from');
  return {
    file,
    indexInFile,
    startLine: source.startLine,
    ...(source.commit ? { commit: source.commit } : {}),
    bytes: source.bytes,
    scanned,
    subject,
    ...(prefix ? { prefix } : {}),
    isCover: prefix?.number === 0,
    ...(authorRaw ? { authorRaw, author: decodeEncodedWords(authorRaw) } : {}),
    ...(field('date') ? { date: field('date') } : {}),
    ...(field('message-id') ? { messageId: field('message-id') } : {}),
    headerTo: all('to'),
    headerCc: all('cc'),
    trailers,
    ...(baseCommit ? { baseCommit } : {}),
    bodyText,
    bodyLine,
  };
}

/** The first [...] of a subject when it names a patch: [PATCH], [PATCH v2 3/5], [RFC PATCH net-next 0/4]. */
export function parsePrefix(subject: string): SubjectPrefix | undefined {
  const bracket = /^\s*\[([^\]]*)\]/.exec(subject);
  if (!bracket || !/\bPATCH\b/i.test(bracket[1])) return undefined;
  const version = /(?:^|\s)v(\d+)(?=\s|$)/i.exec(bracket[1]);
  const count = /(?:^|\s)(\d+)\/(\d+)(?=\s|$)/.exec(bracket[1]);
  return {
    version: version ? Number(version[1]) : 1,
    ...(count ? { number: Number(count[1]), total: Number(count[2]) } : {}),
    text: bracket[0].trim(),
  };
}

/** The title a series is known by: its cover letter's subject (or its first patch's) without the prefix. */
export function seriesTitle(messages: readonly SeriesMessage[]): string {
  const first = messages.find((m) => m.isCover) ?? messages[0];
  return (first?.subject ?? '').replace(/^\s*\[[^\]]*\]\s*/, '').trim();
}

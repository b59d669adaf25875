// Small MIME helpers over the scanned text (RFC 2045, RFC 2046): content type, boundaries, part headers.
import { parseHeaderValue } from 'nodemailer/lib/mime-funcs';

export interface ContentType {
  type: string;
  params: Record<string, string>;
}

export function parseContentType(value: string | undefined): ContentType | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = parseHeaderValue(value.trim(), { stripComments: true });
    const params: Record<string, string> = {};
    for (const [name, text] of Object.entries(parsed.params)) params[name] = decodeExtendedParam(value, name, text);
    return { type: parsed.value.trim().toLowerCase(), params };
  } catch {
    return undefined;
  }
}

/**
 * RFC 2231 parameters (`boundary*=utf-8''b%31`, continuations `boundary*0*=...; boundary*1=...`):
 * nodemailer joins the sections and hands a charset-tagged value back as an RFC 2047 Q encoded-word
 * (`=?utf-8?Q?b=31?=`), which is decoded here to the value itself. Only for a parameter the header
 * wrote with a "*": a literal boundary="=?utf-8?Q?x?=" stays as it is.
 */
function decodeExtendedParam(header: string, name: string, text: string): string {
  if (!text.startsWith('=?') || !new RegExp(`(^|[;\\s])${name.replace(/[^a-z0-9-]/gi, '\\$&')}\\*`, 'i').test(header)) return text;
  const word = /^=\?([^?]+)\?Q\?(.*)\?=$/is.exec(text);
  if (!word) return text;
  const bytes: number[] = [];
  const payload = word[2];
  for (let i = 0; i < payload.length; i++) {
    const hex = payload[i] === '=' ? /^[0-9A-Fa-f]{2}$/.exec(payload.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else if (payload[i] === '_') bytes.push(32);
    else bytes.push(...Buffer.from(payload[i], 'utf8'));
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(word[1].replace(/\*.*$/, '').trim() || 'latin1');
  } catch {
    decoder = new TextDecoder('latin1');
  }
  return decoder.decode(Uint8Array.from(bytes));
}

/** Content-Transfer-Encodings that may carry 8-bit data (RFC 2045 section 6.2). */
export function allows8Bit(cte: string | undefined): boolean {
  const v = (cte ?? '').trim().toLowerCase();
  return v === '8bit' || v === 'binary';
}

export interface BoundaryLine {
  /** Offset of the "--" that starts the delimiter line. */
  start: number;
  /** Offset of the end of the delimiter line (before its line break). */
  end: number;
  /** The closing delimiter "--boundary--". */
  close: boolean;
}

/**
 * Delimiter lines of `boundary` between `from` and `to` (RFC 2046 section 5.1.1): "--" + boundary at
 * the start of a line, then "--" for the close, then only whitespace. One forward search: linear.
 */
export function findBoundaryLines(text: string, boundary: string, from: number, to: number): BoundaryLine[] {
  const found: BoundaryLine[] = [];
  const marker = `--${boundary}`;
  let at = text.indexOf(marker, from);
  while (at !== -1 && at < to) {
    const lineStart = at === from || text.charCodeAt(at - 1) === 10 || text.charCodeAt(at - 1) === 13;
    let i = at + marker.length;
    let close = false;
    if (text.charCodeAt(i) === 45 && text.charCodeAt(i + 1) === 45) {
      close = true;
      i += 2;
    }
    while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const lineEnd = i >= to || text.charCodeAt(i) === 13 || text.charCodeAt(i) === 10;
    if (lineStart && lineEnd) found.push({ start: at, end: i, close });
    at = text.indexOf(marker, at + marker.length);
  }
  return found;
}

/** The value of a field in a MIME part's header block `[start, end)` (case-insensitive name), unfolded. */
export function partHeaderValue(text: string, start: number, end: number, name: string): string | undefined {
  const header = text.slice(start, end);
  const lines = header.split(/\r\n|\r|\n/);
  const wanted = `${name.toLowerCase()}:`;
  for (let k = 0; k < lines.length; k++) {
    if (!lines[k].toLowerCase().startsWith(wanted)) continue;
    const parts = [lines[k].slice(wanted.length)];
    while (k + 1 < lines.length && /^[ \t]/.test(lines[k + 1])) parts.push(lines[++k]);
    return parts.join('');
  }
  return undefined;
}

/** End of a part's header block: offset of its first empty line's start, or `to`. Also where its body begins. */
export function partHeaderEnd(text: string, start: number, to: number): { headerEnd: number; bodyStart: number } {
  let pos = start;
  while (pos < to) {
    let end = pos;
    while (end < to && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    let next = end;
    if (text.charCodeAt(next) === 13 && text.charCodeAt(next + 1) === 10) next += 2;
    else if (next < to) next++;
    if (end === pos) return { headerEnd: pos, bodyStart: Math.min(next, to) };
    pos = next;
  }
  return { headerEnd: to, bodyStart: to };
}

/** One part of a multipart body: offsets of its header and body, and what its header declares. */
export interface MimePart {
  start: number;
  headerEnd: number;
  bodyStart: number;
  end: number;
  contentType?: ContentType;
  transferEncoding?: string;
  depth: number;
}

export type MultipartIssue =
  | { kind: 'no-boundary'; type: string }
  | { kind: 'unused-boundary'; boundary: string }
  | { kind: 'unterminated'; boundary: string; lastDelimiter: BoundaryLine; end: number };

/** Nesting deeper than this is not followed (real messages nest 3 or 4 levels). */
export const MAX_MIME_DEPTH = 20;

/**
 * Walks a multipart entity's parts, depth first, calling `visit` for each leaf or nested part and
 * `report` for each structural problem. `where` says which entity a problem belongs to: undefined for
 * the message itself, else the part.
 */
export function walkMultipart(
  text: string,
  contentType: ContentType,
  bodyStart: number,
  bodyEnd: number,
  visit: (part: MimePart) => void,
  report: (issue: MultipartIssue, where: MimePart | undefined) => void,
  where?: MimePart,
  depth = 0,
): void {
  const boundary = contentType.params.boundary;
  if (!boundary) {
    report({ kind: 'no-boundary', type: contentType.type }, where);
    return;
  }
  const lines = findBoundaryLines(text, boundary, bodyStart, bodyEnd);
  const opening = lines.filter((l) => !l.close);
  if (opening.length === 0) {
    report({ kind: 'unused-boundary', boundary }, where);
    return;
  }
  const lastOpen = opening[opening.length - 1];
  const closeLine = lines.find((l) => l.close && l.start > lastOpen.start);
  if (!closeLine) report({ kind: 'unterminated', boundary, lastDelimiter: lastOpen, end: bodyEnd }, where);
  for (let k = 0; k < lines.length; k++) {
    if (lines[k].close) break;
    const start = skipLineBreak(text, lines[k].end);
    // A part ends at the line break before the next delimiter (RFC 2046: it belongs to the delimiter).
    const end = k + 1 < lines.length ? lineBreakBefore(text, lines[k + 1].start, start) : bodyEnd;
    const { headerEnd, bodyStart: partBody } = partHeaderEnd(text, start, end);
    const part: MimePart = {
      start,
      headerEnd,
      bodyStart: partBody,
      end,
      contentType: parseContentType(partHeaderValue(text, start, headerEnd, 'content-type')),
      transferEncoding: partHeaderValue(text, start, headerEnd, 'content-transfer-encoding')?.trim().toLowerCase(),
      depth: depth + 1,
    };
    visit(part);
    if (part.contentType?.type.startsWith('multipart/') && depth + 1 < MAX_MIME_DEPTH) {
      walkMultipart(text, part.contentType, part.bodyStart, part.end, visit, report, part, depth + 1);
    }
  }
}

export function skipLineBreak(text: string, at: number): number {
  if (text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10) return at + 2;
  if (text.charCodeAt(at) === 13 || text.charCodeAt(at) === 10) return at + 1;
  return at;
}

function lineBreakBefore(text: string, at: number, floor: number): number {
  if (at - 2 >= floor && text.charCodeAt(at - 2) === 13 && text.charCodeAt(at - 1) === 10) return at - 2;
  if (at - 1 >= floor && (text.charCodeAt(at - 1) === 10 || text.charCodeAt(at - 1) === 13)) return at - 1;
  return at;
}

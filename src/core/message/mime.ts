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
    return { type: parsed.value.trim().toLowerCase(), params: parsed.params };
  } catch {
    return undefined;
  }
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

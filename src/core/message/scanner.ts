// The position-aware header scanner: one pass over the document, linear in its length, never throws.
// RFC 5322 section 2.2: a field is a name, a colon and a value; a line that starts with whitespace
// continues (folds) the previous field; the first empty line ends the header block.
// Header lines end only at LF or CRLF: a bare CR in the header block is a character of its field (which
// the rules refuse), never a field boundary, so `To: a@x<CR>Bcc: b@y` is one To field, as mailparser and
// postal-mime read it. Positions still break at every CR, LF and CRLF, as VS Code does.
import { isAscii, isUtf8 } from 'node:buffer';
import { countWork } from '../probe';
import type { Position, Range } from '../types';
import { positionAt } from './positions';
import type { Decoding, HeaderField, HeaderLine, LongLine, ScannedMessage } from './types';

/** Lines longer than this are reported as hints (RFC 5322 section 2.1.1 SHOULD). */
export const RECOMMENDED_LINE_LENGTH = 78;
/** Lines longer than this break the standard (RFC 5322 section 2.1.1 MUST). */
export const MAX_LINE_LENGTH = 998;
/** How many long lines the scanner keeps positions for (the count is always exact). */
const LONG_LINES_KEPT = 200;

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const COLON = 58;

export interface DecodedBytes {
  text: string;
  decoding: Decoding;
  bom: boolean;
  /** Every byte is 7-bit ASCII. */
  ascii: boolean;
}

export function decodeBytes(bytes: Uint8Array): DecodedBytes {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Native checks first: an all-ASCII file (the common case, e.g. base64 attachments) is read as
  // one-byte Latin-1 text, which is the cheapest string to build and to search.
  if (isAscii(buffer)) return { text: buffer.toString('latin1'), decoding: 'utf-8', bom: false, ascii: true };
  if (isUtf8(buffer)) {
    return { text: buffer.toString('utf8', bom ? 3 : 0), decoding: 'utf-8', bom, ascii: false };
  }
  // Not UTF-8: Latin-1 keeps every raw byte visible as one character, so the exact bytes can be rebuilt.
  return { text: buffer.toString('latin1'), decoding: 'latin1', bom: false, ascii: false };
}

/** Finds line breaks with two native searches that only move forward: linear overall. */
class LineCursor {
  private nextLf: number;
  private nextCr: number;

  constructor(private readonly text: string) {
    this.nextLf = text.indexOf('\n');
    this.nextCr = text.indexOf('\r');
  }

  /** The end of the line starting at `pos` (offset of its break, or text.length). */
  lineEnd(pos: number): number {
    if (this.nextLf !== -1 && this.nextLf < pos) this.nextLf = this.text.indexOf('\n', pos);
    if (this.nextCr !== -1 && this.nextCr < pos) this.nextCr = this.text.indexOf('\r', pos);
    if (this.nextLf === -1) return this.nextCr === -1 ? this.text.length : this.nextCr;
    if (this.nextCr === -1) return this.nextLf;
    return Math.min(this.nextLf, this.nextCr);
  }
}

export function scanMessage(input: string | Uint8Array): ScannedMessage {
  countWork('scan');
  let text: string;
  let decoding: Decoding;
  let bom: boolean;
  let bytes: Uint8Array | undefined;
  let ascii: boolean | undefined;
  if (typeof input === 'string') {
    text = input;
    decoding = 'string';
    bom = text.charCodeAt(0) === 0xfeff;
  } else {
    bytes = input;
    ({ text, decoding, bom, ascii } = decodeBytes(input));
  }
  const headerStart = decoding === 'string' && bom ? 1 : 0;
  const length = text.length;
  const lineStarts: number[] = [0];
  const lineEndings = { crlf: 0, lf: 0, cr: 0 };
  const longLines: LongLine[] = [];
  let longLineCount = 0;
  let firstBareLf: number | undefined;
  let firstBareCr: number | undefined;
  let bareCrsInHeader = 0;
  let firstHeaderBareCr: number | undefined;
  const fields: HeaderField[] = [];
  let separator: ScannedMessage['separator'];
  let bodyOffset = length;
  let bodyLine = -1;
  let inHeader = true;
  /** Where the lazily indexed body lines start, when the body was scanned by the fast path. */
  let bodyLinesFrom = -1;

  // Lines of the field being read: it is closed when a line that does not continue it comes.
  let current: { lines: ScannedLine[]; next: number } | undefined;
  const flush = (): void => {
    if (current) fields.push(buildField(text, fields.length, current.lines, current.next));
    current = undefined;
  };

  const cursor = new LineCursor(text);
  let pos = headerStart;
  let line = 0;
  /** Start (offset, line) of the header line being read when it goes on past a bare CR, else -1. */
  let headerLineStart = -1;
  let headerLineNo = 0;
  while (pos <= length) {
    const end = cursor.lineEnd(pos);
    let next: number;
    let bareCr = false;
    if (end === length) next = length + 1;
    else if (text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF) {
      next = end + 2;
      lineEndings.crlf++;
    } else if (text.charCodeAt(end) === CR) {
      next = end + 1;
      lineEndings.cr++;
      bareCr = true;
      if (inHeader) {
        bareCrsInHeader++;
        firstHeaderBareCr ??= end;
      } else firstBareCr ??= end;
    } else {
      next = end + 1;
      lineEndings.lf++;
      if (firstBareLf === undefined) firstBareLf = end;
    }
    const lineLength = end - pos;
    if (lineLength > RECOMMENDED_LINE_LENGTH) {
      longLineCount++;
      // Lines over the hard limit are all kept (there can be at most length/999 of them).
      if (longLines.length < LONG_LINES_KEPT || lineLength > MAX_LINE_LENGTH) {
        longLines.push({ line, start: pos, end, inHeader });
      }
    }

    if (inHeader) {
      if (headerLineStart === -1) {
        headerLineStart = pos;
        headerLineNo = line;
      }
      if (!bareCr) {
        const start = headerLineStart;
        headerLineStart = -1;
        if (start === end) {
          // The empty line that ends the header block (or the end of a body-less document).
          flush();
          if (end < length) {
            separator = { start: pos, end: Math.min(next, length), range: rangeBetween(lineStarts, pos, end, line) };
            bodyOffset = Math.min(next, length);
            bodyLine = line + 1;
          }
          inHeader = false;
        } else {
          const first = text.charCodeAt(start);
          const headerLine = new ScannedLine(lineStarts, start, end, headerLineNo, line);
          if ((first === SPACE || first === TAB) && current) {
            current.lines.push(headerLine);
          } else {
            flush();
            current = { lines: [headerLine], next };
          }
          if (current) current.next = Math.min(next, length);
        }
      }
    }

    if (next > length) break;
    pos = next;
    line++;
    lineStarts.push(pos);
    if (!inHeader && separator && pos === bodyOffset && !hasBareCr(text, pos)) {
      // The body needs no field work: count its lines with native searches and leave the line
      // index of the body to be built only if a position in it is ever asked for.
      bodyLinesFrom = pos;
      const body = scanBodyLines(text, pos, line);
      lineEndings.crlf += body.crlf;
      lineEndings.lf += body.lf;
      firstBareLf ??= body.firstBareLf;
      longLineCount += body.longCount;
      for (const long of body.longLines) {
        if (longLines.length < LONG_LINES_KEPT || long.end - long.start > MAX_LINE_LENGTH) longLines.push(long);
      }
      break;
    }
  }
  flush();

  const scanned: Omit<ScannedMessage, 'lineStarts' | 'positionAt'> = {
    text,
    decoding,
    bytes,
    ascii,
    bom,
    headerStart,
    fields,
    separator,
    bodyOffset,
    bodyLine: bodyLine === -1 ? lineStarts.length - 1 : bodyLine,
    hasBody: bodyOffset < length,
    lineEndings,
    firstBareLf,
    firstBareCr,
    bareCrsInHeader,
    firstHeaderBareCr,
    longLines,
    longLineCount,
  };
  let complete = bodyLinesFrom === -1;
  const allLineStarts = (): number[] => {
    if (!complete) {
      // Body lines end only with LF or CRLF here (the fast path is taken only without bare CRs).
      for (let p = text.indexOf('\n', bodyLinesFrom); p !== -1; p = text.indexOf('\n', p + 1)) lineStarts.push(p + 1);
      complete = true;
    }
    return lineStarts;
  };
  Object.defineProperty(scanned, 'lineStarts', { enumerable: true, get: allLineStarts });
  Object.defineProperty(scanned, 'positionAt', {
    enumerable: false,
    // Header positions never need the body's line index.
    value: (offset: number) => positionAt(complete || offset < bodyLinesFrom ? lineStarts : allLineStarts(), offset),
  });
  return scanned as ScannedMessage;
}

/** A CR not followed by LF from `from` on (one forward search). */
function hasBareCr(text: string, from: number): boolean {
  for (let p = text.indexOf('\r', from); p !== -1; p = text.indexOf('\r', p + 1)) {
    if (text.charCodeAt(p + 1) !== LF) return true;
  }
  return false;
}

/** Line ending counts and long lines of a body that has no bare CR, without indexing every line. */
function scanBodyLines(
  text: string,
  from: number,
  firstLine: number,
): { crlf: number; lf: number; firstBareLf?: number; longLines: LongLine[]; longCount: number } {
  let longCount = 0;
  let crlf = 0;
  let lf = 0;
  let firstBareLf: number | undefined;
  const longLines: LongLine[] = [];
  let lineStart = from;
  let line = firstLine;
  for (let p = text.indexOf('\n', from); p !== -1; p = text.indexOf('\n', p + 1)) {
    let end = p;
    if (p > lineStart && text.charCodeAt(p - 1) === CR) {
      end = p - 1;
      crlf++;
    } else {
      lf++;
      firstBareLf ??= p;
    }
    if (end - lineStart > RECOMMENDED_LINE_LENGTH) {
      longCount++;
      if (longLines.length < LONG_LINES_KEPT || end - lineStart > MAX_LINE_LENGTH) longLines.push({ line, start: lineStart, end, inHeader: false });
    }
    lineStart = p + 1;
    line++;
  }
  if (text.length - lineStart > RECOMMENDED_LINE_LENGTH) {
    longCount++;
    longLines.push({ line, start: lineStart, end: text.length, inHeader: false });
  }
  return { crlf, lf, firstBareLf, longLines, longCount };
}

/** A range on one known line, without a search (the scanner knows the line it is on). */
function rangeBetween(lineStarts: number[], start: number, end: number, line: number): Range {
  const lineStart = lineStarts[line];
  return { start: { line, character: start - lineStart }, end: { line, character: end - lineStart } };
}

/** A position between two known lines (a header line that holds bare CRs spans several editor lines). */
function positionWithin(lineStarts: number[], offset: number, firstLine: number, lastLine: number): Position {
  let low = firstLine;
  let high = lastLine;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - lineStarts[low] };
}

/** One header line (the first of a field or a folded one); its range is computed when asked for (most never are). */
class ScannedLine implements HeaderLine {
  readonly #lineStarts: number[];

  constructor(
    lineStarts: number[],
    readonly start: number,
    readonly end: number,
    /** The editor line it starts on. */
    readonly line: number,
    /** The editor line it ends on: later than `line` when it holds bare CRs. */
    readonly endLine: number,
  ) {
    this.#lineStarts = lineStarts;
  }

  get range(): Range {
    if (this.endLine === this.line) return rangeBetween(this.#lineStarts, this.start, this.end, this.line);
    return { start: this.positionOf(this.start), end: this.positionOf(this.end) };
  }

  /** The position of an offset inside this line. */
  positionOf(offset: number): Position {
    return positionWithin(this.#lineStarts, offset, this.line, this.endLine);
  }
}

/** A header field; the ranges are getters so that a 50,000-field header allocates only what is used. */
class ScannedField implements HeaderField {
  readonly #colon: number;
  readonly key: string;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly hasColon: boolean,
    readonly spaceBeforeColon: boolean,
    colon: number,
    readonly next: number,
    readonly value: string,
    readonly rawValue: string,
    readonly lines: ScannedLine[],
  ) {
    this.#colon = colon;
    this.key = name.toLowerCase();
  }

  get start(): number {
    return this.lines[0].start;
  }
  get end(): number {
    return this.lines[this.lines.length - 1].end;
  }
  get valueStart(): number {
    return this.hasColon ? this.#colon + 1 : this.lines[0].end;
  }
  get range(): Range {
    return { start: this.lines[0].positionOf(this.start), end: this.#endPosition() };
  }
  get nameRange(): Range {
    const first = this.lines[0];
    return { start: first.positionOf(first.start), end: first.positionOf(first.start + this.name.length) };
  }
  get colonRange(): Range | undefined {
    const first = this.lines[0];
    return this.hasColon ? { start: first.positionOf(this.#colon), end: first.positionOf(this.#colon + 1) } : undefined;
  }
  get valueRange(): Range {
    return { start: this.lines[0].positionOf(this.valueStart), end: this.#endPosition() };
  }

  #endPosition(): Position {
    const last = this.lines[this.lines.length - 1];
    return last.positionOf(this.end);
  }
}

function buildField(text: string, index: number, lines: ScannedLine[], next: number): HeaderField {
  const first = lines[0];
  const last = lines[lines.length - 1];
  // The name runs to the colon; the colon is searched within the first line only (linear).
  let colon = -1;
  for (let i = first.start; i < first.end; i++) {
    if (text.charCodeAt(i) === COLON) {
      colon = i;
      break;
    }
  }
  const hasColon = colon !== -1;
  let nameEnd = hasColon ? colon : first.end;
  const nameLimit = nameEnd;
  while (nameEnd > first.start && isWsp(text.charCodeAt(nameEnd - 1))) nameEnd--;
  const spaceBeforeColon = hasColon && nameEnd < nameLimit;
  const name = text.slice(first.start, nameEnd);
  const valueStart = hasColon ? colon + 1 : first.end;
  const rawValue = text.slice(valueStart, last.end);
  // Unfold: drop the line breaks between the lines, keep everything else (RFC 5322 section 2.2.3).
  let value = rawValue;
  if (lines.length > 1) {
    const parts: string[] = [text.slice(valueStart, first.end)];
    for (let i = 1; i < lines.length; i++) parts.push(text.slice(lines[i].start, lines[i].end));
    value = parts.join('');
  }
  return new ScannedField(index, name, hasColon, spaceBeforeColon, colon, next, value, rawValue, lines);
}

export function isWsp(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** Range of `[start, end)` anywhere in the scanned document. */
export function rangeOf(scanned: ScannedMessage, start: number, end: number): Range {
  return { start: scanned.positionAt(start), end: scanned.positionAt(end) };
}

/** The fields with a given (lowercase) name, in order. */
export function fieldsNamed(scanned: ScannedMessage, key: string): HeaderField[] {
  return scanned.fields.filter((f) => f.hasColon && f.key === key);
}

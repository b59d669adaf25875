// Text edits shared by the rules' quick fixes.
import type { Fix, TextEdit } from '../../types';
import type { HeaderField, ScannedMessage } from '../types';
import { rangeOf } from '../scanner';

/**
 * The line ending the document mostly uses, so an inserted line matches its neighbours: LF or CRLF,
 * never a bare CR, which does not end a header line (see the scanner).
 */
export function documentEol(scanned: ScannedMessage): string {
  const { crlf, lf } = scanned.lineEndings;
  return lf > crlf ? '\n' : '\r\n';
}

/** Above this size the whole-document fix would be too heavy to compute on every keystroke. */
const MAX_WHOLE_DOCUMENT_FIX = 1_000_000;

/** Every line break (CR, LF or CRLF) made CRLF; none for a document too big to rewrite on each keystroke. */
export function crlfEverywhereFix(scanned: ScannedMessage, title = 'Use CRLF line endings everywhere'): Fix[] {
  const { text } = scanned;
  if (text.length > MAX_WHOLE_DOCUMENT_FIX) return [];
  return [{ title, edits: [{ range: rangeOf(scanned, 0, text.length), newText: text.replace(/\r\n|\r|\n/g, '\r\n') }] }];
}

/** An edit that adds `Name: value` lines at the end of the header block. */
export function insertFieldsEdit(scanned: ScannedMessage, lines: string[]): TextEdit {
  const eol = documentEol(scanned);
  // After the last real field: a line with no colon is where the body (missing its blank line) starts.
  const broken = scanned.fields.findIndex((f) => !f.hasColon);
  const last = scanned.fields[(broken === -1 ? scanned.fields.length : broken) - 1];
  if (!last) {
    const at = scanned.headerStart;
    const text = lines.join(eol) + eol;
    return { range: rangeOf(scanned, at, at), newText: text };
  }
  if (last.next > last.end) {
    // The last field ends with a line break: insert a whole line after it.
    return { range: rangeOf(scanned, last.next, last.next), newText: lines.join(eol) + eol };
  }
  // The document ends on the last field with no line break.
  return { range: rangeOf(scanned, last.end, last.end), newText: eol + lines.join(eol) };
}

export function insertFieldsFix(scanned: ScannedMessage, title: string, lines: string[], preferred = true): Fix {
  return { title, edits: [insertFieldsEdit(scanned, lines)], preferred };
}

/** Removes a whole field, its folded lines and its line break. */
export function removeFieldFix(scanned: ScannedMessage, field: HeaderField, title: string): Fix {
  return { title, edits: [{ range: rangeOf(scanned, field.start, field.next), newText: '' }] };
}


// Text edits shared by the rules' quick fixes.
import type { Fix, TextEdit } from '../../types';
import type { HeaderField, ScannedMessage } from '../types';
import { rangeOf } from '../scanner';

/** The line ending the document mostly uses, so an inserted line matches its neighbours. */
export function documentEol(scanned: ScannedMessage): string {
  const { crlf, lf, cr } = scanned.lineEndings;
  if (lf > crlf && lf >= cr) return '\n';
  if (cr > crlf && cr > lf) return '\r';
  return '\r\n';
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


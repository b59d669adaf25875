// Text edits shared by the rules' quick fixes.
import type { Fix, Range, TextEdit } from '../../types';
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

/** Where the user types: a tab stop, with the text it starts with (an example or a known value). */
export interface Placeholder {
  placeholder: string;
}

/** Literal text and placeholders, in order: one inserted line or value. */
export type SnippetParts = ReadonlyArray<string | Placeholder>;

/** What a From or To placeholder starts with when nothing better is known (RFC 2606 example domains). */
export const EXAMPLE_FROM = 'Your Name <you@example.com>';
export const EXAMPLE_TO = 'Name <name@example.org>';

/** A field line with one spot to type in: `Name: <placeholder>`. */
export function fieldWithPlaceholder(name: string, placeholder: string): SnippetParts {
  return [`${name}: `, { placeholder }];
}

/** Literal text in a snippet: `$`, `}` and `\` are escaped (VS Code's snippet grammar). */
function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/**
 * The parts as plain text (each placeholder at its default) and, when there is a placeholder, as a
 * snippet whose tab stops are numbered in order.
 */
export function renderSnippet(parts: SnippetParts): { text: string; snippet?: string } {
  let text = '';
  let snippet = '';
  let stop = 0;
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      snippet += escapeSnippet(part);
    } else {
      text += part.placeholder;
      stop++;
      snippet += part.placeholder ? `\${${stop}:${escapeSnippet(part.placeholder)}}` : `$${stop}`;
    }
  }
  return stop > 0 ? { text, snippet } : { text };
}

/** A replacement of `range` by the parts: a snippet edit when they hold a placeholder. */
export function snippetEdit(range: Range, parts: SnippetParts): TextEdit {
  const { text, snippet } = renderSnippet(parts);
  return snippet === undefined ? { range, newText: text } : { range, newText: text, snippet };
}

/** Above this size the whole-document fix would be too heavy to compute on every keystroke. */
const MAX_WHOLE_DOCUMENT_FIX = 1_000_000;

/** Every line break (CR, LF or CRLF) made CRLF; none for a document too big to rewrite on each keystroke. */
export function crlfEverywhereFix(scanned: ScannedMessage, title = 'Use CRLF line endings everywhere'): Fix[] {
  const { text } = scanned;
  if (text.length > MAX_WHOLE_DOCUMENT_FIX) return [];
  return [{ title, edits: [{ range: rangeOf(scanned, 0, text.length), newText: text.replace(/\r\n|\r|\n/g, '\r\n') }] }];
}

/** An edit that adds `Name: value` lines at the end of the header block (a line may hold placeholders). */
export function insertFieldsEdit(scanned: ScannedMessage, lines: ReadonlyArray<string | SnippetParts>): TextEdit {
  const eol = documentEol(scanned);
  const parts = (before: string, after: string): SnippetParts => [
    before,
    ...lines.flatMap((line, k) => [...(k > 0 ? [eol] : []), ...(typeof line === 'string' ? [line] : line)]),
    after,
  ];
  // After the last real field: a line with no colon is where the body (missing its blank line) starts.
  const broken = scanned.fields.findIndex((f) => !f.hasColon);
  const last = scanned.fields[(broken === -1 ? scanned.fields.length : broken) - 1];
  if (!last) {
    const at = scanned.headerStart;
    return snippetEdit(rangeOf(scanned, at, at), parts('', eol));
  }
  if (last.next > last.end) {
    // The last field ends with a line break: insert a whole line after it.
    return snippetEdit(rangeOf(scanned, last.next, last.next), parts('', eol));
  }
  // The document ends on the last field with no line break.
  return snippetEdit(rangeOf(scanned, last.end, last.end), parts(eol, ''));
}

export function insertFieldsFix(scanned: ScannedMessage, title: string, lines: ReadonlyArray<string | SnippetParts>, preferred = true): Fix {
  return { title, edits: [insertFieldsEdit(scanned, lines)], preferred };
}

/** Removes a whole field, its folded lines and its line break. */
export function removeFieldFix(scanned: ScannedMessage, field: HeaderField, title: string, preferred?: boolean): Fix {
  const fix: Fix = { title, edits: [{ range: rangeOf(scanned, field.start, field.next), newText: '' }] };
  return preferred ? { ...fix, preferred } : fix;
}

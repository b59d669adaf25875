// Which documents go through the composer before the final bytes: Markdown bodies, front matter and
// documents that name attachments. Everything else is prepared by the message core as it is.
import type { ScannedMessage } from '../message/types';
import { scanMessage } from '../message/scanner';

export const EMAIL_MARKDOWN_SUFFIX = '.email.md';
/** The pseudo-header that names a file to attach; it is never sent. */
export const ATTACH_FIELD = 'attach';

const FRONT_MATTER_START = /^\uFEFF?---[ \t]*(\r\n|\n|\r)/;

export function isEmailMarkdownFile(fileName: string | undefined): boolean {
  return fileName !== undefined && fileName.toLowerCase().endsWith(EMAIL_MARKDOWN_SUFFIX);
}

/** A document that starts with a `---` line holds YAML front matter (a header block never starts so). */
export function hasFrontMatter(text: string): boolean {
  return FRONT_MATTER_START.test(text);
}

/** The media type of a Content-Type value, lowercased (`text/markdown; charset=utf-8` -> `text/markdown`). */
export function mediaType(value: string): string {
  return value.split(';')[0].trim().toLowerCase();
}

export function needsComposition(input: string | Uint8Array | ScannedMessage, fileName?: string): boolean {
  if (isEmailMarkdownFile(fileName)) return true;
  const scanned = typeof input === 'string' || input instanceof Uint8Array ? scanMessage(input) : input;
  if (hasFrontMatter(scanned.text.slice(0, 8))) return true;
  for (const field of scanned.fields) {
    if (!field.hasColon) continue;
    if (field.key === ATTACH_FIELD) return true;
    if (field.key === 'content-type' && mediaType(field.value) === 'text/markdown') return true;
  }
  return false;
}

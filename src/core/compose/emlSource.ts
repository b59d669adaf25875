// Reads an RFC 5322 document for composition: its header fields as written, `Attach:` pseudo-fields
// (never sent) and a body that is Markdown (Content-Type: text/markdown), text or HTML.
import { basename } from 'node:path';
import { rangeOf } from '../message/scanner';
import type { ScannedMessage } from '../message/types';
import type { Problem } from '../types';
import * as codes from './codes';
import { ATTACH_FIELD, mediaType } from './detect';
import type { BodyFormat, ComposeSource, FileReference, SourceHeader } from './types';

/** Fields the composer writes itself for the new MIME structure (RFC 2045 section 4, 5, 6). */
const MIME_FIELDS = new Set(['content-type', 'content-transfer-encoding', 'mime-version']);

export function readEmlSource(scanned: ScannedMessage): ComposeSource {
  const problems: Problem[] = [];
  const headers: SourceHeader[] = [];
  const attachments: FileReference[] = [];
  let contentType: string | undefined;
  let transferEncoding: string | undefined;
  for (const field of scanned.fields) {
    if (!field.hasColon) continue;
    if (field.key === ATTACH_FIELD) {
      const written = field.rawValue.trim();
      const path = unquote(written);
      // The range covers the path as written (quotes included), not the space after the colon.
      const start = field.valueStart + field.rawValue.indexOf(written);
      if (path) attachments.push({ path, filename: basename(path), range: rangeOf(scanned, start, start + written.length), kind: 'attachment' });
      continue;
    }
    if (field.key === 'content-type' && contentType === undefined) contentType = mediaType(field.value);
    if (field.key === 'content-transfer-encoding' && transferEncoding === undefined) transferEncoding = field.value.trim().toLowerCase();
    if (MIME_FIELDS.has(field.key)) continue;
    const text = scanned.text.slice(field.start, field.end).replace(/\r\n|\r|\n/g, '\r\n');
    headers.push({ key: field.key, text, range: field.range, verbatim: true });
  }
  const bodyFormat = formatOf(contentType);
  const contentTypeField = scanned.fields.find((f) => f.key === 'content-type');
  if (bodyFormat === 'other' && attachments.length > 0) {
    problems.push({
      code: codes.ATTACH_UNSUPPORTED_BODY,
      severity: 'error',
      message: `Attach works with a text, HTML or Markdown body; this body is ${contentType}: attach files in its own MIME structure instead`,
      range: contentTypeField?.valueRange ?? rangeOf(scanned, scanned.headerStart, scanned.headerStart),
    });
  } else if (transferEncoding && !['7bit', '8bit', 'binary'].includes(transferEncoding)) {
    // An already encoded body would be encoded a second time.
    const cte = scanned.fields.find((f) => f.key === 'content-transfer-encoding');
    problems.push({
      code: codes.ATTACH_UNSUPPORTED_BODY,
      severity: 'error',
      message: `write the body as plain text: Mailsmith encodes it when it composes the message (found Content-Transfer-Encoding: ${transferEncoding})`,
      range: cte?.valueRange ?? rangeOf(scanned, 0, 0),
    });
  }
  return {
    form: 'eml',
    text: scanned.text,
    headers,
    bodyFormat,
    body: scanned.text.slice(scanned.bodyOffset),
    bodyOffset: scanned.bodyOffset,
    attachments,
    problems,
  };
}

function formatOf(contentType: string | undefined): BodyFormat {
  if (contentType === undefined || contentType === 'text/plain') return 'text';
  if (contentType === 'text/markdown') return 'markdown';
  if (contentType === 'text/html') return 'html';
  return 'other';
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

// Multipart bodies (RFC 2046 section 5.1): the boundary parameter is required, must appear as a
// delimiter line, and the last part must be closed with "--boundary--".
import * as codes from '../codes';
import { findBoundaryLines, parseContentType } from '../mime';
import type { Rule } from './rule';

export const mimeStructure: Rule = {
  name: 'mimeStructure',
  codes: [codes.MIME_BOUNDARY_MISSING, codes.MIME_BOUNDARY_UNUSED, codes.MIME_UNTERMINATED],
  check(ctx) {
    const field = ctx.fieldsByKey.get('content-type')?.[0];
    if (!field) return;
    const contentType = parseContentType(field.value);
    if (!contentType || !contentType.type.startsWith('multipart/')) return;
    const boundary = contentType.params.boundary;
    if (!boundary) {
      ctx.report(
        codes.MIME_BOUNDARY_MISSING,
        'error',
        `${contentType.type} needs a boundary parameter (RFC 2046 section 5.1.1)`,
        field.valueRange,
      );
      return;
    }
    const { scanned } = ctx;
    const lines = findBoundaryLines(scanned.text, boundary, scanned.bodyOffset, scanned.text.length);
    const opening = lines.filter((l) => !l.close);
    if (opening.length === 0) {
      ctx.report(
        codes.MIME_BOUNDARY_UNUSED,
        'error',
        `the body never starts a part with "--${boundary}": receivers will see no content`,
        field.valueRange,
      );
      return;
    }
    const lastOpen = opening[opening.length - 1];
    const closed = lines.some((l) => l.close && l.start > lastOpen.start);
    if (!closed) {
      const end = scanned.text.length;
      ctx.report(
        codes.MIME_UNTERMINATED,
        'warning',
        `the last part is not closed with "--${boundary}--" (RFC 2046 section 5.1.1)`,
        ctx.rangeOf(lastOpen.start, lastOpen.end),
        [
          {
            title: `Close the multipart with "--${boundary}--"`,
            edits: [{ range: ctx.rangeOf(end, end), newText: closingText(scanned.text, boundary) }],
          },
        ],
      );
    }
  },
};

function closingText(text: string, boundary: string): string {
  const last = text.charCodeAt(text.length - 1);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return (last === 10 || last === 13 ? '' : eol) + `--${boundary}--` + eol;
}

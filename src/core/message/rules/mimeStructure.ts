// Multipart bodies (RFC 2046 section 5.1), nested ones included: the boundary parameter is required,
// must appear as a delimiter line, and the last part must be closed with "--boundary--".
import type { Range } from '../../types';
import * as codes from '../codes';
import { type MimePart, type MultipartIssue, parseContentType, walkMultipart } from '../mime';
import type { Rule, RuleContext } from './rule';

export const mimeStructure: Rule = {
  name: 'mimeStructure',
  codes: [codes.MIME_BOUNDARY_MISSING, codes.MIME_BOUNDARY_UNUSED, codes.MIME_UNTERMINATED],
  check(ctx) {
    const field = ctx.fieldsByKey.get('content-type')?.[0];
    if (!field) return;
    const contentType = parseContentType(field.value);
    if (!contentType || !contentType.type.startsWith('multipart/')) return;
    const { text, bodyOffset } = ctx.scanned;
    walkMultipart(
      text,
      contentType,
      bodyOffset,
      text.length,
      () => undefined,
      (issue, where) => report(ctx, issue, where, where ? undefined : field.valueRange),
    );
  },
};

function report(ctx: RuleContext, issue: MultipartIssue, part: MimePart | undefined, topRange: Range | undefined): void {
  const { text } = ctx.scanned;
  // A problem of a nested multipart points at that part's header.
  const range = topRange ?? ctx.rangeOf(part!.start, Math.max(part!.start, part!.headerEnd));
  const inPart = part ? ' (in a nested part)' : '';
  if (issue.kind === 'no-boundary') {
    ctx.report(codes.MIME_BOUNDARY_MISSING, 'error', `${issue.type} needs a boundary parameter (RFC 2046 section 5.1.1)${inPart}`, range);
  } else if (issue.kind === 'unused-boundary') {
    ctx.report(
      codes.MIME_BOUNDARY_UNUSED,
      'error',
      `the body never starts a part with "--${issue.boundary}": receivers will see no content${inPart}`,
      range,
    );
  } else {
    const fixes = part
      ? []
      : [
          {
            title: `Close the multipart with "--${issue.boundary}--"`,
            edits: [{ range: ctx.rangeOf(text.length, text.length), newText: closingText(text, issue.boundary) }],
          },
        ];
    ctx.report(
      codes.MIME_UNTERMINATED,
      'warning',
      `the last part is not closed with "--${issue.boundary}--" (RFC 2046 section 5.1.1)${inPart}`,
      ctx.rangeOf(issue.lastDelimiter.start, issue.lastDelimiter.end),
      fixes,
    );
  }
}

function closingText(text: string, boundary: string): string {
  const last = text.charCodeAt(text.length - 1);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return (last === 10 || last === 13 ? '' : eol) + `--${boundary}--` + eol;
}

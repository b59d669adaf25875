// The shape of each header line (RFC 5322 section 2.2 and 3.6.8): a name of printable ASCII other than
// ":", then a colon. Whitespace before the colon is obsolete syntax (section 4.5) that must not be generated.
import * as codes from '../codes';
import type { Fix } from '../../types';
import type { HeaderField } from '../types';
import type { Rule, RuleContext } from './rule';
import { documentEol } from './fixes';

export const headerSyntax: Rule = {
  name: 'headerSyntax',
  codes: [
    codes.HEADER_NO_COLON,
    codes.HEADER_CONTINUATION_FIRST,
    codes.MBOX_FROM_LINE,
    codes.FIELD_NAME_ILLEGAL,
    codes.SPACE_BEFORE_COLON,
  ],
  check(ctx) {
    const { text } = ctx.scanned;
    for (const field of ctx.scanned.fields) {
      const first = text.charCodeAt(field.start);
      if (first === 32 || first === 9) reportContinuationFirst(ctx, field);
      else if (field.index === 0 && text.startsWith('From ', field.start)) reportMboxLine(ctx, field);
      else if (!field.hasColon) reportNoColon(ctx, field);
      else checkName(ctx, field);
    }
  },
};

function removeLineFix(ctx: RuleContext, field: HeaderField): Fix {
  return { title: 'Remove this line', edits: [{ range: ctx.rangeOf(field.start, field.next), newText: '' }] };
}

/** Only the very first header line can be indented with no field before it to continue. */
function reportContinuationFirst(ctx: RuleContext, field: HeaderField): void {
  ctx.report(
    codes.HEADER_CONTINUATION_FIRST,
    'error',
    'the header starts with an indented line, which can only continue a field',
    field.lines[0].range,
    [removeLineFix(ctx, field)],
  );
}

/** A file cut out of an mbox keeps its "From sender date" separator line, which is not a field. */
function reportMboxLine(ctx: RuleContext, field: HeaderField): void {
  ctx.report(
    codes.MBOX_FROM_LINE,
    'error',
    'the first line is an mbox "From " separator, not a header field: remove it',
    field.lines[0].range,
    [{ ...removeLineFix(ctx, field), title: 'Remove the mbox "From " line', preferred: true }],
  );
}

function reportNoColon(ctx: RuleContext, field: HeaderField): void {
  const { scanned } = ctx;
  const first = field.lines[0];
  const removeLine = removeLineFix(ctx, field);
  const fixes = [removeLine];
  if (field.index > 0) {
    // Often the blank line between header and body is missing: offer to put it here.
    fixes.unshift({
      title: 'Start the body here (insert a blank line)',
      edits: [{ range: ctx.rangeOf(field.start, field.start), newText: documentEol(scanned) }],
    });
  }
  ctx.report(
    codes.HEADER_NO_COLON,
    'error',
    'a header line with no colon: a field is "Name: value"; the body must follow a blank line',
    first.range,
    fixes,
  );
}

function checkName(ctx: RuleContext, field: HeaderField): void {
  const { text } = ctx.scanned;
  if (field.name.length === 0) {
    ctx.report(codes.FIELD_NAME_ILLEGAL, 'error', 'the field has no name before ":"', field.colonRange ?? field.nameRange);
    return;
  }
  const nameEnd = field.start + field.name.length;
  for (let i = field.start; i < nameEnd; i++) {
    const c = text.charCodeAt(i);
    // ftext: printable US-ASCII except ":" (RFC 5322 section 3.6.8).
    if (c < 33 || c > 126) {
      const shown = c < 32 || c === 127 ? `\\x${c.toString(16).padStart(2, '0')}` : text[i] === ' ' ? 'a space' : `"${text[i]}"`;
      ctx.report(
        codes.FIELD_NAME_ILLEGAL,
        'error',
        `the field name "${field.name}" holds ${shown}: names are printable ASCII without spaces or ":"`,
        ctx.rangeOf(i, i + 1),
      );
      return;
    }
  }
  if (field.spaceBeforeColon && field.colonRange) {
    const colon = field.valueStart - 1;
    ctx.report(
      codes.SPACE_BEFORE_COLON,
      'error',
      `whitespace between "${field.name}" and ":" (obsolete syntax, RFC 5322 section 4.5)`,
      ctx.rangeOf(nameEnd, colon),
      [{ title: 'Remove the whitespace', edits: [{ range: ctx.rangeOf(nameEnd, colon), newText: '' }], preferred: true }],
    );
  }
}

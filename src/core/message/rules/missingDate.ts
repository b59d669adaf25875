// RFC 5322 section 3.6 requires an origination date; Mailsmith adds it at send time. Nothing for the
// author to do, so a hint (kept out of VS Code's Problems view; the CodeLens says what the send adds).
import * as codes from '../codes';
import { formatRfc5322Date } from '../dates';
import type { Rule } from './rule';
import { insertFieldsFix } from './fixes';

export const missingDate: Rule = {
  name: 'missingDate',
  codes: [codes.MISSING_DATE],
  check(ctx) {
    if (ctx.fieldsByKey.has('date')) return;
    const date = formatRfc5322Date(ctx.options.now ?? new Date());
    ctx.report(
      codes.MISSING_DATE,
      'hint',
      'no Date field: the current date is added when the message is sent',
      ctx.rangeOf(ctx.scanned.headerStart, ctx.scanned.headerStart),
      [insertFieldsFix(ctx.scanned, 'Add a Date field (now)', [`Date: ${date}`], false)],
    );
  },
};

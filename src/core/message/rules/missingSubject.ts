// A Subject is optional in RFC 5322 but a message without one is easily lost or flagged as spam.
import * as codes from '../codes';
import type { Rule } from './rule';
import { fieldWithPlaceholder, insertFieldsFix } from './fixes';

export const missingSubject: Rule = {
  name: 'missingSubject',
  codes: [codes.MISSING_SUBJECT],
  check(ctx) {
    if (ctx.fieldsByKey.has('subject')) return;
    const fallback = ctx.options.defaults?.subject;
    if (fallback !== undefined && fallback.trim()) return;
    ctx.report(
      codes.MISSING_SUBJECT,
      'warning',
      'no Subject field',
      ctx.rangeOf(ctx.scanned.headerStart, ctx.scanned.headerStart),
      // The cursor waits after "Subject: "; Fix all would only add an empty Subject, so it leaves it.
      [insertFieldsFix(ctx.scanned, 'Add a Subject field', [fieldWithPlaceholder('Subject', '')], false)],
    );
  },
};

// RFC 5322 section 3.6: From is required (unless a profile default supplies it).
import * as codes from '../codes';
import type { Rule } from './rule';
import { EXAMPLE_FROM, fieldWithPlaceholder, insertFieldsFix } from './fixes';

export const missingFrom: Rule = {
  name: 'missingFrom',
  codes: [codes.MISSING_FROM],
  check(ctx) {
    if (ctx.fieldsByKey.has('from')) return;
    const fallback = ctx.options.defaults?.from;
    if (fallback && fallback.trim()) return;
    ctx.report(
      codes.MISSING_FROM,
      'error',
      'no From field: every message needs one (RFC 5322 section 3.6)',
      ctx.rangeOf(ctx.scanned.headerStart, ctx.scanned.headerStart),
      // The cursor waits on an example to type over: only the author knows who sends, so Fix all leaves it.
      [insertFieldsFix(ctx.scanned, 'Add a From field', [fieldWithPlaceholder('From', EXAMPLE_FROM)], false)],
    );
  },
};

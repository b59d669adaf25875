// RFC 5322 section 3.6: From is required (unless a profile default supplies it).
import * as codes from '../codes';
import type { Rule } from './rule';
import { insertFieldsFix } from './fixes';

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
      [insertFieldsFix(ctx.scanned, 'Add a From field', ['From: '])],
    );
  },
};

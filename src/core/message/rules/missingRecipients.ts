// A message to no one cannot be sent: To, Cc or Bcc (or a profile default) must name someone.
import * as codes from '../codes';
import type { Rule } from './rule';
import { insertFieldsFix } from './fixes';

export const missingRecipients: Rule = {
  name: 'missingRecipients',
  codes: [codes.MISSING_RECIPIENTS],
  check(ctx) {
    if (['to', 'cc', 'bcc'].some((key) => ctx.fieldsByKey.has(key))) return;
    const d = ctx.options.defaults ?? {};
    if ([d.to, d.cc, d.bcc].some((v) => v && v.trim())) return;
    ctx.report(
      codes.MISSING_RECIPIENTS,
      'error',
      'no recipients: add a To, Cc or Bcc field',
      ctx.rangeOf(ctx.scanned.headerStart, ctx.scanned.headerStart),
      [insertFieldsFix(ctx.scanned, 'Add a To field', ['To: '])],
    );
  },
};

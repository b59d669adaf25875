// A message to no one cannot be sent: To, Cc or Bcc (or a profile default) must name someone.
import * as codes from '../codes';
import type { Rule } from './rule';
import { EXAMPLE_TO, fieldWithPlaceholder, insertFieldsFix } from './fixes';

export const missingRecipients: Rule = {
  name: 'missingRecipients',
  codes: [codes.MISSING_RECIPIENTS],
  check(ctx) {
    const d = ctx.options.defaults ?? {};
    const fields = ['to', 'cc', 'bcc'].flatMap((key) => ctx.fieldsByKey.get(key) ?? []);
    // A default only fills a field the document lacks (see deriveEnvelope).
    if ((['to', 'cc', 'bcc'] as const).some((key) => !ctx.fieldsByKey.has(key) && d[key]?.trim())) return;
    if (fields.length === 0) {
      ctx.report(
        codes.MISSING_RECIPIENTS,
        'error',
        'no recipients: add a To, Cc or Bcc field',
        ctx.rangeOf(ctx.scanned.headerStart, ctx.scanned.headerStart),
        // An example to type over: only the author knows who receives it, so Fix all leaves it.
        [insertFieldsFix(ctx.scanned, 'Add a To field', [fieldWithPlaceholder('To', EXAMPLE_TO)], false)],
      );
      return;
    }
    // Fields that are there but name no one (empty, or only "undisclosed-recipients:;"). Fields with
    // syntax errors are reported by the address rule instead.
    for (const field of fields) {
      const parsed = ctx.addressesOf(field);
      if (parsed.mailboxes.length > 0 || parsed.issues.some((i) => i.severity === 'error')) return;
    }
    ctx.report(
      codes.MISSING_RECIPIENTS,
      'error',
      `no recipients: ${fields.map((f) => f.name).join(', ')} name${fields.length === 1 ? 's' : ''} no address`,
      fields[0].nameRange,
    );
  },
};

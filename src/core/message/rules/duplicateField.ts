// RFC 5322 section 3.6: From, Sender, Reply-To, To, Cc, Bcc, Subject, Date, Message-ID, In-Reply-To and
// References may each occur at most once. Receivers disagree on which copy wins, so it is an error.
import * as codes from '../codes';
import { SINGLE_INSTANCE_FIELDS } from '../headerNames';
import type { Rule } from './rule';
import { removeFieldFix } from './fixes';

export const duplicateField: Rule = {
  name: 'duplicateField',
  codes: [codes.DUPLICATE_FIELD],
  check(ctx) {
    for (const key of SINGLE_INSTANCE_FIELDS) {
      const fields = ctx.fieldsByKey.get(key);
      if (!fields || fields.length < 2) continue;
      const first = fields[0];
      for (const field of fields.slice(1)) {
        ctx.report(
          codes.DUPLICATE_FIELD,
          'error',
          `${field.name} appears more than once (first on line ${first.range.start.line + 1}); it may occur only once (RFC 5322 section 3.6)`,
          field.nameRange,
          [removeFieldFix(ctx.scanned, field, `Remove this ${field.name} field`)],
        );
      }
    }
  },
};

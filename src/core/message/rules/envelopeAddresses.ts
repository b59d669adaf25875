// Issue #11: "Whatever would refuse the send must be a diagnostic, from the same code." This rule runs
// deriveEnvelope, the very function prepare uses for MAIL FROM and RCPT TO, over the document (and the
// profile defaults the editor passes), and reports each reason it would refuse the send that no other
// rule already reports: an address RCPT TO cannot carry safely (envelope-bad-address), an unusable
// profile default, a sender or recipient list that names no mailbox.
import * as codes from '../codes';
import { deriveEnvelope, isCopiedParseProblem } from '../envelope';
import type { Problem } from '../../types';
import type { Rule, RuleContext } from './rule';

export const envelopeAddresses: Rule = {
  name: 'envelopeAddresses',
  codes: [
    codes.ENVELOPE_BAD_ADDRESS,
    codes.DEFAULTS_BAD_ADDRESS,
    codes.ENVELOPE_NO_SENDER,
    codes.ENVELOPE_NO_RECIPIENTS,
    codes.FROM_NEEDS_SENDER,
    codes.TOO_MANY_PROBLEMS,
  ],
  check(ctx) {
    const result = deriveEnvelope(ctx.scanned, ctx.options.defaults ?? {}, (field) => ctx.addressesOf(field));
    for (const problem of result.problems) {
      if (problem.severity !== 'error' || reportedElsewhere(ctx, problem)) continue;
      ctx.report(problem.code, problem.severity, problem.message, problem.range, problem.fixes);
    }
  },
};

/** The envelope's problems that another rule reports already, at the same place. */
function reportedElsewhere(ctx: RuleContext, problem: Problem): boolean {
  const defaults = ctx.options.defaults ?? {};
  switch (problem.code) {
    case codes.FROM_NEEDS_SENDER:
      // senderFields, for a From field of the document.
      return ctx.fieldsByKey.has('from');
    case codes.ENVELOPE_NO_SENDER: {
      // missingFrom (no From and no default), or addressSyntax / senderFields for fields that hold no
      // mailbox and no problem at all (empty: address-empty-list; only groups: a group in From, or
      // sender-not-single).
      if (!ctx.fieldsByKey.has('from') && !defaults.from?.trim()) return true;
      const used = ctx.fieldsByKey.get('sender') ?? ctx.fieldsByKey.get('from') ?? [];
      return used.length > 0 && used.every((field) => {
        const parsed = ctx.addressesOf(field);
        return parsed.mailboxes.length === 0 && parsed.issues.length === 0;
      });
    }
    case codes.ENVELOPE_NO_RECIPIENTS:
      // missingRecipients, unless a profile default stands in for a missing field.
      return !(['to', 'cc', 'bcc'] as const).some((key) => !ctx.fieldsByKey.has(key) && defaults[key]?.trim());
    default:
      // Address syntax errors of the document's fields: addressSyntax reports them word for word.
      return isCopiedParseProblem(problem);
  }
}

// Bcc recipients must stay hidden (RFC 5322 section 3.6.3): the field is removed before sending and
// the addresses go only into the envelope. Said once so the author knows what happens: a hint, since it
// is what the send does for them, not something to act on.
import * as codes from '../codes';
import type { Rule } from './rule';

export const bccNote: Rule = {
  name: 'bccNote',
  codes: [codes.BCC_REMOVED],
  check(ctx) {
    for (const field of ctx.fieldsByKey.get('bcc') ?? []) {
      ctx.report(
        codes.BCC_REMOVED,
        'hint',
        'Bcc recipients receive the message, but this field is removed before sending so no one sees it',
        field.nameRange,
      );
    }
  },
};

// RFC 5322 section 3.6.2: a From with several mailboxes needs a Sender, and Sender names exactly one.
import * as codes from '../codes';
import type { Rule } from './rule';
import { insertFieldsFix } from './fixes';

export const senderFields: Rule = {
  name: 'senderFields',
  codes: [codes.FROM_NEEDS_SENDER, codes.SENDER_NOT_SINGLE],
  check(ctx) {
    const from = ctx.fieldsByKey.get('from')?.[0];
    const sender = ctx.fieldsByKey.get('sender')?.[0];
    if (from && !sender) {
      const mailboxes = ctx.addressesOf(from).mailboxes;
      if (mailboxes.length > 1) {
        ctx.report(
          codes.FROM_NEEDS_SENDER,
          'error',
          'From names several mailboxes: add a Sender field naming the one who sends (RFC 5322 section 3.6.2)',
          from.nameRange,
          [insertFieldsFix(ctx.scanned, `Add Sender: ${mailboxes[0].address}`, [`Sender: ${mailboxes[0].address}`])],
        );
      }
    }
    if (sender) {
      const parsed = ctx.addressesOf(sender);
      if (parsed.mailboxes.length > 1 || parsed.groups.length > 0) {
        ctx.report(
          codes.SENDER_NOT_SINGLE,
          'error',
          'Sender must name exactly one mailbox (RFC 5322 section 3.6.2)',
          sender.valueRange,
        );
      }
    }
  },
};

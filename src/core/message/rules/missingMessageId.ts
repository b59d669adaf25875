// RFC 5322 section 3.6.4: every message SHOULD have a Message-ID; Mailsmith adds a stable one at send time.
// Nothing for the author to do, so a hint (the CodeLens says what the send adds).
import * as codes from '../codes';
import { FALLBACK_MESSAGE_ID_DOMAIN, stableMessageId } from '../messageId';
import type { Rule } from './rule';
import { insertFieldsFix } from './fixes';

export const missingMessageId: Rule = {
  name: 'missingMessageId',
  codes: [codes.MISSING_MESSAGE_ID],
  check(ctx) {
    if (ctx.fieldsByKey.has('message-id')) return;
    const from = ctx.fieldsByKey.get('from')?.[0];
    const fromDomain = from ? ctx.addressesOf(from).mailboxes[0]?.asciiDomain : undefined;
    const domain = ctx.options.messageIdDomain ?? fromDomain ?? FALLBACK_MESSAGE_ID_DOMAIN;
    const id = stableMessageId(ctx.scanned.text, domain);
    ctx.report(
      codes.MISSING_MESSAGE_ID,
      'hint',
      'no Message-ID field: one is added when the message is sent',
      ctx.rangeOf(ctx.scanned.headerStart, ctx.scanned.headerStart),
      [insertFieldsFix(ctx.scanned, 'Add a Message-ID field', [`Message-ID: ${id}`], false)],
    );
  },
};

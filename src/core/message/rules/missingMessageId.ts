// RFC 5322 section 3.6.4: every message SHOULD have a Message-ID; Mailsmith adds a stable one at send time.
// Nothing for the author to do, so a hint (the CodeLens says what the send adds).
import * as codes from '../codes';
import { FALLBACK_MESSAGE_ID_DOMAIN, stableMessageId } from '../messageId';
import type { Rule } from './rule';
import { insertFieldsFix } from './fixes';

/**
 * The fix's id is derived from at most this much of the text (its start and end, and its length): enough
 * to tell drafts apart, and hashing a 10 MB message on every keystroke would stall the editor.
 */
const MAX_HASHED = 64 * 1024;

export const missingMessageId: Rule = {
  name: 'missingMessageId',
  codes: [codes.MISSING_MESSAGE_ID],
  check(ctx) {
    if (ctx.fieldsByKey.has('message-id')) return;
    const from = ctx.fieldsByKey.get('from')?.[0];
    const fromDomain = from ? ctx.addressesOf(from).mailboxes[0]?.asciiDomain : undefined;
    const domain = ctx.options.messageIdDomain ?? fromDomain ?? FALLBACK_MESSAGE_ID_DOMAIN;
    const { text } = ctx.scanned;
    const hashed = text.length <= MAX_HASHED ? text : `${text.slice(0, MAX_HASHED / 2)}${text.slice(-MAX_HASHED / 2)}${text.length}`;
    const id = stableMessageId(hashed, domain);
    ctx.report(
      codes.MISSING_MESSAGE_ID,
      'hint',
      'no Message-ID field: one is added when the message is sent',
      ctx.rangeOf(ctx.scanned.headerStart, ctx.scanned.headerStart),
      [insertFieldsFix(ctx.scanned, 'Add a Message-ID field', [`Message-ID: ${id}`], false)],
    );
  },
};

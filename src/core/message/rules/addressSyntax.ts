// Address fields (From, Sender, Reply-To, To, Cc, Bcc) must hold RFC 5322 section 3.4 address lists.
// Each bad address is pointed at exactly; `;` separators are accepted with a fix; non-ASCII local parts
// need SMTPUTF8 (RFC 6531) and IDN domains are sent as punycode (RFC 5891).
import * as codes from '../codes';
import { ADDRESS_FIELDS } from '../headerNames';
import type { Rule } from './rule';

export const addressSyntax: Rule = {
  name: 'addressSyntax',
  codes: [
    codes.ADDRESS_SYNTAX,
    codes.ADDRESS_EMPTY_ENTRY,
    codes.ADDRESS_SEMICOLON,
    codes.ADDRESS_EMPTY_LIST,
    codes.ADDRESS_NEEDS_SMTPUTF8,
    codes.ADDRESS_IDN,
  ],
  check(ctx) {
    for (const key of ADDRESS_FIELDS) {
      for (const field of ctx.fieldsByKey.get(key) ?? []) {
        const parsed = ctx.addressesOf(field);
        for (const issue of parsed.issues) {
          const range = ctx.rangeOf(issue.start, issue.end);
          if (issue.code === codes.ADDRESS_SEMICOLON) {
            const edits = parsed.semicolonSeparators.map((offset) => ({
              range: ctx.rangeOf(offset, offset + 1),
              newText: ',',
            }));
            ctx.report(issue.code, issue.severity, `${field.name}: ${issue.message}`, range, [
              { title: 'Separate the addresses with ","', edits, preferred: true },
            ]);
          } else {
            ctx.report(issue.code, issue.severity, `${field.name}: ${issue.message}`, range);
          }
        }
        if (parsed.mailboxes.length === 0 && parsed.groups.length === 0 && parsed.issues.length === 0) {
          // An empty To/Cc is harmless but odd; an empty From or Sender names no author.
          const severity = key === 'from' || key === 'sender' ? 'error' : 'warning';
          ctx.report(codes.ADDRESS_EMPTY_LIST, severity, `${field.name} is empty`, field.nameRange);
        }
        for (const mailbox of parsed.mailboxes) {
          if (mailbox.needsSmtpUtf8 && !ctx.options.smtpUtf8) {
            ctx.report(
              codes.ADDRESS_NEEDS_SMTPUTF8,
              'info',
              `"${mailbox.address}" has a non-ASCII local part: only servers with SMTPUTF8 (RFC 6531) accept it`,
              ctx.rangeOf(mailbox.start, mailbox.end),
            );
          } else if (mailbox.idn && !ctx.options.smtpUtf8) {
            ctx.report(
              codes.ADDRESS_IDN,
              'hint',
              `"${mailbox.domain}" is an internationalised domain: sent as ${mailbox.asciiDomain}`,
              ctx.rangeOf(mailbox.start, mailbox.end),
            );
          }
        }
      }
    }
  },
};

// Address fields (From, Sender, Reply-To, To, Cc, Bcc) must hold RFC 5322 section 3.4 address lists.
// Each bad address is pointed at exactly; `;` separators are accepted with a fix, and the common typos
// the parser recognises (a name without <angle brackets>, "@@", a stray ".", a missing "," or ">", a
// display name that needs quotes) come with the fix the parser checked; non-ASCII local parts
// need SMTPUTF8 (RFC 6531) and IDN domains are sent as punycode (RFC 5891). From holds mailboxes only
// (section 3.6.2: `from = "From:" mailbox-list`), never a group. The parser caps its problems per list;
// the notes per address are capped here the same way.
import type { Fix, Range, Severity } from '../../types';
import * as codes from '../codes';
import { ADDRESS_FIELDS } from '../headerNames';
import { MAX_PROBLEMS_PER_FIELD, ProblemCap, moreProblems } from '../problemCap';
import type { AddressListResult, AddressRepair, HeaderField } from '../types';
import { EXAMPLE_FROM, EXAMPLE_TO, removeFieldFix, snippetEdit } from './fixes';
import type { Rule, RuleContext } from './rule';

/** More separators than this are fixed with one edit of the whole value, not one edit each. */
const MAX_SEPARATOR_EDITS = 100;

export const addressSyntax: Rule = {
  name: 'addressSyntax',
  codes: [
    codes.ADDRESS_SYNTAX,
    codes.ADDRESS_EMPTY_ENTRY,
    codes.ADDRESS_SEMICOLON,
    codes.ADDRESS_EMPTY_LIST,
    codes.ADDRESS_NEEDS_SMTPUTF8,
    codes.ADDRESS_IDN,
    codes.TOO_MANY_PROBLEMS,
  ],
  check(ctx) {
    for (const key of ADDRESS_FIELDS) {
      for (const field of ctx.fieldsByKey.get(key) ?? []) {
        const parsed = ctx.addressesOf(field);
        for (const issue of parsed.issues) {
          const range = ctx.rangeOf(issue.start, issue.end);
          const fixes = issue.code === codes.ADDRESS_SEMICOLON ? [semicolonFix(ctx, field, parsed)] : issue.repair ? [repairFix(ctx, issue.repair)] : undefined;
          ctx.report(issue.code, issue.severity, `${field.name}: ${issue.message}`, range, fixes);
        }
        if (parsed.mailboxes.length === 0 && parsed.groups.length === 0 && parsed.issues.length === 0) {
          // An empty To/Cc is harmless but odd; an empty From or Sender names no author.
          const severity = key === 'from' || key === 'sender' ? 'error' : 'warning';
          ctx.report(codes.ADDRESS_EMPTY_LIST, severity, `${field.name} is empty`, field.nameRange, emptyListFixes(ctx, field));
        }
        if (key === 'from') {
          for (const group of parsed.groups) {
            ctx.report(
              codes.ADDRESS_SYNTAX,
              'error',
              `${field.name} names mailboxes, not a group ("${group.name}:"): RFC 5322 section 3.6.2`,
              ctx.rangeOf(group.start, group.end),
            );
          }
        }
        reportNotes(ctx, field, parsed);
      }
    }
  },
};

/** The SMTPUTF8 and IDN notes of each address, at most MAX_PROBLEMS_PER_FIELD of them per field. */
function reportNotes(ctx: RuleContext, field: HeaderField, parsed: AddressListResult): void {
  if (ctx.options.smtpUtf8) return;
  const notes = new ProblemCap<{ code: string; severity: Severity; message: string; start: number; end: number }>();
  for (const mailbox of parsed.mailboxes) {
    if (mailbox.needsSmtpUtf8) {
      notes.add({
        code: codes.ADDRESS_NEEDS_SMTPUTF8,
        severity: 'info',
        message: `"${mailbox.address}" has a non-ASCII local part: only servers with SMTPUTF8 (RFC 6531) accept it`,
        start: mailbox.start,
        end: mailbox.end,
      });
    } else if (mailbox.idn) {
      notes.add({
        code: codes.ADDRESS_IDN,
        severity: 'hint',
        message: `"${mailbox.domain}" is an internationalised domain: sent as ${mailbox.asciiDomain}`,
        start: mailbox.start,
        end: mailbox.end,
      });
    }
  }
  const listed = notes.items((count, worst, first, last) => ({
    code: codes.TOO_MANY_PROBLEMS,
    severity: worst,
    message: `${field.name}: ${moreProblems(count, 'addresses')} need SMTPUTF8 or are internationalised (only the first ${MAX_PROBLEMS_PER_FIELD} are listed)`,
    start: first.start,
    end: last.end,
  }));
  for (const note of listed) ctx.report(note.code, note.severity, note.message, ctx.rangeOf(note.start, note.end));
}

/**
 * An empty address field: fill it in (the cursor on the profile's From when there is one, else on an
 * example), or remove it. Only the profile's own From is filled in by Fix all: anything else is the
 * author's to type, and a field they are about to fill in must not vanish on save.
 */
function emptyListFixes(ctx: RuleContext, field: HeaderField): Fix[] {
  const range = ctx.rangeOf(field.valueStart, field.end);
  const profileFrom = field.key === 'from' ? ctx.options.defaults?.from?.trim() : undefined;
  const fill: Fix = profileFrom
    ? { title: `Use the profile's From: ${profileFrom}`, edits: [snippetEdit(range, [' ', { placeholder: profileFrom }])], preferred: true }
    : { title: `Fill in ${field.name}`, edits: [snippetEdit(range, [' ', { placeholder: field.key === 'from' || field.key === 'sender' ? EXAMPLE_FROM : EXAMPLE_TO }])] };
  return [fill, removeFieldFix(ctx.scanned, field, `Remove the empty ${field.name} field`)];
}

/** What each repair is called in the quick-fix menu. All are preferred (Fix all applies them) but a dot taken out of a local part, which names another mailbox. */
function repairFix(ctx: RuleContext, repair: AddressRepair): Fix {
  const edits = repair.edits.map((e) => ({ range: ctx.rangeOf(e.start, e.end), newText: e.newText }));
  switch (repair.kind) {
    case 'angle-brackets':
      return { title: 'Put the address in <angle brackets> after the name', edits, preferred: true };
    case 'extra-at':
      return { title: 'Remove the extra "@"', edits, preferred: true };
    case 'stray-dot':
      return { title: `Remove the stray "." from the ${repair.part ?? 'address'}`, edits, preferred: repair.part !== 'local part' };
    case 'missing-comma':
      return { title: 'Separate the addresses with ","', edits, preferred: true };
    case 'missing-close-angle':
      return { title: 'Close the address with ">"', edits, preferred: true };
    case 'quote-name':
      return { title: 'Put the display name in double quotes', edits, preferred: true };
  }
}

/** Every ";" separator made ","; one edit of the value when there are many (a fix of a million edits helps no one). */
function semicolonFix(ctx: RuleContext, field: HeaderField, parsed: AddressListResult): Fix {
  const title = 'Separate the addresses with ","';
  const offsets = parsed.semicolonSeparators;
  if (offsets.length <= MAX_SEPARATOR_EDITS) {
    return { title, edits: offsets.map((offset) => ({ range: ctx.rangeOf(offset, offset + 1), newText: ',' })), preferred: true };
  }
  const chars = field.rawValue.split('');
  for (const offset of offsets) chars[offset - field.valueStart] = ',';
  const range: Range = ctx.rangeOf(field.valueStart, field.end);
  return { title, edits: [{ range, newText: chars.join('') }], preferred: true };
}

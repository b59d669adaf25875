// Profile defaults become header text: prepare writes a default Subject into the message as it is, so a
// CR or LF in it would end the field and start another (header injection from a profile or a workspace
// setting), and a bare CR is the very character the scanner refuses in a header (RFC 5322 section 2.2).
// Address defaults are parsed, so their line breaks are defaults-bad-address (envelopeAddresses).
import * as codes from '../codes';
import type { Rule } from './rule';

const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

export const defaultValues: Rule = {
  name: 'defaultValues',
  codes: [codes.DEFAULTS_CONTROL_CHAR],
  check(ctx) {
    const subject = ctx.options.defaults?.subject;
    // Used only when the document has no Subject of its own.
    if (subject === undefined || ctx.fieldsByKey.has('subject')) return;
    // prepare writes it trimmed, so a final line break (a YAML block scalar's) is harmless.
    const found = CONTROL.exec(subject.trim());
    if (!found) return;
    const code = found[0].charCodeAt(0);
    const what = code === 13 || code === 10 ? 'a line break' : 'a control character';
    ctx.report(
      codes.DEFAULTS_CONTROL_CHAR,
      'error',
      `the profile default "subject" holds ${what} (\\x${code.toString(16).padStart(2, '0')}), which would end the Subject ` +
        'field in the message and start another: remove it from the profile',
      ctx.rangeOf(ctx.scanned.headerStart, ctx.scanned.headerStart),
    );
  },
};

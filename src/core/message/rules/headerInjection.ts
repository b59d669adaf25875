// A folded line that reads like a new field ("Bcc: x@y") inside an address list or Subject is how
// header injection hides extra recipients: unfolded it is harmless, but a careless tool (or reader)
// takes it for a field of its own. Flag it so the author looks (RFC 5322 section 2.2.3 folding).
import * as codes from '../codes';
import { INJECTION_TARGETS, WELL_KNOWN_FIELDS } from '../headerNames';
import type { Rule } from './rule';

export const headerInjection: Rule = {
  name: 'headerInjection',
  codes: [codes.HEADER_INJECTION, codes.EMPTY_FOLDED_LINE],
  check(ctx) {
    const { text } = ctx.scanned;
    for (const field of ctx.scanned.fields) {
      if (!field.hasColon || field.lines.length < 2) continue;
      const target = INJECTION_TARGETS.has(field.key);
      for (let k = 1; k < field.lines.length; k++) {
        const line = field.lines[k];
        let i = line.start;
        while (i < line.end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
        if (i === line.end) {
          ctx.report(
            codes.EMPTY_FOLDED_LINE,
            'warning',
            'a folded line of only whitespace: some programs read it as the end of the header (RFC 5322 section 4.2)',
            line.range,
          );
          continue;
        }
        if (!target) continue;
        const nameStart = i;
        while (i < line.end) {
          const c = text.charCodeAt(i);
          if (c < 33 || c > 126 || c === 58) break;
          i++;
        }
        const name = text.slice(nameStart, i).toLowerCase();
        while (i < line.end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
        if (name.length === 0 || i >= line.end || text.charCodeAt(i) !== 58) continue;
        // "Team: a@x;" in an address list is a group and "Re: hello" in a Subject is ordinary, so
        // only the names of real fields (and extension fields) are suspicious.
        if (!WELL_KNOWN_FIELDS.has(name) && !name.startsWith('x-') && !name.startsWith('content-')) continue;
        ctx.report(
          codes.HEADER_INJECTION,
          'warning',
          `a folded line of ${field.name} looks like a "${text.slice(nameStart, nameStart + name.length)}:" field: ` +
            'it is part of this value, not a field of its own (possible header injection)',
          line.range,
        );
      }
    }
  },
};

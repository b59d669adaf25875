// A folded line that reads like a new field ("Bcc: x@y") inside an address list or Subject is how
// header injection hides extra recipients: unfolded it is harmless, but a careless tool (or reader)
// takes it for a field of its own. Flag it so the author looks (RFC 5322 section 2.2.3 folding).
import type { Range, Severity } from '../../types';
import * as codes from '../codes';
import { INJECTION_TARGETS, WELL_KNOWN_FIELDS } from '../headerNames';
import { MAX_PROBLEMS_PER_FIELD, ProblemCap, moreProblems } from '../problemCap';
import type { Rule } from './rule';

interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
}

export const headerInjection: Rule = {
  name: 'headerInjection',
  codes: [codes.HEADER_INJECTION, codes.EMPTY_FOLDED_LINE, codes.TOO_MANY_PROBLEMS],
  check(ctx) {
    const { text } = ctx.scanned;
    for (const field of ctx.scanned.fields) {
      if (!field.hasColon || field.lines.length < 2) continue;
      const target = INJECTION_TARGETS.has(field.key);
      // At most MAX_PROBLEMS_PER_FIELD findings per field, then one summary.
      const findings = new ProblemCap<Finding>();
      for (let k = 1; k < field.lines.length; k++) {
        const line = field.lines[k];
        let i = line.start;
        while (i < line.end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
        if (i === line.end) {
          findings.add({
            code: codes.EMPTY_FOLDED_LINE,
            severity: 'warning',
            message: 'a folded line of only whitespace: some programs read it as the end of the header (RFC 5322 section 4.2)',
            range: line.range,
          });
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
        findings.add({
          code: codes.HEADER_INJECTION,
          severity: 'warning',
          message:
            `a folded line of ${field.name} looks like a "${text.slice(nameStart, nameStart + name.length)}:" field: ` +
            'it is part of this value, not a field of its own (possible header injection)',
          range: line.range,
        });
      }
      const listed = findings.items((count, worst, first, last) => ({
        code: codes.TOO_MANY_PROBLEMS,
        severity: worst,
        message: `${field.name}: ${moreProblems(count, 'folded lines')} look like fields or hold only whitespace (only the first ${MAX_PROBLEMS_PER_FIELD} are listed)`,
        range: { start: first.range.start, end: last.range.end },
      }));
      for (const f of listed) ctx.report(f.code, f.severity, f.message, f.range);
    }
  },
};

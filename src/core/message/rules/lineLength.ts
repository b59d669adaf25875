// RFC 5322 section 2.1.1: lines MUST be at most 998 octets and SHOULD be at most 78 (CRLF excluded).
import * as codes from '../codes';
import { MAX_LINE_LENGTH, RECOMMENDED_LINE_LENGTH } from '../scanner';
import type { Rule } from './rule';

/** Hints beyond this many would drown the real problems. */
const MAX_HINTS = 20;

export const lineLength: Rule = {
  name: 'lineLength',
  codes: [codes.LINE_TOO_LONG, codes.LINE_OVER_78],
  check(ctx) {
    const { scanned } = ctx;
    let hints = 0;
    for (const long of scanned.longLines) {
      const octets = Buffer.byteLength(scanned.text.slice(long.start, long.end), 'utf8');
      const where = long.inHeader ? 'header' : 'body';
      if (octets > MAX_LINE_LENGTH) {
        ctx.report(
          codes.LINE_TOO_LONG,
          'error',
          `this ${where} line is ${octets} octets long; the limit is ${MAX_LINE_LENGTH} (RFC 5322 section 2.1.1)` +
            (long.inHeader ? ': fold it' : ': wrap it or use quoted-printable'),
          { start: { line: long.line, character: 0 }, end: { line: long.line, character: long.end - long.start } },
        );
      } else if (octets > RECOMMENDED_LINE_LENGTH && hints < MAX_HINTS) {
        hints++;
        ctx.report(
          codes.LINE_OVER_78,
          'hint',
          `this ${where} line is ${octets} octets long; lines should stay within ${RECOMMENDED_LINE_LENGTH}`,
          {
            start: { line: long.line, character: RECOMMENDED_LINE_LENGTH },
            end: { line: long.line, character: long.end - long.start },
          },
        );
      }
    }
  },
};

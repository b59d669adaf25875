// RFC 5322 section 2.3: CR and LF occur only together as CRLF. Files on disk often use bare LF, which is
// fine (normalised when sent); a bare CR is rarer and more often a mistake. A BOM has no place in a message.
import * as codes from '../codes';
import type { Fix } from '../../types';
import type { Rule, RuleContext } from './rule';

/** Above this size the whole-document fix would be too heavy to compute on every keystroke. */
const MAX_FIX_SIZE = 1_000_000;

function normaliseFix(ctx: RuleContext): Fix[] {
  const { text } = ctx.scanned;
  if (text.length > MAX_FIX_SIZE) return [];
  return [
    {
      title: 'Use CRLF line endings everywhere',
      edits: [{ range: ctx.rangeOf(0, text.length), newText: text.replace(/\r\n|\r|\n/g, '\r\n') }],
    },
  ];
}

export const lineEndings: Rule = {
  name: 'lineEndings',
  codes: [codes.BARE_LF, codes.BARE_CR, codes.BOM],
  check(ctx) {
    const { scanned } = ctx;
    if (scanned.firstBareLf !== undefined) {
      const at = scanned.firstBareLf;
      ctx.report(
        codes.BARE_LF,
        'info',
        `${scanned.lineEndings.lf} line(s) end with a bare LF: they are sent as CRLF`,
        ctx.rangeOf(at, at),
        normaliseFix(ctx),
      );
    }
    if (scanned.firstBareCr !== undefined) {
      const at = scanned.firstBareCr;
      ctx.report(
        codes.BARE_CR,
        'warning',
        `${scanned.lineEndings.cr} line(s) end with a bare CR (RFC 5322 section 2.3): each is sent as a line break (CRLF)`,
        ctx.rangeOf(at, at),
        normaliseFix(ctx),
      );
    }
    if (scanned.bom) {
      const fixes: Fix[] =
        scanned.decoding === 'string'
          ? [{ title: 'Remove the byte-order mark', edits: [{ range: ctx.rangeOf(0, 1), newText: '' }], preferred: true }]
          : [];
      ctx.report(codes.BOM, 'warning', 'the file starts with a byte-order mark: it is removed when sent', ctx.rangeOf(0, scanned.headerStart), fixes);
    }
  },
};

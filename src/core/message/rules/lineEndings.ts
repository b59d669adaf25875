// RFC 5322 section 2.3: CR and LF occur only together as CRLF. Files on disk often use bare LF, which is
// fine (normalised when sent): a hint, not a Problems-view entry. A bare CR in the body is a line break that is sent as CRLF: prepare turns
// every body line break into CRLF before the transport dot-stuffs, so receivers read the lines the rules
// checked and "<CR>.<CR>" cannot end the DATA early. (In the header block a bare CR is no line break at
// all: headerCharacters refuses it.) A BOM has no place in a message.
import * as codes from '../codes';
import type { Fix } from '../../types';
import type { Rule } from './rule';
import { crlfEverywhereFix } from './fixes';

export const lineEndings: Rule = {
  name: 'lineEndings',
  codes: [codes.BARE_LF, codes.BARE_CR, codes.BOM],
  check(ctx) {
    const { scanned } = ctx;
    if (scanned.firstBareLf !== undefined) {
      const at = scanned.firstBareLf;
      ctx.report(
        codes.BARE_LF,
        'hint',
        `${scanned.lineEndings.lf} line(s) end with a bare LF: they are sent as CRLF`,
        ctx.rangeOf(at, at),
        crlfEverywhereFix(scanned),
      );
    }
    if (scanned.firstBareCr !== undefined) {
      const at = scanned.firstBareCr;
      const count = scanned.lineEndings.cr - scanned.bareCrsInHeader;
      ctx.report(
        codes.BARE_CR,
        'warning',
        `${count} line(s) of the body end with a bare CR (RFC 5322 section 2.3): each is sent as a line break (CRLF), ` +
          'though tools that do not break lines at a bare CR show this text differently',
        ctx.rangeOf(at, at),
        crlfEverywhereFix(scanned),
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

// 8-bit body content must be declared (RFC 2045 section 6 and RFC 6152): a charset says how to read it
// and Content-Transfer-Encoding 8bit says it is not 7-bit. Undeclared, it is kept as it is (the send
// layer declares BODY=8BITMIME), but receivers have to guess the charset. NUL has no place in a body.
import * as codes from '../codes';
import type { Fix, TextEdit } from '../../types';
import { type ContentType, allows8Bit, parseContentType, walkMultipart } from '../mime';
import type { Rule, RuleContext } from './rule';
import { insertFieldsEdit } from './fixes';

const NON_ASCII = /[\u0080-\uffff]/g;

export const body8bit: Rule = {
  name: 'body8bit',
  codes: [codes.BODY_8BIT_UNDECLARED, codes.BODY_NUL],
  check(ctx) {
    const { scanned } = ctx;
    if (!scanned.hasBody) return;
    const nul = scanned.text.indexOf('\0', scanned.bodyOffset);
    if (nul !== -1) {
      ctx.report(codes.BODY_NUL, 'warning', 'the body holds a NUL character, which many servers reject (RFC 5322 section 2.3)', ctx.rangeOf(nul, nul + 1));
    }
    if (scanned.ascii || isAsciiFrom(scanned.text, scanned.bodyOffset)) return;
    NON_ASCII.lastIndex = scanned.bodyOffset;
    const first = NON_ASCII.exec(scanned.text);
    if (!first) return;
    const contentType = parseContentType(ctx.fieldsByKey.get('content-type')?.[0]?.value);
    if (contentType?.type.startsWith('multipart/') && contentType.params.boundary) {
      checkParts(ctx, contentType, first.index);
      return;
    }
    const cte = ctx.fieldsByKey.get('content-transfer-encoding')?.[0]?.value;
    const charset = contentType?.params.charset;
    if (allows8Bit(cte) && (charset || (contentType && !contentType.type.startsWith('text/')))) return;
    const missing = [!charset ? 'a charset' : '', !allows8Bit(cte) ? 'Content-Transfer-Encoding: 8bit' : '']
      .filter(Boolean)
      .join(' and ');
    ctx.report(
      codes.BODY_8BIT_UNDECLARED,
      'warning',
      `the body holds 8-bit (non-ASCII) text but the header does not declare ${missing}`,
      ctx.rangeOf(first.index, first.index + 1),
      declareFix(ctx, contentType !== undefined, cte !== undefined),
    );
  },
};

/**
 * No character from `start` on is above U+007F. A native UTF-8 length is several times faster than a
 * regular expression over a 10 MB body (each such character takes more than one byte), and this runs on
 * every keystroke.
 */
function isAsciiFrom(text: string, start: number): boolean {
  return Buffer.byteLength(start === 0 ? text : text.slice(start), 'utf8') === text.length - start;
}

function declareFix(ctx: RuleContext, hasContentType: boolean, hasCte: boolean): Fix[] {
  const charset = ctx.scanned.decoding === 'latin1' ? 'iso-8859-1' : 'utf-8';
  const edits: TextEdit[] = [];
  const add: string[] = [];
  if (!ctx.fieldsByKey.has('mime-version')) add.push('MIME-Version: 1.0');
  if (!hasContentType) add.push(`Content-Type: text/plain; charset=${charset}`);
  else {
    const field = ctx.fieldsByKey.get('content-type')![0];
    if (!/charset\s*=/i.test(field.value)) {
      edits.push({ range: ctx.rangeOf(field.end, field.end), newText: `; charset=${charset}` });
    }
  }
  if (!hasCte) add.push('Content-Transfer-Encoding: 8bit');
  else {
    const field = ctx.fieldsByKey.get('content-transfer-encoding')![0];
    if (!allows8Bit(field.value)) edits.push({ range: ctx.rangeOf(field.valueStart, field.end), newText: ' 8bit' });
  }
  if (add.length) edits.push(insertFieldsEdit(ctx.scanned, add));
  return edits.length ? [{ title: `Declare the body as ${charset}, 8bit`, edits, preferred: true }] : [];
}

/** In a multipart body each leaf part declares its own encoding: check the ones that hold 8-bit text. */
function checkParts(ctx: RuleContext, contentType: ContentType, firstNonAscii: number): void {
  const { text } = ctx.scanned;
  let nextNonAscii = firstNonAscii;
  // Parts come in document order, so each search starts past the last one: linear overall.
  const nonAsciiFrom = (from: number): number => {
    if (nextNonAscii !== -1 && nextNonAscii < from) {
      NON_ASCII.lastIndex = from;
      nextNonAscii = NON_ASCII.exec(text)?.index ?? -1;
    }
    return nextNonAscii;
  };
  walkMultipart(
    text,
    contentType,
    ctx.scanned.bodyOffset,
    text.length,
    (part) => {
      // Non-ASCII in a part's header is the header rules' business; multipart parts hold other parts.
      if (part.contentType?.type.startsWith('multipart/')) return;
      const at = nonAsciiFrom(part.bodyStart);
      if (at === -1 || at >= part.end || allows8Bit(part.transferEncoding)) return;
      ctx.report(
        codes.BODY_8BIT_UNDECLARED,
        'warning',
        'this part holds 8-bit (non-ASCII) text but does not declare Content-Transfer-Encoding: 8bit',
        ctx.rangeOf(at, at + 1),
      );
    },
    () => undefined,
  );
}

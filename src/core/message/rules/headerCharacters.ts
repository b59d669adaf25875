// Characters in header fields. Control characters (NUL, ...) are not allowed at all (RFC 5322 section
// 2.2); non-ASCII text is fine with SMTPUTF8 (RFC 6532) and is otherwise RFC 2047-encoded when sent.
// A bare CR is one of those control characters: the scanner keeps it inside its field (it ends no header
// line), and refusing it here is what keeps `To: a@x<CR>Bcc: b@y` from ever being sent as two fields.
import * as codes from '../codes';
import { encodeFieldValue, foldField } from '../encoding';
import type { HeaderField } from '../types';
import type { Rule, RuleContext } from './rule';
import { crlfEverywhereFix, documentEol } from './fixes';

const CR = 13;

const MAX_FIX_VALUE_LENGTH = 10_000;

export const headerCharacters: Rule = {
  name: 'headerCharacters',
  codes: [codes.HEADER_CONTROL_CHAR, codes.HEADER_NON_ASCII, codes.INVALID_UTF8],
  check(ctx) {
    const { scanned } = ctx;
    if (scanned.decoding === 'latin1') {
      ctx.report(
        codes.INVALID_UTF8,
        'warning',
        'the file is not valid UTF-8: it was read as Latin-1 (ISO-8859-1), byte for byte',
        ctx.rangeOf(0, 0),
      );
    }
    for (const field of scanned.fields) {
      if (!field.hasColon) continue;
      checkField(ctx, field);
    }
  },
};

function checkField(ctx: RuleContext, field: HeaderField): void {
  const { text } = ctx.scanned;
  let firstControl = -1;
  let firstNonAscii = -1;
  for (const line of field.lines) {
    for (let i = line.start; i < line.end; i++) {
      const c = text.charCodeAt(i);
      if ((c < 32 && c !== 9) || c === 127) {
        if (firstControl === -1) firstControl = i;
      } else if (c > 127 && firstNonAscii === -1) firstNonAscii = i;
    }
    if (firstControl !== -1) break;
  }
  if (firstControl !== -1 && text.charCodeAt(firstControl) === CR) {
    ctx.report(
      codes.HEADER_CONTROL_CHAR,
      'error',
      `${field.name || 'the field'} holds a bare CR (a carriage return without a line feed): it does not end ` +
        'a header line, so the text after it stays in this field, where programs that do break lines there ' +
        'would read another field (RFC 5322 section 2.2)',
      ctx.rangeOf(firstControl, firstControl + 1),
      crlfEverywhereFix(ctx.scanned, 'Make every bare CR a line break (CRLF)'),
    );
    return;
  }
  if (firstControl !== -1) {
    const c = text.charCodeAt(firstControl);
    const cleaned = text.slice(field.valueStart, field.end).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
    ctx.report(
      codes.HEADER_CONTROL_CHAR,
      'error',
      `${field.name || 'the field'} holds the control character \\x${c.toString(16).padStart(2, '0')}, which a header may not contain`,
      ctx.rangeOf(firstControl, firstControl + 1),
      [
        {
          title: 'Remove the control characters',
          edits: [{ range: ctx.rangeOf(field.valueStart, field.end), newText: cleaned }],
          preferred: true,
        },
      ],
    );
    return;
  }
  if (firstNonAscii === -1 || ctx.options.smtpUtf8) return;
  // Encoding is computed for the fix, which a huge value (a pasted blob) would only make slow.
  const small = field.value.length <= MAX_FIX_VALUE_LENGTH;
  const encoded = small ? encodeFieldValue(field.key, field.value) : { value: field.value, needsSmtpUtf8: false };
  const fixes = [];
  if (small && !encoded.needsSmtpUtf8 && encoded.value !== field.value.trim()) {
    const eol = documentEol(ctx.scanned);
    const folded = foldField(field.name, encoded.value).slice(field.name.length + 1).replace(/\r\n/g, eol);
    fixes.push({
      title: 'Encode the value (RFC 2047)',
      edits: [{ range: ctx.rangeOf(field.valueStart, field.end), newText: folded }],
    });
  }
  // Encodable text is the send's business (a hint); text only an SMTPUTF8 server takes can fail (info).
  ctx.report(
    codes.HEADER_NON_ASCII,
    encoded.needsSmtpUtf8 ? 'info' : 'hint',
    encoded.needsSmtpUtf8
      ? `${field.name} holds non-ASCII text that cannot be encoded: only servers with SMTPUTF8 (RFC 6531) accept it`
      : `${field.name} holds non-ASCII text: it is RFC 2047-encoded when sent (unless the server takes SMTPUTF8)`,
    ctx.rangeOf(firstNonAscii, firstNonAscii + 1),
    fixes,
  );
}

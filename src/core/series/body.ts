// A patch body goes out exactly as written: no re-wrapping, trailing whitespace kept, 8bit when it is 8-bit.
// Only where a line or a byte needs it is a transfer encoding chosen, as git send-email does
// (--transfer-encoding=auto): a line over 998 octets (RFC 5322 section 2.1.1) or a CR that is content (a
// patch to a file with CRLF line endings) makes the whole body quoted-printable (RFC 2045 section 6.7), which
// `git am` decodes back to the same bytes.
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import type { SeriesMessage } from './patch';

export const MAX_LINE_OCTETS = 998;

export interface SeriesBody {
  /** The body to send (LF line endings; the message core makes them CRLF). */
  bytes: Buffer;
  quotedPrintable: boolean;
  /** Why it is quoted-printable. */
  reason?: string;
}

/** The body's bytes as in the file (after the header's blank line). */
export function bodyBytesOf(message: SeriesMessage): Buffer {
  const { scanned } = message;
  const head = scanned.text.slice(0, scanned.bodyOffset);
  const start = scanned.decoding === 'latin1' || scanned.ascii ? head.length : Buffer.byteLength(head, 'utf8') + (scanned.bom ? 3 : 0);
  return message.bytes.subarray(start);
}

/** A file whose every line ends in CRLF was converted (an editor, autocrlf): its CRs are line endings. */
export function crlfFile(message: SeriesMessage): boolean {
  const { lf, cr, crlf } = message.scanned.lineEndings;
  return crlf > 0 && lf === 0 && cr === 0;
}

/** The lines (LF-split, CRLF line endings removed when the file uses them) of a body. */
function lines(bytes: Buffer, crlf: boolean): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, start)) {
    out.push(bytes.subarray(start, crlf && i > start && bytes[i - 1] === 13 ? i - 1 : i));
    start = i + 1;
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

export function seriesBody(message: SeriesMessage, prefix?: Buffer): SeriesBody {
  const crlf = crlfFile(message);
  const original = lines(bodyBytesOf(message), crlf);
  const all = prefix ? [...lines(prefix, false), ...original] : original;
  const long = all.findIndex((l) => l.length > MAX_LINE_OCTETS);
  const cr = all.findIndex((l) => l.includes(13));
  const joined = Buffer.concat(all.flatMap((l) => [l, Buffer.from('\n')]));
  const endsWithNewline = bodyBytesOf(message).length === 0 || bodyBytesOf(message).at(-1) === 10;
  const body = endsWithNewline ? joined : joined.subarray(0, joined.length - 1);
  if (long === -1 && cr === -1) return { bytes: body, quotedPrintable: false };
  const reason = long !== -1 ? `a line is ${all[long].length} octets, over the ${MAX_LINE_OCTETS} SMTP allows` : 'a line holds a carriage return (a file with CRLF line endings)';
  // Line by line, so a CR inside a line is encoded (=0D) rather than taken for a line break.
  const encoded = all.map((l) => qpWrap(qpEncode(l).replace(/\r/g, '=0D'), 76).replace(/\r\n/g, '\n'));
  return { bytes: Buffer.from(encoded.join('\n') + (endsWithNewline ? '\n' : ''), 'latin1'), quotedPrintable: true, reason };
}

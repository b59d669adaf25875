// Decoding RFC 2047 encoded-words (`=?UTF-8?q?=C3=81nna?=`), as git's format-patch writes a non-ASCII author
// name: the in-body From line carries the name as text, as git send-email writes it (unquote_rfc2047).
const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

export function decodeEncodedWords(value: string): string {
  // Whitespace between two adjacent encoded-words is not part of the text (RFC 2047 section 6.2).
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(ENCODED_WORD, (whole, charset: string, encoding: string, text: string) => {
    let bytes: Buffer;
    if (encoding.toLowerCase() === 'b') bytes = Buffer.from(text, 'base64');
    else {
      const qp = text.replace(/_/g, ' ');
      const out: number[] = [];
      for (let i = 0; i < qp.length; i++) {
        if (qp[i] === '=' && /^[0-9a-fA-F]{2}$/.test(qp.slice(i + 1, i + 3))) {
          out.push(parseInt(qp.slice(i + 1, i + 3), 16));
          i += 2;
        } else out.push(qp.charCodeAt(i) & 0xff);
      }
      bytes = Buffer.from(out);
    }
    try {
      // RFC 2231 language suffix (`UTF-8*en`) is not part of the charset.
      return new TextDecoder(charset.replace(/\*.*$/, '').toLowerCase(), { fatal: true }).decode(bytes);
    } catch {
      return whole;
    }
  });
}

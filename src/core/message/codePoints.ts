// Code points that make an address display differently from what is sent (issue #10): controls (C0, C1,
// NEL), space-like separators (NBSP, U+2028, U+3000, ...), invisible format characters (zero-width space
// and joiners, bidi marks, overrides and isolates, soft hyphen, BOM) and lone surrogates. RFC 6532 allows
// any UTF-8 in a local part, but RFC 6530 section 10.1 warns of exactly these look-alikes; a recipient's
// tools show such an address differently, or not at all, so Mailsmith refuses to send to it.

export interface UnsafeCodePoint {
  /** Offset (UTF-16) of the code point in the text checked. */
  index: number;
  /** `U+00A0` */
  code: string;
  /** What kind of character it is, for the message. */
  kind: string;
}

const UNSAFE = /[\p{Cc}\p{Cf}\p{Z}\p{Cs}\uFFFE\uFFFF]/gu;

/**
 * The first unsafe code point of `text`. `allowSpace` lets ASCII space and tab through (they are
 * ordinary content of a quoted string; the envelope check refuses them separately).
 */
export function firstUnsafeCodePoint(text: string, allowSpace = false): UnsafeCodePoint | undefined {
  UNSAFE.lastIndex = 0;
  for (let m = UNSAFE.exec(text); m; m = UNSAFE.exec(text)) {
    const ch = m[0];
    if (allowSpace && (ch === ' ' || ch === '\t')) continue;
    const cp = ch.codePointAt(0)!;
    return { index: m.index, code: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`, kind: kindOf(ch) };
  }
  return undefined;
}

const BREAKING = /[\p{Cc}\p{Zl}\p{Zp}]/gu;

/**
 * The first control character or line/paragraph separator (NEL, U+2028, C0 and C1 controls; not tab)
 * of a display or group name: tools that break lines there would show the rest as a field of its own.
 */
export function firstBreakingCodePoint(text: string): UnsafeCodePoint | undefined {
  BREAKING.lastIndex = 0;
  for (let m = BREAKING.exec(text); m; m = BREAKING.exec(text)) {
    if (m[0] === '\t') continue;
    return { index: m.index, code: `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`, kind: kindOf(m[0]) };
  }
  return undefined;
}

/**
 * Text from the document made safe to quote in a problem message, which the CLI prints to a terminal:
 * C0 and C1 controls, DEL and line/paragraph separators become \\xNN or \\u{NNNN} (an ESC from an
 * untrusted file must not reach the terminal as an escape sequence).
 */
export function escapeControls(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

function kindOf(ch: string): string {
  if (/\p{Cc}/u.test(ch)) return 'a control character';
  if (/\p{Zl}|\p{Zp}/u.test(ch)) return 'a line or paragraph separator';
  if (/\p{Z}/u.test(ch)) return 'a space-like character';
  if (/\p{Cs}/u.test(ch)) return 'half of a surrogate pair, not a character';
  if (/\p{Cf}/u.test(ch)) return 'an invisible formatting character';
  return 'a noncharacter';
}

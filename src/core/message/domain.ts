// Domains of addresses: RFC 5321 section 4.1.2 (letters, digits, hyphens), IDN via punycode
// (RFC 5890; node:url's domainToASCII), address literals (section 4.1.3), and the length limits of 4.5.3.1.
// The envelope must carry exactly the domain the header shows (issue #10): domainToASCII is a URL host
// parser that percent-decodes ("%2E" becomes "."), cuts at "/", maps fullwidth letters and ideographic
// full stops, and drops invisible characters, so a domain is refused unless its A-label form reads back
// as the domain written (up to letter case and Unicode normalisation, which display the same).
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { escapeControls } from './codePoints';

export interface DomainCheck {
  /** The domain in ASCII (A-labels), or the literal as written. */
  ascii: string;
  /** The domain was written with non-ASCII characters (an IDN U-label form). */
  idn: boolean;
  /** Why it cannot be used, if it cannot. */
  error?: string;
}

/** RFC 1035 section 2.3.4: 255 octets on the wire, which is 253 written without the root dot. */
export const MAX_DOMAIN_OCTETS = 253;
export const MAX_LABEL_OCTETS = 63;
export const MAX_LOCAL_PART_OCTETS = 64;
/** RFC 5321 section 4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
export const MAX_ADDRESS_OCTETS = 254;

/** ASCII that no host name holds: everything but letters, digits, "-" and ".". */
const NOT_HOST_ASCII = /[\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/;

export function checkDomain(domain: string): DomainCheck {
  const shown = escapeControls(domain);
  if (domain.length === 0) return { ascii: '', idn: false, error: 'the domain is empty' };
  if (domain.charCodeAt(0) === 91 /* [ */) return checkLiteral(domain);
  const idn = !isAscii(domain);
  let ascii = domain;
  if (idn) {
    const rewritten = idnProblem(domain, shown);
    if (rewritten) return { ascii: '', idn, error: rewritten };
    ascii = domainToASCII(domain);
  }
  if (ascii.length > MAX_DOMAIN_OCTETS) {
    return { ascii, idn, error: `the domain is longer than ${MAX_DOMAIN_OCTETS} octets (RFC 1035 section 2.3.4)` };
  }
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length === 0) return { ascii, idn, error: `"${shown}" has an empty label` };
    if (label.length > MAX_LABEL_OCTETS) {
      return { ascii, idn, error: `a label of "${shown}" is longer than ${MAX_LABEL_OCTETS} octets${idn ? ' in its ASCII (punycode) form' : ''}` };
    }
    if (!isLdhLabel(label)) {
      return {
        ascii,
        idn,
        error: `"${shown}" is not a valid host name (letters, digits and inner hyphens only, RFC 5321 section 4.1.2)`,
      };
    }
  }
  return { ascii, idn };
}

/** Why an internationalised domain cannot be sent as written, or undefined. */
function idnProblem(domain: string, shown: string): string | undefined {
  const bad = NOT_HOST_ASCII.exec(domain);
  if (bad) {
    const what = bad[0] === '%' ? '"%" (percent escapes are not decoded in a domain)' : `"${escapeControls(bad[0])}"`;
    return `"${shown}" holds ${what}, which no host name holds`;
  }
  for (const label of domain.split('.')) {
    // RFC 5891 section 4.2.3.1: no U-label starts or ends with a hyphen.
    if (label.startsWith('-') || label.endsWith('-')) return `"${shown}" has a label that starts or ends with "-"`;
  }
  const ascii = domainToASCII(domain);
  if (!ascii) return `"${shown}" is not a valid internationalised domain name`;
  const readBack = domainToUnicode(ascii);
  if (readBack !== domain.normalize('NFC').toLowerCase()) {
    return `"${shown}" would be sent as ${ascii} (that is "${readBack}"), not as the domain shown: write the domain as it should be sent`;
  }
  return undefined;
}

function checkLiteral(domain: string): DomainCheck {
  const invalid = (why: string): DomainCheck => ({
    ascii: domain,
    idn: false,
    error: `"${escapeControls(domain)}" ${why}: Mailsmith sends to IPv4 or [IPv6:...] address literals only (RFC 5321 section 4.1.3)`,
  });
  if (domain.charCodeAt(domain.length - 1) !== 93 /* ] */) return invalid('is not closed with "]"');
  const inner = domain.slice(1, -1);
  if (isIPv4(inner)) return { ascii: domain, idn: false };
  const ipv6 = /^IPv6:([0-9A-Fa-f:.]+)$/i.exec(inner);
  // node:net accepts a zone id ("fe80::1%eth0"), which names an interface of the sender's machine.
  if (ipv6 && isIPv6(ipv6[1])) return { ascii: domain, idn: false };
  if (/^IPv6:/i.test(inner) && inner.includes('%')) return invalid('holds a zone id ("%...")');
  if (/^[A-Za-z0-9-]*[A-Za-z-][A-Za-z0-9-]*:/.test(inner)) return invalid('is a general address literal, which cannot be sent to');
  return invalid('is not an IPv4 or IPv6 address');
}

function isLdhLabel(label: string): boolean {
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (alnum) continue;
    if (c === 45 /* - */ && i > 0 && i < label.length - 1) continue;
    return false;
  }
  return true;
}


export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// Domains of addresses: RFC 5321 section 4.1.2 (letters, digits, hyphens), IDN via punycode
// (RFC 5890; node:url's domainToASCII), address literals (section 4.1.3), and the length limits of 4.5.3.1.
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

export interface DomainCheck {
  /** The domain in ASCII (A-labels), or the literal as written. */
  ascii: string;
  /** The domain was written with non-ASCII characters (an IDN U-label form). */
  idn: boolean;
  /** Why it cannot be used, if it cannot. */
  error?: string;
}

export const MAX_DOMAIN_OCTETS = 255;
export const MAX_LOCAL_PART_OCTETS = 64;
/** RFC 5321 section 4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
export const MAX_ADDRESS_OCTETS = 254;

export function checkDomain(domain: string): DomainCheck {
  if (domain.length === 0) return { ascii: '', idn: false, error: 'the domain is empty' };
  if (domain.charCodeAt(0) === 91 /* [ */) return checkLiteral(domain);
  const idn = !isAscii(domain);
  let ascii = domain;
  if (idn) {
    ascii = domainToASCII(domain);
    if (!ascii) return { ascii: '', idn, error: `"${domain}" is not a valid internationalised domain name` };
  }
  if (ascii.length > 253) return { ascii, idn, error: 'the domain is longer than 253 characters' };
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length === 0) return { ascii, idn, error: `"${domain}" has an empty label` };
    if (label.length > 63) return { ascii, idn, error: `a label of "${domain}" is longer than 63 characters` };
    if (!isLdhLabel(label)) {
      return {
        ascii,
        idn,
        error: `"${domain}" is not a valid host name (letters, digits and inner hyphens only, RFC 5321 section 4.1.2)`,
      };
    }
  }
  return { ascii, idn };
}

function checkLiteral(domain: string): DomainCheck {
  if (domain.charCodeAt(domain.length - 1) !== 93 /* ] */) {
    return { ascii: domain, idn: false, error: 'the address literal is not closed with "]"' };
  }
  const inner = domain.slice(1, -1);
  if (isIPv4(inner)) return { ascii: domain, idn: false };
  if (/^IPv6:/i.test(inner) && isIPv6(inner.slice(5))) return { ascii: domain, idn: false };
  return { ascii: domain, idn: false, error: `"${domain}" is not an IPv4 or [IPv6:...] address literal` };
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

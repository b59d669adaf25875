// Issue #16: the neighbours of every rule of domain.ts, each next to the case that passes: the characters
// on both sides of each range a host name may hold, a hyphen inside a label next to one at either end,
// IPv4 and IPv6 literals next to general and malformed ones, exactly at a limit and one over.
import * as assert from 'node:assert/strict';
import { MAX_DOMAIN_OCTETS, MAX_LABEL_OCTETS, checkDomain, isAscii, utf8Length } from '../../../src/core/message/domain';

const LITERALS_ONLY = 'Mailsmith sends to IPv4 or [IPv6:...] address literals only (RFC 5321 section 4.1.3)';

describe('domains: host names (RFC 5321 section 4.1.2)', () => {
  it('accepts letters, digits and inner hyphens: both ends of every range', () => {
    for (const domain of ['a.example', 'z.example', 'A.EXAMPLE', 'Z.example', '0.example', '9.example', 'a-z.example', 'a--b.example', 'x.0-9.example']) {
      assert.deepEqual(checkDomain(domain), { ascii: domain, idn: false }, domain);
    }
  });

  it('refuses the ASCII just outside each range, and a hyphen at either end of a label', () => {
    for (const ch of ['/', ':', '@', '[', '`', '{', '!', '_', '~', '\u007f']) {
      const domain = `a${ch}b.example`;
      assert.deepEqual(
        checkDomain(domain),
        {
          ascii: domain,
          idn: false,
          error: `"${domain.replace('\u007f', '\\x7f')}" is not a valid host name (letters, digits and inner hyphens only, RFC 5321 section 4.1.2)`,
        },
        JSON.stringify(ch),
      );
    }
    for (const domain of ['-a.example', 'a-.example', '-.example', 'x.example-']) {
      assert.match(checkDomain(domain).error ?? '', /is not a valid host name/, domain);
    }
  });

  it('refuses an empty domain and an empty label', () => {
    assert.deepEqual(checkDomain(''), { ascii: '', idn: false, error: 'the domain is empty' });
    assert.deepEqual(checkDomain('a..example'), { ascii: 'a..example', idn: false, error: '"a..example" has an empty label' });
    assert.deepEqual(checkDomain('é..example'), { ascii: 'xn--9ca..example', idn: true, error: '"é..example" has an empty label' });
  });

  const labelOf = (n: number): string => 'l'.repeat(n);
  const domainOf = (n: number): string => [labelOf(63), labelOf(63), labelOf(63), labelOf(n - 3 * 64)].join('.');

  it(`a label of ${MAX_LABEL_OCTETS} octets is accepted and one of ${MAX_LABEL_OCTETS + 1} refused, with the message for each form`, () => {
    assert.equal(checkDomain(`${labelOf(63)}.example`).error, undefined);
    assert.equal(checkDomain(`${labelOf(64)}.example`).error, `a label of "${labelOf(64)}.example" is longer than 63 octets`);
    const idn = `ü${labelOf(56)}.example`; // 64 octets in punycode
    assert.equal(checkDomain(idn).error, `a label of "${idn}" is longer than 63 octets in its ASCII (punycode) form`);
  });

  it(`a domain of ${MAX_DOMAIN_OCTETS} octets is accepted and one of ${MAX_DOMAIN_OCTETS + 1} refused`, () => {
    assert.equal(domainOf(253).length, 253);
    assert.deepEqual(checkDomain(domainOf(253)), { ascii: domainOf(253), idn: false });
    assert.deepEqual(checkDomain(domainOf(254)), {
      ascii: domainOf(254),
      idn: false,
      error: 'the domain is longer than 253 octets (RFC 1035 section 2.3.4)',
    });
  });
});

describe('domains: internationalised names (RFC 5890) sent exactly as shown', () => {
  it('gives the A-label form of an IDN, and says it is one', () => {
    assert.deepEqual(checkDomain('bücher.example'), { ascii: 'xn--bcher-kva.example', idn: true });
    assert.deepEqual(checkDomain('Bücher.Example'), { ascii: 'xn--bcher-kva.example', idn: true });
  });

  it('refuses in an IDN the ASCII just outside each range a host name holds, and lets the ranges through', () => {
    for (const ch of ['\u0000', '\u001f', ' ', ',', '/', ':', '@', '[', '`', '{', '\u007f']) {
      const domain = `é${ch}x.example`;
      const shown = domain.replace(/[\u0000-\u001f\u007f]/, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
      const quoted = ch.replace(/[\u0000-\u001f\u007f]/, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
      assert.deepEqual(checkDomain(domain), { ascii: '', idn: true, error: `"${shown}" holds "${quoted}", which no host name holds` }, JSON.stringify(ch));
    }
    for (const ch of ['-', '0', '9', 'A', 'Z', 'a', 'z']) {
      assert.equal(checkDomain(`é${ch}x.example`).error, undefined, ch);
    }
  });

  it('names "%" as a percent escape that is not decoded', () => {
    assert.deepEqual(checkDomain('é%2Ex.example'), {
      ascii: '',
      idn: true,
      error: '"é%2Ex.example" holds "%" (percent escapes are not decoded in a domain), which no host name holds',
    });
  });

  it('refuses a U-label that starts or ends with "-", in any label', () => {
    for (const domain of ['-é.example', 'é-.example', 'é.-x.example', 'é.x-']) {
      assert.deepEqual(checkDomain(domain), { ascii: '', idn: true, error: `"${domain}" has a label that starts or ends with "-"` }, domain);
    }
    assert.equal(checkDomain('é-x.example').error, undefined);
  });

  it('refuses what node:url cannot convert (a broken A-label next to a U-label)', () => {
    assert.deepEqual(checkDomain('é.xn--a.example'), { ascii: '', idn: true, error: '"é.xn--a.example" is not a valid internationalised domain name' });
  });

  it('refuses a domain node:url would rewrite, saying what would be sent', () => {
    assert.deepEqual(checkDomain('ｅｘａｍｐｌｅ.é'), {
      ascii: '',
      idn: true,
      error: '"ｅｘａｍｐｌｅ.é" would be sent as example.xn--9ca (that is "example.é"), not as the domain shown: write the domain as it should be sent',
    });
  });
});

describe('domains: address literals (RFC 5321 section 4.1.3)', () => {
  const accepted = ['[192.0.2.1]', '[IPv6:2001:db8::1]', '[ipv6:2001:DB8::1]', '[IPv6:::ffff:192.0.2.1]'];
  for (const literal of accepted) {
    it(`accepts ${literal} as written`, () => assert.deepEqual(checkDomain(literal), { ascii: literal, idn: false }));
  }

  const refused: Array<[string, string]> = [
    ['[192.0.2.1', 'is not closed with "]"'],
    ['[192.0.2.1]x', 'is not closed with "]"'],
    ['[192.0.2.256]', 'is not an IPv4 or IPv6 address'],
    ['[2001:db8::1]', 'is not an IPv4 or IPv6 address'],
    ['[ 192.0.2.1]', 'is not an IPv4 or IPv6 address'],
    ['[IPv6:fe80::1%eth0]', 'holds a zone id ("%...")'],
    ['[ipv6:fe80::1%1]', 'holds a zone id ("%...")'],
    ['[IPv6:1::2::3]', 'is a general address literal, which cannot be sent to'],
    ['[IPv6:2001:db8::1 ]', 'is a general address literal, which cannot be sent to'],
    ['[xIPv6:2001:db8::1]', 'is a general address literal, which cannot be sent to'],
    ['[x400:c=us]', 'is a general address literal, which cannot be sent to'],
    ['[-:x]', 'is a general address literal, which cannot be sent to'],
    ['[42:x]', 'is not an IPv4 or IPv6 address'],
    ['[1.2.3.4%x]', 'is not an IPv4 or IPv6 address'],
  ];
  for (const [literal, why] of refused) {
    it(`refuses ${JSON.stringify(literal)}: ${why}`, () => {
      assert.deepEqual(checkDomain(literal), { ascii: literal, idn: false, error: `"${literal}" ${why}: ${LITERALS_ONLY}` });
    });
  }

  it('escapes control characters of a literal in the message', () => {
    assert.equal(checkDomain('[1\u001b]').error, `"[1\\x1b]" is not an IPv4 or IPv6 address: ${LITERALS_ONLY}`);
  });
});

describe('domains: ASCII and octets', () => {
  it('counts U+007F as ASCII and U+0080 as not', () => {
    assert.equal(isAscii(''), true);
    assert.equal(isAscii('abc\u007f'), true);
    assert.equal(isAscii('abc\u0080'), false);
    assert.equal(isAscii('\u0080abc'), false);
  });

  it('counts UTF-8 octets', () => {
    assert.deepEqual(['a', 'é', '€', '😀'].map(utf8Length), [1, 2, 3, 4]);
  });
});

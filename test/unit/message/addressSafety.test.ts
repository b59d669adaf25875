// Issue #10 item 9 ("what the parser lets through") and issue #16 (limits tested exactly at the limit):
// the envelope carries exactly the address the header shows, or the message is refused.
import * as assert from 'node:assert/strict';
import { codes, deriveEnvelope, parseAddressList, prepareMessage, scanMessage, validateMessage } from '../../../src/core/message';
import { checkDomain } from '../../../src/core/message/domain';
import { message } from './helpers';

const errorsOf = (list: string): string[] =>
  parseAddressList(list)
    .issues.filter((i) => i.severity === 'error')
    .map((i) => i.message);

/** The recipients prepare would send to, or undefined when it refuses; check must agree. */
function rcptOf(to: string): string[] | undefined {
  const doc = message({ To: to });
  const prepared = prepareMessage(doc);
  const checkFails = validateMessage(doc).some((p) => p.severity === 'error');
  assert.equal(checkFails, !prepared.ok, `check and prepare disagree on ${JSON.stringify(to)}`);
  return prepared.ok ? prepared.message.envelope.to : undefined;
}

describe('domains: the envelope carries exactly the domain the header shows', () => {
  it('refuses %XX in a domain instead of decoding it (node:url domainToASCII would)', () => {
    const to = 'u@bank.example%2Eattacker.é';
    assert.ok(errorsOf(to).some((m) => /"%"/.test(m)), errorsOf(to).join('; '));
    assert.equal(rcptOf(to), undefined);
    const envelope = deriveEnvelope(scanMessage(message({ To: to })));
    assert.doesNotMatch(JSON.stringify(envelope), /attacker\.xn--9ca/);
  });

  const rewritten: Array<[string, string]> = [
    ['a@ｅｘａｍｐｌｅ.com', 'fullwidth letters (mapped to example.com)'],
    ['a@é。com', 'an ideographic full stop (mapped to ".")'],
    ['a@bank\u00ADexample.é', 'a soft hyphen (dropped)'],
    ['a@ba\u200Bnk.é', 'a zero-width space (dropped)'],
    ['a@Ⅸ.é', 'a Roman numeral (mapped to "ix")'],
    ['a@é/evil.example', 'a "/" (URL parsing cuts the host there)'],
    ['a@é%2fx.example', 'a percent escape'],
    ['a@-é.example', 'a label that starts with "-"'],
    ['a@é-.example', 'a label that ends with "-"'],
  ];
  for (const [to, why] of rewritten) {
    it(`refuses a domain with ${why}`, () => {
      assert.ok(errorsOf(to).length > 0, `no error for ${to}`);
      assert.equal(rcptOf(to), undefined);
    });
  }

  const kept: Array<[string, string]> = [
    ['info@bücher.de', 'info@xn--bcher-kva.de'],
    ['info@BÜCHER.de', 'info@xn--bcher-kva.de'],
    ['info@bu\u0308cher.de', 'info@xn--bcher-kva.de'], // NFD: displays the same as NFC
    ['info@faß.de', 'info@xn--fa-hia.de'], // IDNA2008: ß is kept, not mapped to "ss"
    ['info@例子.广告', 'info@xn--fsqu00a.xn--4rr70v'],
  ];
  for (const [to, rcpt] of kept) {
    it(`sends ${to} as ${rcpt}`, () => assert.deepEqual(rcptOf(to), [rcpt]));
  }
});

describe('local parts: no code point that displays differently from what is sent', () => {
  const unsafe: Array<[string, string]> = [
    ['\u00A0', 'NO-BREAK SPACE'],
    ['\u2028', 'LINE SEPARATOR'],
    ['\u2029', 'PARAGRAPH SEPARATOR'],
    ['\u0085', 'NEXT LINE (NEL)'],
    ['\u009B', 'a C1 control (CSI)'],
    ['\u0080', 'a C1 control'],
    ['\u202E', 'RIGHT-TO-LEFT OVERRIDE'],
    ['\u2066', 'LEFT-TO-RIGHT ISOLATE'],
    ['\u200E', 'LEFT-TO-RIGHT MARK'],
    ['\u200B', 'ZERO WIDTH SPACE'],
    ['\u200D', 'ZERO WIDTH JOINER'],
    ['\uFEFF', 'ZERO WIDTH NO-BREAK SPACE (BOM)'],
    ['\u00AD', 'SOFT HYPHEN'],
    ['\u3000', 'IDEOGRAPHIC SPACE'],
    ['\u1680', 'OGHAM SPACE MARK'],
    ['\uD800', 'a lone surrogate'],
  ];
  for (const [ch, name] of unsafe) {
    const code = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    it(`refuses ${name} (${code}) in a dot-atom and in a quoted local part`, () => {
      for (const to of [`ab${ch}cd@x.example`, `"ab${ch}cd"@x.example`, `Name <ab${ch}cd@x.example>`]) {
        const errors = errorsOf(to);
        assert.ok(errors.some((m) => m.includes(code)), `${JSON.stringify(to)}: ${errors.join('; ') || 'no error'}`);
        assert.equal(rcptOf(to), undefined, JSON.stringify(to));
      }
    });
  }

  it('accepts letters of any script and emoji (SMTPUTF8)', () => {
    for (const to of ['jörg@x.example', '用户@x.example', 'δοκιμή@x.example', 'θ😀@x.example']) {
      assert.deepEqual(errorsOf(to), [], to);
      assert.deepEqual(rcptOf(to), [to]);
    }
  });
});

describe('address literals', () => {
  it('refuses an IPv6 zone id', () => {
    assert.ok(errorsOf('a@[IPv6:fe80::1%eth0]').length > 0);
    assert.equal(rcptOf('a@[IPv6:fe80::1%eth0]'), undefined);
  });

  it('accepts IPv4, IPv6 and IPv4-mapped IPv6 literals as written', () => {
    for (const to of ['a@[192.0.2.1]', 'a@[IPv6:fe80::1]', 'a@[IPv6:2001:db8:0:0:0:0:0:1]', 'a@[IPv6:::ffff:192.0.2.1]']) {
      assert.deepEqual(rcptOf(to), [to]);
    }
  });

  it('refuses general address literals and malformed ones, saying which kinds can be sent', () => {
    for (const to of ['a@[x400:c=us]', 'a@[::1]', 'a@[192.0.2.256]', 'a@[IPv6:1:2:3:4:5:6:7]', 'a@[IPv6:1::2::3]', 'a@[ 192.0.2.1 ]']) {
      const errors = errorsOf(to);
      assert.ok(errors.some((m) => /IPv4 or \[IPv6:/.test(m)), `${to}: ${errors.join('; ')}`);
    }
  });
});

describe('duplicate recipients', () => {
  it('counts "a"@x and a@x as one mailbox (one RCPT TO)', () => {
    assert.deepEqual(rcptOf('"a"@x.example, a@x.example'), ['a@x.example']);
    assert.deepEqual(rcptOf('a@x.example, "a"@X.EXAMPLE'), ['a@x.example']);
    assert.deepEqual(rcptOf('"a\\b"@x.example, ab@x.example'), ['ab@x.example']);
    assert.deepEqual(rcptOf('info@bücher.de, info@xn--bcher-kva.de'), ['info@xn--bcher-kva.de']);
  });

  it('keeps local parts that differ in case apart (RFC 5321 section 2.4)', () => {
    assert.deepEqual(rcptOf('A@x.example, a@x.example'), ['A@x.example', 'a@x.example']);
  });

  it('dedupes across To, Cc and Bcc', () => {
    const prepared = prepareMessage(message({ To: '"a"@x.example', Cc: 'a@x.example', Bcc: '(hidden) a @ x.example' }));
    assert.ok(prepared.ok, JSON.stringify(prepared.problems));
    assert.deepEqual(prepared.message.envelope.to, ['a@x.example']);
  });
});

describe('length limits, exactly at the limit and one over, in octets (RFC 5321 section 4.5.3.1)', () => {
  const label = (n: number): string => 'l'.repeat(n);
  /** A domain of exactly `n` octets made of labels of at most 63. */
  const domainOf = (n: number): string => {
    const labels: string[] = [];
    let left = n;
    while (left > 63) {
      const take = Math.min(63, left - 2);
      labels.push(label(take));
      left -= take + 1;
    }
    labels.push(label(left));
    const domain = labels.join('.');
    assert.equal(domain.length, n);
    return domain;
  };

  it('local part: 64 octets are sent, 65 are refused', () => {
    assert.deepEqual(rcptOf(`${'a'.repeat(64)}@x.example`), [`${'a'.repeat(64)}@x.example`]);
    assert.equal(rcptOf(`${'a'.repeat(65)}@x.example`), undefined);
  });

  it('local part: counted in UTF-8 octets, not characters', () => {
    assert.deepEqual(rcptOf(`${'é'.repeat(32)}@x.example`), [`${'é'.repeat(32)}@x.example`]); // 64 octets
    assert.equal(rcptOf(`${'é'.repeat(33)}@x.example`), undefined); // 66 octets
    const sixtyFourCharacters = `${'a'.repeat(63)}é`; // 64 characters, 65 octets
    assert.equal(rcptOf(`${sixtyFourCharacters}@x.example`), undefined);
    assert.ok(errorsOf(`${sixtyFourCharacters}@x.example`).some((m) => /64 octets/.test(m)));
  });

  it('local part: a quoted local part counts as sent (quotes included when it stays quoted)', () => {
    // Unquoted for the envelope, so the quotes do not count: 64 octets sent.
    assert.deepEqual(rcptOf(`"${'a'.repeat(64)}"@x.example`), [`${'a'.repeat(64)}@x.example`]);
    // Stays quoted ("a..b" is not a dot-atom): 64 octets with its quotes is the limit.
    const quoted = (n: number): string => `"a..${'b'.repeat(n - 5)}"`;
    assert.equal(quoted(64).length, 64);
    assert.deepEqual(rcptOf(`${quoted(64)}@x.example`), [`${quoted(64)}@x.example`]);
    assert.equal(rcptOf(`${quoted(65)}@x.example`), undefined);
  });

  it('address: 254 octets are sent, 255 are refused', () => {
    const at254 = `${'a'.repeat(64)}@${domainOf(189)}`;
    assert.equal(at254.length, 254);
    assert.deepEqual(rcptOf(at254), [at254]);
    const at255 = `${'a'.repeat(64)}@${domainOf(190)}`;
    assert.equal(rcptOf(at255), undefined);
    assert.ok(errorsOf(at255).some((m) => /254 octets/.test(m)));
  });

  it('address: the limit applies to the ASCII (punycode) form that goes into RCPT TO', () => {
    // "ü.example" is 10 octets as written, but xn--tda.example is 15 in the envelope.
    const local = 'a'.repeat(64);
    const rest = domainOf(254 - 65 - 16); // leaves room for ".xn--tda.example"
    const fits = `${local}@${rest}.ü.example`; // 254 octets once converted
    assert.deepEqual(rcptOf(fits), [`${local}@${rest}.xn--tda.example`]);
    assert.equal(rcptOf(`${local}@${rest}l.ü.example`), undefined);
  });

  it('domain: 253 octets are accepted, 254 refused (RFC 1035; RFC 5321 section 4.5.3.1.2 allows 255 on the wire)', () => {
    assert.equal(checkDomain(domainOf(253)).error, undefined);
    assert.match(checkDomain(domainOf(254)).error ?? '', /253 octets/);
  });

  it('label: 63 octets are accepted, 64 refused, also for the punycode form of an IDN label', () => {
    assert.deepEqual(rcptOf(`a@${label(63)}.example`), [`a@${label(63)}.example`]);
    assert.equal(rcptOf(`a@${label(64)}.example`), undefined);
    assert.ok(errorsOf(`a@${label(64)}.example`).some((m) => /63 octets/.test(m)));
    // "ü" + n ASCII letters becomes "xn--" + n letters + "-" + 3 characters: n + 8 octets.
    const idnLabel = (n: number): string => `ü${'l'.repeat(n)}`;
    assert.equal(checkDomain(`${idnLabel(55)}.example`).ascii.split('.')[0].length, 63);
    assert.equal(checkDomain(`${idnLabel(55)}.example`).error, undefined);
    assert.match(checkDomain(`${idnLabel(56)}.example`).error ?? '', /63 octets/);
  });

  it('line: a header line of 998 octets is fine, 999 is an error (counted in octets)', () => {
    const fill = (octets: number): string => 'é'.repeat(Math.floor(octets / 2)) + (octets % 2 ? 'x' : '');
    const subjectLine = (octets: number): string => fill(octets - 'Subject: '.length);
    const at = validateMessage(message({ Subject: subjectLine(998) }));
    assert.ok(!at.some((p) => p.code === codes.LINE_TOO_LONG));
    const over = validateMessage(message({ Subject: subjectLine(999) }));
    assert.ok(over.some((p) => p.code === codes.LINE_TOO_LONG));
  });
});

describe('problem messages quote the document safely', () => {
  it('never carry a control character from an address field (the CLI prints them to terminals)', () => {
    const hostile = ['\u001b[31m', '\u009b31m', '\r', '\u0085', '\u2028', '\u0007'];
    for (const ch of hostile) {
      for (const to of [`x${ch}y z`, `a${ch}b@x.example`, `"a${ch}b"@x.example`, `a@x${ch}.é`, `Name${ch} <a@x.example>`, `G${ch}: a@x.example;`, `a@[1${ch}]`, `x${ch}: y`]) {
        for (const p of validateMessage(message({ To: to }))) {
          assert.doesNotMatch(p.message, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/, `${JSON.stringify(to)}: ${p.code} ${JSON.stringify(p.message)}`);
        }
      }
    }
  });
});

import * as assert from 'node:assert/strict';
import { codes, parseAddressList } from '../../../src/core/message';

const addressesOf = (text: string): string[] => parseAddressList(text).mailboxes.map((m) => m.address);
const errorsOf = (text: string): string[] =>
  parseAddressList(text)
    .issues.filter((i) => i.severity === 'error')
    .map((i) => i.message);

describe('address lists (RFC 5322 section 3.4)', () => {
  it('reads addr-specs, display names, quoted names and comments', () => {
    const r = parseAddressList('a@example.com, "Smith, John" <john@example.com> (work), Jane Doe <jane@example.org>');
    assert.deepEqual(
      r.mailboxes.map((m) => [m.displayName, m.address]),
      [
        [undefined, 'a@example.com'],
        ['Smith, John', 'john@example.com'],
        ['Jane Doe', 'jane@example.org'],
      ],
    );
    assert.deepEqual(r.issues, []);
  });

  it('gives each mailbox its offsets, shifted by the offset argument', () => {
    const r = parseAddressList(' a@x.example, Bob <b@y.example>', 100);
    assert.deepEqual(
      r.mailboxes.map((m) => [m.start, m.end]),
      [
        [101, 112],
        [114, 131],
      ],
    );
  });

  it('expands groups and accepts the empty group', () => {
    const r = parseAddressList('Team: a@example.com, b@example.com;, c@example.com, undisclosed-recipients:;');
    assert.deepEqual(addressesOf('Team: a@example.com, b@example.com;, c@example.com'), ['a@example.com', 'b@example.com', 'c@example.com']);
    assert.deepEqual(
      r.groups.map((g) => [g.name, g.members.length]),
      [
        ['Team', 2],
        ['undisclosed-recipients', 0],
      ],
    );
    assert.equal(r.mailboxes[0].group, 'Team');
    assert.deepEqual(r.issues, []);
  });

  it('accepts quoted local parts, address literals and folding', () => {
    assert.deepEqual(addressesOf('"john doe"@example.com,\r\n user@[192.0.2.1], x@[IPv6:2001:db8::1]'), [
      '"john doe"@example.com',
      'user@[192.0.2.1]',
      'x@[IPv6:2001:db8::1]',
    ]);
  });

  it('recognises IDN domains (punycode) and UTF-8 local parts (SMTPUTF8)', () => {
    const [idn, utf8] = parseAddressList('info@bücher.de, jörg@example.org').mailboxes;
    assert.equal(idn.asciiDomain, 'xn--bcher-kva.de');
    assert.equal(idn.envelopeAddress, 'info@xn--bcher-kva.de');
    assert.equal(idn.idn, true);
    assert.equal(idn.needsSmtpUtf8, false);
    assert.equal(utf8.needsSmtpUtf8, true);
  });

  it('accepts ";" as a separator with a warning and the positions to fix', () => {
    const r = parseAddressList('a@example.com; b@example.com;c@example.com');
    assert.deepEqual(addressesOf('a@example.com; b@example.com;c@example.com'), ['a@example.com', 'b@example.com', 'c@example.com']);
    assert.deepEqual(r.semicolonSeparators, [13, 28]);
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.severity]),
      [[codes.ADDRESS_SEMICOLON, 'warning']],
    );
  });

  const bad: Array<[string, RegExp]> = [
    ['bob', /no "@"/],
    ['a@@example.com', /more than one "@"/],
    ['a@', /no domain/],
    ['@example.com', /nothing before "@"/],
    ['a..b@example.com', /two dots/],
    ['.a@example.com', /starts with "."/],
    ['a.@example.com', /ends with "."/],
    ['a b@example.com', /spaces/],
    ['John john@example.com', /spaces/],
    ['<a@example.com', /closing ">"/],
    ['a@example.com>', /no "<"/],
    ['Bob <a@example.com> x', /text after ">"/],
    ['a@-example.com', /host name/],
    ['a@exa_mple.com', /host name/],
    ['a@[300.1.1.1]', /address literal/],
    ['"unterminated@example.com', /never closed/],
    ['(comment a@example.com', /never closed/],
    ['Team: a@example.com', /not closed with ";"/],
    ['a@example.com>\r\nRCPT TO:<evil@example.net', /./],
    ['x'.repeat(65) + '@example.com', /longer than 64/],
    ['a@' + 'b'.repeat(64) + '.com', /longer than 63/],
    ['<>', /empty angle/],
    ['J. R. "Bob" [x] <a@example.com>', /special characters/],
  ];
  for (const [text, message] of bad) {
    it(`refuses ${JSON.stringify(text.length > 40 ? text.slice(0, 40) + '...' : text)}`, () => {
      const errors = errorsOf(text);
      assert.ok(errors.length > 0, 'an error');
      assert.ok(errors.some((e) => message.test(e)), errors.join('; '));
    });
  }

  it('never turns an injected CRLF line into another recipient', () => {
    const r = parseAddressList('a@example.com>\r\nRCPT TO:<evil@example.net>');
    assert.ok(!r.mailboxes.some((m) => m.address.includes('evil')));
  });

  it('points at the exact bad address', () => {
    const text = 'good@example.com, bad@@example.com, ok@example.com';
    const [issue] = parseAddressList(text).issues;
    assert.equal(text.slice(issue.start, issue.end), 'bad@@example.com');
  });
});

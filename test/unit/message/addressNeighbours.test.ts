// Issue #16: the neighbours of every rule of the address parser (addresses.ts), each next to the case
// that passes: a tab next to a space, a bare CR and a non-folding LF next to a fold, an escaped ")" next
// to a closing one, a quoted "@" next to a real one, exactly at a limit and one over. Each problem is
// pinned whole (code, severity, the text it points at, the message, the mended text of its repair),
// and every case is parsed again at an offset: everything moves by exactly that offset.
import * as assert from 'node:assert/strict';
import { codes, parseAddressList, validateMessage } from '../../../src/core/message';
import { fixAllEdits } from '../../../src/core/message/rules/fixAll';
import { MAX_PROBLEMS_PER_FIELD } from '../../../src/core/message/problemCap';
import type { AddressListResult } from '../../../src/core/message/types';
import { countWorkOf } from '../../../src/core/probe';
import { applyFix, message } from './helpers';
import { prng } from './prng';

/** Each problem as `code severity [the text it points at] message`, with ` => mended text` when it offers a repair. */
function problemsOf(text: string): string[] {
  return parseAddressList(text).issues.map((i) => {
    let line = `${i.code} ${i.severity} [${text.slice(i.start, i.end)}] ${i.message}`;
    if (i.repair) {
      let mended = text;
      for (const edit of [...i.repair.edits].sort((a, b) => b.start - a.start)) mended = mended.slice(0, edit.start) + edit.newText + mended.slice(edit.end);
      line += ` => ${i.repair.kind}${i.repair.part ? ` (${i.repair.part})` : ''}: ${mended}`;
    }
    return line;
  });
}

/** Each mailbox with the text it was read from. */
function mailboxesOf(text: string): Array<Record<string, unknown>> {
  return parseAddressList(text).mailboxes.map(({ start, end, ...rest }) => ({ ...rest, text: text.slice(start, end) }));
}

const SYNTAX = codes.ADDRESS_SYNTAX;
const EMPTY = codes.ADDRESS_EMPTY_ENTRY;

/** Every case of this file, parsed again at an offset below. */
const ALL_TEXTS: string[] = [];

describe('address parser: white space, folding and line breaks', () => {
  const clean: Array<[string, string[]]> = [
    ['a@x.example,\tb@y.example', ['a@x.example', 'b@y.example']],
    ['\ta@x.example\t', ['a@x.example']],
    ['a@x.example,\r\n b@y.example', ['a@x.example', 'b@y.example']],
    ['a@x.example,\r\n\tb@y.example', ['a@x.example', 'b@y.example']],
    ['a@x.example,\n b@y.example', ['a@x.example', 'b@y.example']],
    ['a@x.example\r\n', ['a@x.example']],
    ['a@x.example\n', ['a@x.example']],
    ['a@x.example (a (nested) comment) , b@y.example', ['a@x.example', 'b@y.example']],
    ['a@x.example (a \\) is not the end), b@y.example', ['a@x.example', 'b@y.example']],
    ['(one)(two)a@x.example', ['a@x.example']],
  ];
  for (const [text, addresses] of clean) {
    ALL_TEXTS.push(text);
    it(`reads ${JSON.stringify(text)} with no problem`, () => {
      const result = parseAddressList(text);
      assert.deepEqual(result.issues, []);
      assert.deepEqual(
        result.mailboxes.map((m) => m.address),
        addresses,
      );
    });
  }

  const refused: Array<[string, string[]]> = [
    [
      'a@x.example,\r b@y.example',
      [`${SYNTAX} error [\r] a bare CR (carriage return without line feed) in an address list: it is no line break and no separator`],
    ],
    ['a@x.example\r', [`${SYNTAX} error [\r] a bare CR (carriage return without line feed) in an address list: it is no line break and no separator`]],
    ['a@x.example,\r\nb@y.example', [`${SYNTAX} error [\r] a bare CR (carriage return without line feed) in an address list: it is no line break and no separator`]],
    ['a@x.example,\nb@y.example', [`${SYNTAX} error [\n] a line break that does not fold (a continued line must start with white space)`]],
    ['a@x.example,\n\nb@y.example', [`${SYNTAX} error [\n] a line break that does not fold (a continued line must start with white space)`]],
    ['a@x.example (never closed', [`${SYNTAX} error [(never closed] a comment "(" is never closed`]],
    ['a@x.example (a (nested) one', [`${SYNTAX} error [(a (nested) one] a comment "(" is never closed`]],
    ['a@x.example (ends in \\)', [`${SYNTAX} error [(ends in \\)] a comment "(" is never closed`]],
    ['a\\b@x.example', [`${SYNTAX} error [\\] unexpected character "\\" in an address`]],
    ['a)b@x.example', [`${SYNTAX} error [)] unexpected character ")" in an address`]],
    ['a\u0001b@x.example', [`${SYNTAX} error [\u0001] unexpected character "\\x01" in an address`]],
    // DEL (0x7F) is no atext: the table stops just below it.
    ['a\u007fb@x.example', [`${SYNTAX} error [\u007f] unexpected character "\\x7f" in an address`]],
    ['a@x.example, c d', [`${SYNTAX} error [c d] "c d" is not an address (no "@")`]],
  ];
  for (const [text, problems] of refused) {
    ALL_TEXTS.push(text);
    it(`refuses ${JSON.stringify(text)}: ${problems.length} problem(s), each pinned`, () => {
      assert.deepEqual(problemsOf(text), problems);
      assert.ok(!parseAddressList(text).mailboxes.some((m) => m.address.startsWith('b@')), 'nothing after the bad line break becomes a recipient');
    });
  }
});

describe('address parser: quoted strings', () => {
  const read: Array<[string, Record<string, unknown>]> = [
    [
      '"john\r\n doe"@x.example',
      { localPart: '"john doe"', address: '"john doe"@x.example', envelopeAddress: '"john doe"@x.example', text: '"john\r\n doe"@x.example' },
    ],
    ['"john.doe"@x.example', { localPart: '"john.doe"', address: '"john.doe"@x.example', envelopeAddress: 'john.doe@x.example', text: '"john.doe"@x.example' }],
    ['"jörg"@x.example', { localPart: '"jörg"', address: '"jörg"@x.example', envelopeAddress: 'jörg@x.example', needsSmtpUtf8: true, text: '"jörg"@x.example' }],
    // Not dot-atoms: they stay quoted in the envelope.
    ['"john..doe"@x.example', { localPart: '"john..doe"', address: '"john..doe"@x.example', envelopeAddress: '"john..doe"@x.example', text: '"john..doe"@x.example' }],
    ['".john"@x.example', { localPart: '".john"', address: '".john"@x.example', envelopeAddress: '".john"@x.example', text: '".john"@x.example' }],
    ['"john."@x.example', { localPart: '"john."', address: '"john."@x.example', envelopeAddress: '"john."@x.example', text: '"john."@x.example' }],
    ['"a b"@x.example', { localPart: '"a b"', address: '"a b"@x.example', envelopeAddress: '"a b"@x.example', text: '"a b"@x.example' }],
    ['""@x.example', { localPart: '""', address: '""@x.example', envelopeAddress: '""@x.example', text: '""@x.example' }],
    // Quoted-pairs: unescaped when read, escaped again when written.
    [String.raw`"a\"b"@x.example`, { localPart: String.raw`"a\"b"`, address: String.raw`"a\"b"@x.example`, envelopeAddress: String.raw`"a\"b"@x.example`, text: String.raw`"a\"b"@x.example` }],
    [String.raw`"a\\b"@x.example`, { localPart: String.raw`"a\\b"`, address: String.raw`"a\\b"@x.example`, envelopeAddress: String.raw`"a\\b"@x.example`, text: String.raw`"a\\b"@x.example` }],
    [String.raw`"a\b"@x.example`, { localPart: '"ab"', address: '"ab"@x.example', envelopeAddress: 'ab@x.example', text: String.raw`"a\b"@x.example` }],
    // Specials inside quotes are text: no second "@", no separator, no angle bracket.
    ['"a@b,<c>;:."@x.example', { localPart: '"a@b,<c>;:."', address: '"a@b,<c>;:."@x.example', envelopeAddress: '"a@b,<c>;:."@x.example', text: '"a@b,<c>;:."@x.example' }],
  ];
  for (const [text, expected] of read) {
    ALL_TEXTS.push(text);
    it(`reads ${JSON.stringify(text)}`, () => {
      const result = parseAddressList(text);
      assert.deepEqual(result.issues, []);
      assert.deepEqual(mailboxesOf(text), [
        { displayName: undefined, domain: 'x.example', asciiDomain: 'x.example', needsSmtpUtf8: false, idn: false, ...expected },
      ]);
    });
  }

  it('reads a display name made of specials in quotes, and one with a quoted-pair', () => {
    for (const [text, name] of [
      ['"<a@b>, c;" <a@x.example>', '<a@b>, c;'],
      [String.raw`"say \"hi\"" <a@x.example>`, 'say "hi"'],
    ]) {
      ALL_TEXTS.push(text);
      assert.deepEqual(problemsOf(text), []);
      assert.deepEqual(
        parseAddressList(text).mailboxes.map((m) => [m.displayName, m.address, text.slice(m.start, m.end)]),
        [[name, 'a@x.example', text]],
      );
    }
  });

  const refused: Array<[string, string[]]> = [
    ['"a\rb"@x.example', [`${SYNTAX} error [\r] a bare CR (carriage return without line feed) in an address list: it is no line break and no separator`]],
    ['"a\nb"@x.example', [`${SYNTAX} error [\n] a line break that does not fold (a continued line must start with white space)`]],
    // The first of two bad line breaks is the one shown.
    ['"a\rb\nc"@x.example', [`${SYNTAX} error [\r] a bare CR (carriage return without line feed) in an address list: it is no line break and no separator`]],
    ['"a\r\nb"@x.example', [`${SYNTAX} error [\r] a bare CR (carriage return without line feed) in an address list: it is no line break and no separator`]],
    ['"never closed@x.example', [`${SYNTAX} error ["never closed@x.example] a quoted string is never closed`, `${SYNTAX} error ["never closed@x.example] ""never closed@x.example"" is not an address (no "@")`]],
    ['"ends in \\"', [`${SYNTAX} error ["ends in \\"] a quoted string is never closed`, `${SYNTAX} error ["ends in \\"] ""ends in """ is not an address (no "@")`]],
    ['"a\u0001b"@x.example', [`${SYNTAX} error ["a\u0001b"] the local part holds U+0001 (a control character), which displays differently from what would be sent: remove it`]],
    ['"a\tb"@x.example, "a b"@y.example', []],
  ];
  for (const [text, problems] of refused) {
    ALL_TEXTS.push(text);
    it(`${problems.length ? 'refuses' : 'reads'} ${JSON.stringify(text)}`, () => assert.deepEqual(problemsOf(text), problems));
  }
});

describe('address parser: address literals', () => {
  const cases: Array<[string, string[]]> = [
    ['a@[192.0.2.1]', []],
    ['a@[192.0.2.1', [`${SYNTAX} error [[192.0.2.1] "[192.0.2.1" is not closed with "]": Mailsmith sends to IPv4 or [IPv6:...] address literals only (RFC 5321 section 4.1.3)`]],
    [
      'a@[192.0.2.1].example',
      [`${SYNTAX} error [[192.0.2.1].example] the domain holds "[192.0.2.1]" where only letters, digits and !#$%&'*+-/=?^_\`{|}~ may be`],
    ],
    ['a@x.[y]', [`${SYNTAX} error [x.[y]] the domain holds "[y]" where only letters, digits and !#$%&'*+-/=?^_\`{|}~ may be`]],
    ['a[b]@x.example', [`${SYNTAX} error [a[b]] the local part holds "[b]" (special characters need a quoted local part)`]],
    ['"a".b@x.example', [`${SYNTAX} error ["a".b] the local part mixes a quoted string with other text (obsolete syntax, RFC 5322 section 4.4): put the whole local part in quotes`]],
  ];
  for (const [text, problems] of cases) {
    ALL_TEXTS.push(text);
    it(`${problems.length ? 'refuses' : 'reads'} ${JSON.stringify(text)}`, () => assert.deepEqual(problemsOf(text), problems));
  }

  it('keeps a literal as written in every field of the mailbox', () => {
    assert.deepEqual(mailboxesOf(' a@[192.0.2.1] '), [
      {
        displayName: undefined,
        address: 'a@[192.0.2.1]',
        localPart: 'a',
        domain: '[192.0.2.1]',
        asciiDomain: '[192.0.2.1]',
        envelopeAddress: 'a@[192.0.2.1]',
        needsSmtpUtf8: false,
        idn: false,
        text: 'a@[192.0.2.1]',
      },
    ]);
  });
});

describe('address parser: mailboxes and their fields', () => {
  it('gives every field of a named mailbox, an IDN one and a UTF-8 one', () => {
    const text = 'Ann <ann@x.example>, info@bücher.example, jörg@y.example';
    ALL_TEXTS.push(text);
    assert.deepEqual(mailboxesOf(text), [
      {
        displayName: 'Ann',
        address: 'ann@x.example',
        localPart: 'ann',
        domain: 'x.example',
        asciiDomain: 'x.example',
        envelopeAddress: 'ann@x.example',
        needsSmtpUtf8: false,
        idn: false,
        text: 'Ann <ann@x.example>',
      },
      {
        displayName: undefined,
        address: 'info@bücher.example',
        localPart: 'info',
        domain: 'bücher.example',
        asciiDomain: 'xn--bcher-kva.example',
        envelopeAddress: 'info@xn--bcher-kva.example',
        needsSmtpUtf8: false,
        idn: true,
        text: 'info@bücher.example',
      },
      {
        displayName: undefined,
        address: 'jörg@y.example',
        localPart: 'jörg',
        domain: 'y.example',
        asciiDomain: 'y.example',
        envelopeAddress: 'jörg@y.example',
        needsSmtpUtf8: true,
        idn: false,
        text: 'jörg@y.example',
      },
    ]);
  });

  const names: Array<[string, string]> = [
    ['J. R. Smith <a@x.example>', 'J. R. Smith'],
    ['Smith Jr. <a@x.example>', 'Smith Jr.'],
    ['"Smith, John" Jr. <a@x.example>', 'Smith, John Jr.'],
    ['  Ann   (the boss)  Lee <a@x.example>', 'Ann Lee'],
    ['"" <a@x.example>', ''],
    // The words of a quoted name are kept as written, dots and spaces included.
    ['"Mr . Smith" <a@x.example>', 'Mr . Smith'],
    ['"Version 2 ." <a@x.example>', 'Version 2 .'],
  ];
  for (const [text, name] of names) {
    ALL_TEXTS.push(text);
    it(`reads the display name of ${JSON.stringify(text)} as ${JSON.stringify(name)}`, () => {
      assert.deepEqual(problemsOf(text), []);
      assert.deepEqual(
        parseAddressList(text).mailboxes.map((m) => m.displayName),
        [name],
      );
    });
  }

  const refused: Array<[string, string[]]> = [
    ['Bob <bob>', [`${SYNTAX} error [bob] the address has no "@"`]],
    ['Bob <@x.example>', [`${SYNTAX} error [@x.example] a source route ("@host:" before the address) is obsolete syntax (RFC 5322 section 4.4) and is not sent: remove it`]],
    [
      '<@a.example:b@x.example>',
      [`${SYNTAX} error [@a.example:b@x.example] a source route ("@host:" before the address) is obsolete syntax (RFC 5322 section 4.4) and is not sent: remove it`],
    ],
    ['Bob <b@>', [`${SYNTAX} error [b@] the address has no domain after "@"`]],
    ['a@x.example>', [`${SYNTAX} error [a@x.example>] a ">" with no "<" before it`]],
    ['Bob <>', [`${SYNTAX} error [<>] empty angle brackets "<>"`]],
    ['Ann <a@x.example> (ok) x', [`${SYNTAX} error [x] text after ">" (a missing ","?)`]],
    ['A > B <a@x.example>', [`${SYNTAX} error [A > B] the display name holds special characters: put it in double quotes => quote-name: "A > B" <a@x.example>`]],
    [
      'ACME "x" [Sales] <a@x.example>',
      [`${SYNTAX} error [ACME "x" [Sales]] the display name holds special characters: put it in double quotes => quote-name: "ACME \\"x\\" [Sales]" <a@x.example>`],
    ],
    // Its name would still be wrong with the ">": no repair.
    ['ACME [Sales] <sales@x.example', [`${SYNTAX} error [<sales@x.example] the address is missing its closing ">"`]],
    ['Bob <bob@x.example', [`${SYNTAX} error [<bob@x.example] the address is missing its closing ">" => missing-close-angle: Bob <bob@x.example>`]],
    // A ";" in the mended list would be a warning: no repair.
    ['Bob <bob@x.example; carol@y.example', [`${SYNTAX} error [<bob@x.example; carol@y.example] the address is missing its closing ">"`]],
    ['Bob <, a@x.example', [`${SYNTAX} error [<, a@x.example] the address is missing its closing ">"`]],
  ];
  for (const [text, problems] of refused) {
    ALL_TEXTS.push(text);
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.deepEqual(problemsOf(text), problems);
      assert.deepEqual(parseAddressList(text).mailboxes, []);
    });
  }
});

describe('address parser: local part and domain as dot-atoms', () => {
  const cases: Array<[string, string[]]> = [
    ['.a@x.example', [`${SYNTAX} error [.a] the local part starts with "." => stray-dot (local part): a@x.example`]],
    ['..a@x.example', [`${SYNTAX} error [..a] the local part starts with "." => stray-dot (local part): a@x.example`]],
    ['a...b@x.example', [`${SYNTAX} error [a...b] the local part has two dots in a row => stray-dot (local part): a.b@x.example`]],
    ['a.@x.example', [`${SYNTAX} error [a.] the local part ends with "." => stray-dot (local part): a@x.example`]],
    ['a@.x.example', [`${SYNTAX} error [.x.example] the domain starts with "." => stray-dot (domain): a@x.example`]],
    ['a@x..example', [`${SYNTAX} error [x..example] the domain has two dots in a row => stray-dot (domain): a@x.example`]],
    ['a@x.example.', [`${SYNTAX} error [x.example.] the domain ends with "." => stray-dot (domain): a@x.example`]],
    ['a@x.example..', [`${SYNTAX} error [x.example..] the domain has two dots in a row => stray-dot (domain): a@x.example`]],
    ['Bob <a..b@x.example>', [`${SYNTAX} error [a..b] the local part has two dots in a row => stray-dot (local part): Bob <a.b@x.example>`]],
    // A dot next to a quoted string or a literal is no stray dot to remove.
    ['a.."b"@x.example', [`${SYNTAX} error [a.."b"] the local part has two dots in a row`]],
    ['a@[1.2.3.4]..x', [`${SYNTAX} error [[1.2.3.4]..x] the domain holds "[1.2.3.4]" where only letters, digits and !#$%&'*+-/=?^_\`{|}~ may be`]],
  ];
  for (const [text, problems] of cases) {
    ALL_TEXTS.push(text);
    it(`refuses ${JSON.stringify(text)}`, () => assert.deepEqual(problemsOf(text), problems));
  }
});

describe('address parser: spaces and comments inside an address', () => {
  const cases: Array<[string, string[]]> = [
    // No angle brackets offered next to a ".": "john. smith" is one local part more likely than a name.
    ['a. b@x.example', [`${SYNTAX} error [a. b@x.example] white space or a comment around "." in the local part is obsolete syntax (RFC 5322 section 4.4): remove it`]],
    ['a .b@x.example', [`${SYNTAX} error [a .b@x.example] white space or a comment around "." in the local part is obsolete syntax (RFC 5322 section 4.4): remove it`]],
    [
      'Ann Lee Jr. lee@x.example',
      [`${SYNTAX} error [Ann Lee Jr. lee@x.example] "Ann Lee Jr. lee@x.example" has spaces or comments inside the address (a display name needs <angle brackets>)`],
    ],
    [
      'J. Lee lee@x.example',
      [
        `${SYNTAX} error [J. Lee lee@x.example] white space or a comment around "." in the local part is obsolete syntax (RFC 5322 section 4.4): remove it => angle-brackets: J. Lee <lee@x.example>`,
      ],
    ],
    ['a@x .example', [`${SYNTAX} error [a@x .example] white space or a comment around "." in the domain is obsolete syntax (RFC 5322 section 4.4): remove it`]],
    ['a@x(c).example', [`${SYNTAX} error [a@x(c).example] white space or a comment around "." in the domain is obsolete syntax (RFC 5322 section 4.4): remove it`]],
    ['a@x example.org', [`${SYNTAX} error [a@x example.org] "a@x example.org" has spaces or comments inside the address (a display name needs <angle brackets>)`]],
    ['<a b@x.example>', [`${SYNTAX} error [a b@x.example] spaces or comments inside the address`]],
    ['Bob <a b@x.example>', [`${SYNTAX} error [a b@x.example] spaces or comments inside the address`]],
    [
      'John john@x.example',
      [
        `${SYNTAX} error [John john@x.example] "John john@x.example" has spaces or comments inside the address (a display name needs <angle brackets>) => angle-brackets: John <john@x.example>`,
      ],
    ],
    [
      'Ann B. Lee lee@x.example',
      [
        `${SYNTAX} error [Ann B. Lee lee@x.example] "Ann B. Lee lee@x.example" has spaces or comments inside the address (a display name needs <angle brackets>) => angle-brackets: Ann B. Lee <lee@x.example>`,
      ],
    ],
    // Comments and white space around the parts are allowed (RFC 5322 section 3.4.1) and dropped.
    [' (c) a (d) @ (e) x.example (f) ', []],
  ];
  for (const [text, problems] of cases) {
    ALL_TEXTS.push(text);
    it(`${problems.length ? 'refuses' : 'reads'} ${JSON.stringify(text)}`, () => assert.deepEqual(problemsOf(text), problems));
  }
});

describe('address parser: "@"', () => {
  const cases: Array<[string, string[]]> = [
    ['carol@@x.example', [`${SYNTAX} error [carol@@x.example] the address has more than one "@" => extra-at: carol@x.example`]],
    ['Carol <carol@@x.example>', [`${SYNTAX} error [carol@@x.example] the address has more than one "@" => extra-at: Carol <carol@x.example>`]],
    // Not a doubled "@": nothing to remove that would mend it.
    ['carol@ @x.example', [`${SYNTAX} error [carol@ @x.example] the address has more than one "@"`]],
    ['carol@(c)@x.example', [`${SYNTAX} error [carol@(c)@x.example] the address has more than one "@"`]],
    ['a@b@x.example', [`${SYNTAX} error [a@b@x.example] the address has more than one "@"`]],
    ['carol@@@x.example', [`${SYNTAX} error [carol@@@x.example] the address has more than one "@"`]],
    ['@x.example', [`${SYNTAX} error [@x.example] the address has nothing before "@"`]],
    ['a@', [`${SYNTAX} error [a@] the address has no domain after "@"`]],
    ['"@"@x.example', []],
  ];
  for (const [text, problems] of cases) {
    ALL_TEXTS.push(text);
    it(`${problems.length ? 'refuses' : 'reads'} ${JSON.stringify(text)}`, () => assert.deepEqual(problemsOf(text), problems));
  }
});

describe('address parser: names that break lines in some tools (NEL, U+2028)', () => {
  const cases: Array<[string, string[]]> = [
    [
      'An\u0085n <a@x.example>',
      [`${SYNTAX} error [An\u0085n] the display name holds U+0085 (a control character): tools that break lines there would show the rest as a field of its own`],
    ],
    [
      '"An\u2028n" <a@x.example>',
      [`${SYNTAX} error ["An\u2028n"] the display name holds U+2028 (a line or paragraph separator): tools that break lines there would show the rest as a field of its own`],
    ],
    // A tab in a quoted name is white space, not a line break.
    ['"An\tn" <a@x.example>', []],
    [
      'G\u0085: a@x.example;',
      [`${SYNTAX} error [G\u0085: a@x.example;] the group name holds U+0085 (a control character): tools that break lines there would show the rest as a field of its own`],
    ],
    [
      '"G\u2029": a@x.example;',
      [`${SYNTAX} error ["G\u2029": a@x.example;] the group name holds U+2029 (a line or paragraph separator): tools that break lines there would show the rest as a field of its own`],
    ],
    // Not a name at all (it holds "@"): said as such, the control character escaped.
    ['a\u0085@b.example: x@y.example', [`${SYNTAX} error [a\u0085@b.example: x@y.example] "a\\x85@b.example:" is neither an address nor a group name`]],
    // Special characters and a NEL: the special characters are named first (quoting them shows the NEL next).
    ['A\u0085 [x] <a@x.example>', [`${SYNTAX} error [A\u0085 [x]] the display name holds special characters: put it in double quotes`]],
  ];
  for (const [text, problems] of cases) {
    ALL_TEXTS.push(text);
    it(`${problems.length ? 'refuses' : 'reads'} ${JSON.stringify(text)}`, () => {
      assert.deepEqual(problemsOf(text), problems);
      if (problems.length) assert.deepEqual(parseAddressList(text).mailboxes, []);
    });
  }
});

describe('address parser: groups', () => {
  it('gives each group its name, its text and its members, which carry the group name', () => {
    const text = 'Team: a@x.example, Bob <b@x.example>;, c@y.example, Empty:;';
    ALL_TEXTS.push(text);
    const result = parseAddressList(text);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.groups.map((g) => [g.name, text.slice(g.start, g.end), g.members.map((m) => m.address)]),
      [
        ['Team', 'Team: a@x.example, Bob <b@x.example>;', ['a@x.example', 'b@x.example']],
        ['Empty', 'Empty:;', []],
      ],
    );
    assert.deepEqual(
      result.mailboxes.map((m) => [m.address, m.group]),
      [
        ['a@x.example', 'Team'],
        ['b@x.example', 'Team'],
        ['c@y.example', undefined],
      ],
    );
    assert.deepEqual(result.semicolonSeparators, []);
  });

  it('reads a quoted group name and a dotted one', () => {
    const text = '"The, Team": a@x.example;, J. Smith Ltd.: b@x.example;';
    ALL_TEXTS.push(text);
    assert.deepEqual(problemsOf(text), []);
    assert.deepEqual(
      parseAddressList(text).groups.map((g) => g.name),
      ['The, Team', 'J. Smith Ltd.'],
    );
  });

  // Nothing between a stray ":" and the next "," outside angle brackets becomes a recipient.
  const cases: Array<[string, string[], string[]]> = [
    ['Team: a@x.example', [`${SYNTAX} error [Team:] the group "Team" is not closed with ";"`], ['a@x.example']],
    ['Team: a@x.example,;', [], ['a@x.example']],
    ['Team: a@x.example,, b@x.example;', [`${EMPTY} warning [,] an empty entry before ","`], ['a@x.example', 'b@x.example']],
    [': a@x.example, b@y.example', [`${SYNTAX} error [: a@x.example] a group needs a name before ":"`], ['b@y.example']],
    [
      '@x: Bob <a@x.example, b@y.example>, c@z.example',
      [`${SYNTAX} error [@x: Bob <a@x.example, b@y.example>] "@x:" is neither an address nor a group name`],
      ['c@z.example'],
    ],
    ['A\\B: x@y.example, c@z.example', [`${SYNTAX} error [\\] unexpected character "\\" in an address`], ['c@z.example']],
    ['"": a@x.example;', [`${SYNTAX} error ["": a@x.example;] """:" is neither an address nor a group name`], []],
    // Empty entries before a stray ":" are said first, where they stand.
    [',, : x@y.example', [`${EMPTY} warning [,,] 2 empty entries (separators with nothing between them)`, `${SYNTAX} error [: x@y.example] a group needs a name before ":"`], []],
  ];
  for (const [text, problems, addresses] of cases) {
    ALL_TEXTS.push(text);
    it(`${problems.length ? 'refuses' : 'reads'} ${JSON.stringify(text)}, recipients ${JSON.stringify(addresses)}`, () => {
      assert.deepEqual(problemsOf(text), problems);
      assert.deepEqual(
        parseAddressList(text).mailboxes.map((m) => m.address),
        addresses,
      );
    });
  }
});

describe('address parser: empty entries and ";" separators', () => {
  const cases: Array<[string, string[], number[]]> = [
    ['a@x.example,, b@y.example', [`${EMPTY} warning [,] an empty entry before ","`], []],
    [',a@x.example', [`${EMPTY} warning [,] an empty entry before ","`], []],
    ['a@x.example,,,, b@y.example', [`${EMPTY} warning [,,,] 3 empty entries (separators with nothing between them)`], []],
    [
      'a@x.example,, b@y.example,, c@z.example',
      [`${EMPTY} warning [,] an empty entry before ","`, `${EMPTY} warning [,] an empty entry before ","`],
      [],
    ],
    [
      'a@x.example;; b@y.example',
      [
        `${EMPTY} warning [;] an empty entry before ";"`,
        `${codes.ADDRESS_SEMICOLON} warning [;] addresses are separated with ";" (RFC 5322 uses ","): accepted, but other programs may not read it`,
      ],
      [11, 12],
    ],
    // The first ";" closes the group: the second separates it from what follows, like a ",".
    ['G: a@x.example;; b@y.example', [`${codes.ADDRESS_SEMICOLON} warning [;] addresses are separated with ";" (RFC 5322 uses ","): accepted, but other programs may not read it`], [15]],
    ['a@x.example, G: b@y.example; c@z.example', [], []],
  ];
  for (const [text, problems, semicolons] of cases) {
    ALL_TEXTS.push(text);
    it(`${JSON.stringify(text)}: ${problems.length} warning(s), ";" separators at ${JSON.stringify(semicolons)}`, () => {
      assert.deepEqual(problemsOf(text), problems);
      assert.deepEqual(parseAddressList(text).semicolonSeparators, semicolons);
    });
  }

  it('counts a thousand empty entries in one warning, the count written for people', () => {
    const text = `a@x.example${','.repeat(1001)} b@y.example`;
    assert.deepEqual(problemsOf(text), [`${EMPTY} warning [${','.repeat(1000)}] 1,000 empty entries (separators with nothing between them)`]);
  });
});

describe('address parser: the cap on problems per list', () => {
  const bad = (k: number): string => `bad${k}`;

  it(`lists exactly ${MAX_PROBLEMS_PER_FIELD} problems, and one over the cap in a summary that points at the rest`, () => {
    const at = Array.from({ length: MAX_PROBLEMS_PER_FIELD }, (_, k) => bad(k)).join(', ');
    assert.equal(parseAddressList(at).issues.length, MAX_PROBLEMS_PER_FIELD);
    assert.ok(!parseAddressList(at).issues.some((i) => i.code === codes.TOO_MANY_PROBLEMS));

    const over = Array.from({ length: MAX_PROBLEMS_PER_FIELD + 3 }, (_, k) => bad(k)).join(', ');
    const problems = problemsOf(over);
    assert.equal(problems.length, MAX_PROBLEMS_PER_FIELD + 1);
    assert.equal(problems[MAX_PROBLEMS_PER_FIELD - 1], `${SYNTAX} error [bad19] "bad19" is not an address (no "@")`);
    assert.equal(
      problems[MAX_PROBLEMS_PER_FIELD],
      `${codes.TOO_MANY_PROBLEMS} error [bad20, bad21, bad22] 3 more problems in this list are not shown (only the first 20 are): fix those and check again`,
    );
  });

  it('gives the summary the worst severity of what it holds: a warning when only warnings are left out', () => {
    // 22 mailboxes, each followed by ",,": 22 empty entries, the first 20 listed.
    const text = Array.from({ length: MAX_PROBLEMS_PER_FIELD + 2 }, (_, k) => `a${k}@x.example,,`).join(' ');
    const problems = problemsOf(text);
    assert.equal(problems.length, MAX_PROBLEMS_PER_FIELD + 1);
    assert.equal(
      problems[MAX_PROBLEMS_PER_FIELD],
      `${codes.TOO_MANY_PROBLEMS} warning [, a21@x.example,,] 2 more problems in this list are not shown (only the first 20 are): fix those and check again`,
    );
  });

  it('says the ";" warning once, after the summary, whatever the cap', () => {
    const text = Array.from({ length: MAX_PROBLEMS_PER_FIELD + 1 }, (_, k) => bad(k)).join('; ');
    const problems = problemsOf(text);
    assert.equal(problems.length, MAX_PROBLEMS_PER_FIELD + 2);
    assert.match(problems[MAX_PROBLEMS_PER_FIELD], /^too-many-problems error \[bad20\] 1 more problems/);
    assert.equal(problems[MAX_PROBLEMS_PER_FIELD + 1], `${codes.ADDRESS_SEMICOLON} warning [;] addresses are separated with ";" (RFC 5322 uses ","): accepted, but other programs may not read it`);
  });

  it('offers repairs for the problems it lists, past the twentieth too when they are listed', () => {
    const text = Array.from({ length: MAX_PROBLEMS_PER_FIELD }, (_, k) => `u${k}@@x.example`).join(', ');
    const issues = parseAddressList(text).issues;
    assert.equal(issues.length, MAX_PROBLEMS_PER_FIELD);
    assert.ok(issues.every((i) => i.repair?.kind === 'extra-at'));
  });
});

describe('address parser: summaries of what was written, exactly at 60 characters and one over', () => {
  it('quotes 60 characters whole, and 61 as 57 and "..."', () => {
    const sixty = `${'x'.repeat(29)} ${'y'.repeat(30)}`;
    assert.equal(sixty.length, 60);
    assert.deepEqual(problemsOf(sixty), [`${SYNTAX} error [${sixty}] "${sixty}" is not an address (no "@")`]);
    const sixtyOne = `${sixty}z`;
    assert.deepEqual(problemsOf(sixtyOne), [`${SYNTAX} error [${sixtyOne}] "${sixtyOne.slice(0, 57)}..." is not an address (no "@")`]);
  });

  it('retypes quoted strings with their quotes and one space where a gap was', () => {
    const text = 'a  "b c"(x)d';
    assert.deepEqual(problemsOf(text), [`${SYNTAX} error [${text}] "a "b c" d" is not an address (no "@")`]);
  });
});

describe('address parser: offsets', () => {
  it('moves every offset by exactly the offset given, for every case above', () => {
    const shifted = (result: AddressListResult, by: number): AddressListResult => JSON.parse(JSON.stringify(result), (key, value) => {
      if ((key === 'start' || key === 'end') && typeof value === 'number') return value + by;
      if (key === 'semicolonSeparators') return (value as number[]).map((s) => s + by);
      return value;
    });
    assert.ok(ALL_TEXTS.length > 100, `${ALL_TEXTS.length} cases`);
    for (const text of ALL_TEXTS) {
      for (const by of [1, 1000]) {
        assert.deepEqual(JSON.parse(JSON.stringify(parseAddressList(text, by))), shifted(parseAddressList(text), by), JSON.stringify(text));
      }
    }
  });

  it('counts one address-list parse per call (the pipeline holds it to one per document version)', async () => {
    const { counts } = await countWorkOf(() => parseAddressList('Bob <bob@x.example, carol@@y.example'));
    assert.equal(counts.addressList, 1);
  });
});

describe('address parser: seeded lists of clean mailboxes', () => {
  it('400 lists joined with every separator and spacing read back as the mailboxes written, with no problem', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const random = prng(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const word = (): string => Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick("abcxyz019!#$%&'*+-/=?^_`{|}~".split(''))).join('');
      const hostWord = (): string => Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick('abcxyz019'.split(''))).join('');
      const space = (): string => pick(['', ' ', '\t', '\r\n ', '\n\t', ' (c) ', '(a (b) \\) c)']);
      const boxes = Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
        const local = Array.from({ length: 1 + Math.floor(random() * 3) }, word).join('.');
        const address = `${local}@${hostWord()}.${pick(['example', 'org', 'de'])}`;
        const name = random() < 0.5 ? undefined : pick(['Ann', 'J. Smith', '"Lee, Ann"', 'Zoë Ö']);
        return { address, name, written: name ? `${name}${space()}<${space()}${address}${space()}>` : `${space()}${address}` };
      });
      const text = boxes.map((b) => `${space()}${b.written}${space()}`).join(',');
      const result = parseAddressList(text);
      assert.deepEqual(result.issues, [], `seed ${seed}: ${JSON.stringify(text)}`);
      assert.deepEqual(
        result.mailboxes.map((m) => [m.address, m.displayName]),
        boxes.map((b) => [b.address, b.name?.replace(/"/g, '')]),
        `seed ${seed}: ${JSON.stringify(text)}`,
      );
    }
  });
});

describe('address parser: Fix all never turns a local part with a stray space into a name', () => {
  it('"john. smith@x": no angle brackets, so Fix all leaves the field for the author (a name would send to smith@x)', () => {
    for (const to of ['john. smith@example.org', 'john .smith@example.org', 'Ann Lee Jr. lee@example.org']) {
      const text = message({ To: to });
      const problems = validateMessage(text);
      assert.ok(problems.some((p) => p.severity === 'error'), to);
      assert.deepEqual(fixAllEdits(problems), [], to);
    }
  });

  it('"J. Lee lee@x": the dot stands inside the name, so Fix all adds the angle brackets', () => {
    const text = message({ To: 'J. Lee lee@example.org' });
    const fixed = applyFix(text, { title: 'Fix all', edits: fixAllEdits(validateMessage(text)) });
    assert.match(fixed, /^To: J\. Lee <lee@example\.org>\r$/m);
    assert.deepEqual(validateMessage(fixed), []);
  });
});

// Issue #16: what the editor does with the parser's offsets. A problem or a mailbox never points past the
// end of the text (an unclosed comment, quoted string or literal ends exactly there), each problem is
// exactly what is reported (no empty repair slot), and the repair of an unclosed "<" closes it before
// the next address, not at the end of the list.
import * as assert from 'node:assert/strict';
import { codes, parseAddressList } from '../../../src/core/message';
import { prng } from './prng';

const SYNTAX = codes.ADDRESS_SYNTAX;

describe('address parser: offsets end where the text does', () => {
  const unclosed: Array<[string, string, number]> = [
    ['a@x.example (no end', 'a comment "(" is never closed', 12],
    ['"no end@x.example', 'a quoted string is never closed', 0],
    ['"no end\\', 'a quoted string is never closed', 0],
  ];
  for (const [text, message, start] of unclosed) {
    it(`${JSON.stringify(text)}: "${message}" runs from ${start} to the end of the text, ${text.length}`, () => {
      const [first] = parseAddressList(text).issues;
      assert.deepEqual(first, { code: SYNTAX, severity: 'error', message, start, end: text.length });
      const shifted = parseAddressList(text, 50).issues[0];
      assert.deepEqual([shifted.start, shifted.end], [start + 50, text.length + 50]);
    });
  }

  it('an unclosed address literal ends at the end of the text', () => {
    const text = 'a@[192.0.2.1';
    assert.deepEqual(parseAddressList(text).issues, [
      {
        code: SYNTAX,
        severity: 'error',
        message: '"[192.0.2.1" is not closed with "]": Mailsmith sends to IPv4 or [IPv6:...] address literals only (RFC 5321 section 4.1.3)',
        start: 2,
        end: text.length,
      },
    ]);
  });

  it('problems without a repair carry no repair field at all', () => {
    assert.deepEqual(parseAddressList('bob, a@x.example>').issues, [
      { code: SYNTAX, severity: 'error', message: '"bob" is not an address (no "@")', start: 0, end: 3 },
      { code: SYNTAX, severity: 'error', message: 'a ">" with no "<" before it', start: 5, end: 17 },
    ]);
  });

  it('gives a mailbox in angle brackets inside a group the offsets of its whole text', () => {
    const text = 'G: "Ann" (x) <a@x.example> ;';
    const [mailbox] = parseAddressList(text, 7).mailboxes;
    assert.deepEqual([mailbox.start, mailbox.end, mailbox.group], [10, 33, 'G']);
    assert.equal(text.slice(mailbox.start - 7, mailbox.end - 7), '"Ann" (x) <a@x.example>');
  });

  it('300 seeded lists of fragments: every offset lies inside the text, and moves with the offset given', () => {
    const pieces = ['a', 'b.c', '@', 'x.example', ',', ';', ':', '<', '>', ' ', '\t', '\r\n ', '\r', '\n', '(', ')', '"', '\\', '[', ']', '.', 'é', '\u0085', 'G: ', '"q s"'];
    for (let seed = 1; seed <= 300; seed++) {
      const random = prng(seed);
      const text = Array.from({ length: 1 + Math.floor(random() * 14) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const result = parseAddressList(text);
      const spans = [...result.issues, ...result.mailboxes, ...result.groups, ...result.issues.flatMap((i) => i.repair?.edits ?? [])];
      for (const span of spans) {
        assert.ok(span.start >= 0 && span.start <= span.end && span.end <= text.length, `seed ${seed}: ${JSON.stringify(text)}: ${JSON.stringify(span)}`);
      }
      for (const s of result.semicolonSeparators) assert.equal(text[s], ';', `seed ${seed}: ${JSON.stringify(text)}`);
      const moved = parseAddressList(text, 9);
      assert.deepEqual(
        moved.issues.map((i) => [i.start - 9, i.end - 9, i.message]),
        result.issues.map((i) => [i.start, i.end, i.message]),
        `seed ${seed}: ${JSON.stringify(text)}`,
      );
    }
  });
});

describe('address parser: an unclosed "<" is closed before the next address', () => {
  it('"Bob <bob@x, carol@y": the ">" goes after bob@x', () => {
    const text = 'Bob <bob@x.example, carol@y.example';
    const [found] = parseAddressList(text).issues;
    assert.equal(found.message, 'the address is missing its closing ">"');
    assert.deepEqual(found.repair, { kind: 'missing-close-angle', edits: [{ start: 18, end: 18, newText: '>' }] });
    assert.equal(text.slice(0, 18), 'Bob <bob@x.example');
  });

  it('"Bob <, carol@y": nothing to close, no repair', () => {
    assert.equal(parseAddressList('Bob <, carol@y.example').issues[0].repair, undefined);
  });
});

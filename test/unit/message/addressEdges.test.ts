// Issue #16, the survivors of the first Stryker run on addresses.ts that a reader could observe: two line
// breaks in a row, a bare CR before a letter, a quoted string that is exactly a separator, the repair of a
// missing ",", a domain in quotes, the last gap of a name, a repair made at an offset.
import * as assert from 'node:assert/strict';
import { codes, parseAddressList } from '../../../src/core/message';
import { checkDomain } from '../../../src/core/message/domain';

const SYNTAX = codes.ADDRESS_SYNTAX;
const BARE_CR = 'a bare CR (carriage return without line feed) in an address list: it is no line break and no separator';
const NO_FOLD = 'a line break that does not fold (a continued line must start with white space)';

/** Each problem as `code severity [the text it points at] message`, with ` => mended text` for a repair. */
function problemsOf(text: string, offset = 0): string[] {
  return parseAddressList(text, offset).issues.map((i) => {
    const [start, end] = [i.start - offset, i.end - offset];
    let line = `${i.code} ${i.severity} [${text.slice(start, end)}] ${i.message}`;
    if (i.repair) {
      let mended = text;
      for (const edit of [...i.repair.edits].sort((a, b) => b.start - a.start)) mended = mended.slice(0, edit.start - offset) + edit.newText + mended.slice(edit.end - offset);
      line += ` => ${i.repair.kind}: ${mended}`;
    }
    return line;
  });
}

describe('address parser: edges', () => {
  const cases: Array<[string, string[], string[]]> = [
    // The first LF is followed by a LF, not white space: it does not fold, whatever follows the second.
    ['a@x.example,\n\n b@y.example', [`${SYNTAX} error [\n] ${NO_FOLD}`], ['a@x.example']],
    ['a@x.example,\r\n\r\n b@y.example', [`${SYNTAX} error [\r] ${BARE_CR}`], ['a@x.example']],
    // A bare CR swallows nothing: the "x" after it is not skipped as part of a line break.
    ['a@x.example,\rx b@y.example', [`${SYNTAX} error [\r] ${BARE_CR}`], ['a@x.example']],
    // Quoted strings that are exactly a separator or a bracket are text.
    ['","@x.example, b@y.example', [], ['","@x.example', 'b@y.example']],
    ['"<"@x.example, b@y.example', [], ['"<"@x.example', 'b@y.example']],
    ['";"@x.example, ":"@y.example', [], ['";"@x.example', '":"@y.example']],
    // A domain is never quoted (RFC 5322 section 3.4.1), nor does a literal stand where a "." belongs.
    ['a@"x.example"', [`${SYNTAX} error ["x.example"] the domain holds a quoted string, which a domain never does`], []],
    ['a@x"y".example', [`${SYNTAX} error [x"y".example] the domain holds "y" where a "." belongs`], []],
    ['a@x[1].example', [`${SYNTAX} error [x[1].example] the domain holds "[1]" where a "." belongs`], []],
    // Missing "," between an angle address and the next one: the "," goes right after ">".
    ['Ann <a@x.example> b@y.example', [`${SYNTAX} error [b@y.example] text after ">" (a missing ","?) => missing-comma: Ann <a@x.example>, b@y.example`], []],
    ['Ann <a@x.example>(c)Bob <b@y.example>', [`${SYNTAX} error [Bob <b@y.example>] text after ">" (a missing ","?) => missing-comma: Ann <a@x.example>,(c)Bob <b@y.example>`], []],
    // The name ends at the last gap, even when the address after it holds dots.
    ['John j.doe@x.example', [`${SYNTAX} error [John j.doe@x.example] "John j.doe@x.example" has spaces or comments inside the address (a display name needs <angle brackets>) => angle-brackets: John <j.doe@x.example>`], []],
    // A gap only in the domain: no name before the address, nothing to put in brackets.
    ['a.b@x example.org', [`${SYNTAX} error [a.b@x example.org] "a.b@x example.org" has spaces or comments inside the address (a display name needs <angle brackets>)`], []],
  ];
  for (const [text, problems, addresses] of cases) {
    it(`${problems.length ? 'refuses' : 'reads'} ${JSON.stringify(text)}`, () => {
      assert.deepEqual(problemsOf(text), problems);
      assert.deepEqual(problemsOf(text, 40), problems, 'the same at an offset');
      assert.deepEqual(
        parseAddressList(text).mailboxes.map((m) => m.address),
        addresses,
      );
    });
  }

  it('mends only the mailbox at fault, also at an offset, with text after it', () => {
    for (const offset of [0, 7, 300]) {
      assert.deepEqual(problemsOf('carol@@x.example, bad, Dave Lee dave@y.example, c d', offset), [
        `${SYNTAX} error [carol@@x.example] the address has more than one "@" => extra-at: carol@x.example, bad, Dave Lee dave@y.example, c d`,
        `${SYNTAX} error [bad] "bad" is not an address (no "@")`,
        `${SYNTAX} error [Dave Lee dave@y.example] "Dave Lee dave@y.example" has spaces or comments inside the address (a display name needs <angle brackets>) => angle-brackets: carol@@x.example, bad, Dave Lee <dave@y.example>, c d`,
        `${SYNTAX} error [c d] "c d" is not an address (no "@")`,
      ]);
    }
  });
});

describe('address literals: edges', () => {
  const LITERALS_ONLY = 'Mailsmith sends to IPv4 or [IPv6:...] address literals only (RFC 5321 section 4.1.3)';
  const cases: Array<[string, string]> = [
    // A zone id only after a leading "IPv6:"; elsewhere the tag makes a general literal.
    ['[xIPv6:fe80::1%1]', 'is a general address literal, which cannot be sent to'],
    // A general literal's tag starts the literal and holds a letter or "-" before its ":".
    ['[ x:y]', 'is not an IPv4 or IPv6 address'],
    ['[42x:y]', 'is a general address literal, which cannot be sent to'],
    ['[4.2:y]', 'is not an IPv4 or IPv6 address'],
  ];
  for (const [literal, why] of cases) {
    it(`refuses ${JSON.stringify(literal)}: ${why}`, () => {
      assert.deepEqual(checkDomain(literal), { ascii: literal, idn: false, error: `"${literal}" ${why}: ${LITERALS_ONLY}` });
    });
  }
});

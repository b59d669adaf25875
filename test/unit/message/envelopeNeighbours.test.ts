// Issue #16: the neighbours of every envelope rule (src/core/message/envelope.ts). Each refusal of the last
// address check next to the address it lets through (the character one below and one above a range, a quote
// at the ends of the local part and inside it, "@" in the local part and in the domain); MAIL FROM from
// Sender next to From next to the profile default; a recipient refused next to no recipient at all; the
// problem cap exactly at its limit and one over; every message and place a person reads.
import * as assert from 'node:assert/strict';
import { codes, deriveEnvelope, envelopeAddressProblem, scanMessage, validateMessage } from '../../../src/core/message';
import { isCopiedParseProblem, mailboxesOf } from '../../../src/core/message/envelope';
import type { MessageDefaults } from '../../../src/core/message';
import type { Range } from '../../../src/core/types';
import { crlf } from './helpers';

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Where `text` (its `nth` occurrence) stands in a document whose lines end with CRLF. */
function rangeIn(doc: string, text: string, nth = 0): Range {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = doc.indexOf(text, index + 1);
  assert.ok(index >= 0, `${text} is not in the document`);
  const at = (offset: number) => {
    const before = doc.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
  };
  return { start: at(index), end: at(index + text.length) };
}

/** A document of these header lines (CRLF), a blank line and a body. */
const doc = (...lines: string[]) => crlf(...lines, '', 'body', '');

function envelopeOf(text: string, defaults: MessageDefaults = {}) {
  return deriveEnvelope(scanMessage(text), defaults);
}

function problemsOf(text: string, defaults: MessageDefaults = {}) {
  const result = envelopeOf(text, defaults);
  assert.equal(result.ok, false, 'the envelope is refused');
  return result.problems;
}

const SPACE_IN_QUOTES =
  'its quoted local part holds a space: valid (RFC 5322, RFC 5321), but servers that split the SMTP command at spaces, smtp-server among them, misread it and may take the rest for command parameters';

describe('envelopeAddressProblem: each refusal next to what it lets through', () => {
  const table: Array<[string, string | undefined]> = [
    ['a@x.example', undefined],
    ['a!~#$%&\'*+-/=?^_`{|}@x.example', undefined], // "!" (33) and "~" (126), the ends of printable ASCII
    ['"a.b"@x.example', undefined],
    ['"a"@x.example', undefined],
    ['"a..b"@x.example', undefined],
    ['jörg@x.example', undefined],
    ['a@[192.0.2.1]', undefined],
    // Not local@domain: "@" first, last, or missing.
    ['@x.example', 'it is not of the form local@domain'],
    ['a@', 'it is not of the form local@domain'],
    ['ax.example', 'it is not of the form local@domain'],
    ['@', 'it is not of the form local@domain'],
    ['b@x', undefined],
    ['ab@x.example', undefined], // two characters, not quoted: not the empty quoted local part
    // Controls: below the space, DEL, tab; the space next to them.
    ['a\x1f@x.example', 'it holds a control character or a line break'],
    ['a\x00@x.example', 'it holds a control character or a line break'],
    ['a\t@x.example', 'it holds a control character or a line break'],
    ['a\x7f@x.example', 'it holds a control character or a line break'],
    ['a\r\nRCPT TO:b@y.example', 'it holds a control character or a line break'],
    ['a@x.example\n', 'it holds a control character or a line break'],
    // A space: inside a quoted local part, in a plain one, in the domain after a quoted local part.
    ['"a b"@x.example', SPACE_IN_QUOTES],
    ['a b@x.example', 'it holds a space, which would end the address in the SMTP command'],
    ['"a"@x example', 'it holds a space, which would end the address in the SMTP command'],
    ['a@x.example b', 'it holds a space, which would end the address in the SMTP command'],
    ['a<b@x.example', 'it holds "<", which would end the address in the SMTP command'],
    ['a@x.example>', 'it holds ">", which would end the address in the SMTP command'],
    ['a,b@x.example', 'it holds ",": tools that split address lists would see two addresses'],
    ['a;b@y.example', 'it holds ";": tools that split address lists would see two addresses'],
    ['(a)b@x.example', 'it holds "(", which address parsers read as the start or end of a comment'],
    ['a)b@x.example', 'it holds ")", which address parsers read as the start or end of a comment'],
    ['"a\\"b"@x.example', 'it holds a backslash (a quoted-pair): servers disagree on escapes inside a quoted local part'],
    // Double quotes: enclosing the whole local part, or anywhere else in it.
    ['a"b@x.example', 'it holds a double quote that does not enclose the whole local part'],
    ['"a@x.example', 'it holds a double quote that does not enclose the whole local part'],
    ['a"@x.example', 'it holds a double quote that does not enclose the whole local part'],
    ['"a"b"@x.example', 'it holds a double quote that does not enclose the whole local part'],
    ['"@x.example', 'it holds a double quote that does not enclose the whole local part'],
    ['""@x.example', 'its local part is empty ("") and names no mailbox'],
    // "@": inside quotes, twice unquoted.
    ['"a@b"@x.example', 'its quoted local part holds "@": tools that split the address at its first "@" would deliver it to another domain'],
    ['a@b@x.example', 'it holds more than one "@"'],
    ['a@@x.example', 'it holds more than one "@"'],
    // Code points that display differently from what is sent.
    ['a\u00a0b@x.example', 'it holds U+00A0 (a space-like character), which displays differently from what would be sent'],
    ['a\u202eb@x.example', 'it holds U+202E (an invisible formatting character), which displays differently from what would be sent'],
    ['jörg\u200b@x.example', 'it holds U+200B (an invisible formatting character), which displays differently from what would be sent'],
    ['a@x.example\u0085', 'it holds U+0085 (a control character), which displays differently from what would be sent'],
  ];
  for (const [address, why] of table) {
    it(`${JSON.stringify(address)}: ${why ?? 'accepted'}`, () => {
      assert.equal(envelopeAddressProblem(address), why);
    });
  }
});

describe('mailboxesOf: a field of the document, or else the profile default', () => {
  it('collects every occurrence of the field, in order, and copies only the parser\'s errors', () => {
    const text = doc('From: a@x.example', 'To: b@x.example; c@x.example', 'To: d@x.example');
    const scanned = scanMessage(text);
    const to = mailboxesOf(scanned, 'to', 'ignored@x.example');
    assert.deepEqual(
      to.mailboxes.map((m) => m.address),
      ['b@x.example', 'c@x.example', 'd@x.example'],
    );
    assert.deepEqual(to.problems, [], 'the ";" separator is a warning: not an envelope problem');
    assert.equal(to.fromDocument, true);
    assert.deepEqual(
      to.fields.map((f) => f.range.start.line),
      [1, 2],
    );
  });

  it('a parse error is copied word for word as the address rule reports it, and marked as copied', () => {
    const text = doc('From: a@x.example', 'To: b@x.example, c@@x.example');
    const to = mailboxesOf(scanMessage(text), 'to');
    assert.equal(to.problems.length, 1);
    const [copied] = to.problems;
    assert.equal(copied.severity, 'error');
    assert.match(copied.message, /^To: /);
    assert.ok(isCopiedParseProblem(copied));
    // The address rule reports the same problem, at the same place, with the same words.
    const fromRule = validateMessage(text).find((p) => p.code === copied.code && p.message === copied.message);
    assert.ok(fromRule, 'the address rule reports it too');
    assert.deepEqual({ code: fromRule.code, severity: fromRule.severity, message: fromRule.message, range: fromRule.range }, copied);
    assert.equal(copied.range.start.line, 1);
  });

  it('without the field, the profile default: its errors name the default, at no place in the document', () => {
    const scanned = scanMessage(doc('From: a@x.example', 'Subject: s'));
    const cc = mailboxesOf(scanned, 'cc', 'b@x.example; c@x.example');
    assert.deepEqual(
      cc.mailboxes.map((m) => m.address),
      ['b@x.example', 'c@x.example'],
    );
    assert.deepEqual(cc.problems, [], 'the ";" of a default is a warning: no problem');
    assert.equal(cc.fromDocument, false);
    assert.deepEqual(cc.fields, []);

    const bad = mailboxesOf(scanned, 'cc', 'b@x.example, c@@x.example');
    assert.equal(bad.problems.length, 1);
    const [problem] = bad.problems;
    assert.equal(problem.code, codes.DEFAULTS_BAD_ADDRESS);
    assert.equal(problem.severity, 'error');
    assert.match(problem.message, /^profile default "cc": \S/);
    assert.deepEqual(problem.range, ZERO);
    assert.equal(isCopiedParseProblem(problem), false, 'no rule reports a default\'s parse problem: the envelope rule must');
    assert.deepEqual(
      bad.mailboxes.map((m) => m.address),
      ['b@x.example'],
    );

    for (const nothing of [undefined, '', '   ']) {
      const none = mailboxesOf(scanned, 'cc', nothing);
      assert.deepEqual({ mailboxes: none.mailboxes, problems: none.problems, fromDocument: none.fromDocument }, { mailboxes: [], problems: [], fromDocument: false });
    }
  });
});

describe('deriveEnvelope: MAIL FROM', () => {
  it('Sender, when there is one, even when From holds one mailbox', () => {
    const r = envelopeOf(doc('From: a@x.example', 'Sender: s@x.example', 'To: b@x.example'), { from: 'd@x.example' });
    assert.ok(r.ok);
    assert.equal(r.envelope.from, 's@x.example');
  });

  it('From with exactly one mailbox; the profile default "from" only when the document has no From', () => {
    const one = envelopeOf(doc('From: Ann <a@x.example>', 'To: b@x.example'), { from: 'd@x.example' });
    assert.ok(one.ok);
    assert.equal(one.envelope.from, 'a@x.example');
    const byDefault = envelopeOf(doc('To: b@x.example'), { from: 'Dee <d@x.example>' });
    assert.ok(byDefault.ok);
    assert.equal(byDefault.envelope.from, 'd@x.example');
  });

  it('From with two mailboxes and no Sender: refused at the From field; a default with two: refused, at no place', () => {
    const text = doc('To: b@x.example', 'From: a@x.example, c@x.example');
    assert.deepEqual(problemsOf(text), [
      {
        code: codes.FROM_NEEDS_SENDER,
        severity: 'error',
        message: 'From holds several mailboxes: add a Sender field naming the one who sends (RFC 5322 section 3.6.2)',
        range: rangeIn(text, 'From: a@x.example, c@x.example'),
      },
    ]);
    assert.deepEqual(problemsOf(doc('To: b@x.example'), { from: 'a@x.example, c@x.example' }), [
      {
        code: codes.FROM_NEEDS_SENDER,
        severity: 'error',
        message: 'the profile default "from" holds several mailboxes: MAIL FROM needs one (add a Sender field, or name one in the default)',
        range: ZERO,
      },
    ]);
  });

  it('a From or Sender that names no mailbox, a default that names none, and no sender at all: each says which', () => {
    const from = doc('To: b@x.example', 'From: (nobody)');
    assert.deepEqual(problemsOf(from), [
      { code: codes.ENVELOPE_NO_SENDER, severity: 'error', message: 'From names no mailbox: MAIL FROM needs one', range: rangeIn(from, 'From: (nobody)') },
    ]);
    const sender = doc('From: a@x.example, c@x.example', 'To: b@x.example', 'SENDER: (nobody)');
    assert.deepEqual(problemsOf(sender), [
      { code: codes.ENVELOPE_NO_SENDER, severity: 'error', message: 'SENDER names no mailbox: MAIL FROM needs one', range: rangeIn(sender, 'SENDER: (nobody)') },
    ]);
    assert.deepEqual(problemsOf(doc('To: b@x.example'), { from: '(nobody)' }), [
      { code: codes.ENVELOPE_NO_SENDER, severity: 'error', message: 'the profile default "from" names no mailbox: MAIL FROM needs one', range: ZERO },
    ]);
    for (const from of [undefined, '', '  ']) {
      assert.deepEqual(problemsOf(doc('To: b@x.example'), { from }), [
        { code: codes.ENVELOPE_NO_SENDER, severity: 'error', message: 'no sender address: add a From field (or a profile default "from")', range: ZERO },
      ]);
    }
  });

  it('a sender that cannot be used: one problem that names the sender, the document\'s or the default', () => {
    const text = doc('From: Boss <"the boss"@x.example>', 'To: b@x.example');
    assert.deepEqual(problemsOf(text), [
      {
        code: codes.ENVELOPE_BAD_ADDRESS,
        severity: 'error',
        message: `the sender <"the boss"@x.example> cannot be used in MAIL FROM: ${SPACE_IN_QUOTES}`,
        range: rangeIn(text, 'Boss <"the boss"@x.example>'),
      },
    ]);
    const sender = doc('From: a@x.example', 'Sender: "s t"@x.example', 'To: b@x.example');
    assert.deepEqual(
      problemsOf(sender).map((p) => [p.message, p.range]),
      [[`the sender <"s t"@x.example> cannot be used in MAIL FROM: ${SPACE_IN_QUOTES}`, rangeIn(sender, '"s t"@x.example')]],
    );
    // The default "from" with a Sender in the document is not MAIL FROM: it is not checked as one.
    assert.ok(envelopeOf(doc('Sender: s@x.example', 'To: b@x.example'), { from: '"the boss"@x.example' }).ok);
    assert.deepEqual(problemsOf(doc('To: b@x.example'), { from: '"the boss"@x.example' }), [
      {
        code: codes.ENVELOPE_BAD_ADDRESS,
        severity: 'error',
        message: `the profile default "from" <"the boss"@x.example> cannot be used in MAIL FROM: ${SPACE_IN_QUOTES}`,
        range: ZERO,
      },
    ]);
  });

  it('a UTF-8 local part in MAIL FROM alone needs SMTPUTF8; an IDN domain does not', () => {
    const utf8 = envelopeOf(doc('From: jörg@x.example', 'To: b@x.example'));
    assert.ok(utf8.ok);
    assert.equal(utf8.needsSmtpUtf8, true);
    assert.equal(utf8.envelope.from, 'jörg@x.example');
    const idn = envelopeOf(doc('From: a@bücher.example', 'To: b@x.example'));
    assert.ok(idn.ok);
    assert.deepEqual(idn, { ok: true, envelope: { from: 'a@xn--bcher-kva.example', to: ['b@x.example'] }, needsSmtpUtf8: false, problems: [] });
  });
});

describe('deriveEnvelope: RCPT TO', () => {
  it('To, then Cc, then Bcc, each in order; one RCPT TO per mailbox: the domain in any case, the local part exactly', () => {
    const r = envelopeOf(doc('From: a@x.example', 'Bcc: e@x.example, b@X.EXAMPLE', 'Cc: d@x.example, B@x.example', 'To: b@x.example, c@x.example, b@x.Example'));
    assert.ok(r.ok);
    assert.deepEqual(r.envelope.to, ['b@x.example', 'c@x.example', 'd@x.example', 'B@x.example', 'e@x.example']);
  });

  it('a UTF-8 local part in Cc or Bcc alone needs SMTPUTF8', () => {
    for (const field of ['Cc', 'Bcc']) {
      const r = envelopeOf(doc('From: a@x.example', 'To: b@x.example', `${field}: jörg@x.example`));
      assert.ok(r.ok);
      assert.equal(r.needsSmtpUtf8, true, field);
    }
  });

  it('a recipient refused is one problem at the address, reported once however often it is listed; no "no recipients" besides', () => {
    const text = doc('From: a@x.example', 'To: Jo <"j o"@x.example>, "j o"@X.example');
    assert.deepEqual(problemsOf(text), [
      {
        code: codes.ENVELOPE_BAD_ADDRESS,
        severity: 'error',
        message: `To: <"j o"@x.example> cannot be sent: ${SPACE_IN_QUOTES}`,
        range: rangeIn(text, 'Jo <"j o"@x.example>'),
      },
    ]);
  });

  it('a refused default recipient names the default, at no place in the document', () => {
    assert.deepEqual(problemsOf(doc('From: a@x.example', 'To: b@x.example'), { cc: 'c@x.example, "c d"@x.example' }), [
      {
        code: codes.ENVELOPE_BAD_ADDRESS,
        severity: 'error',
        message: `profile default "cc": <"c d"@x.example> cannot be sent: ${SPACE_IN_QUOTES}`,
        range: ZERO,
      },
    ]);
  });

  it('a recipient the parser refuses: its problem only, no "no recipients" besides', () => {
    const problems = problemsOf(doc('From: a@x.example', 'To: b@@x.example'));
    assert.ok(problems.length > 0);
    assert.ok(problems.every((p) => p.code !== codes.ENVELOPE_NO_RECIPIENTS), JSON.stringify(problems));
    assert.ok(problems.every(isCopiedParseProblem));
    // One the parser refuses and one the last check refuses: two problems, and still not "no recipients".
    assert.deepEqual(
      problemsOf(doc('From: a@x.example', 'To: b@@x.example, "c d"@x.example')).map((p) => p.code),
      [codes.ADDRESS_SYNTAX, codes.ENVELOPE_BAD_ADDRESS],
    );
  });

  it('a From the parser refuses: its problem only, no "no sender" besides', () => {
    const problems = problemsOf(doc('From: a@@x.example', 'To: b@x.example'));
    assert.ok(problems.length > 0);
    assert.ok(problems.every(isCopiedParseProblem), JSON.stringify(problems));
  });

  it('two quoted local parts that differ only in case are two mailboxes, each refused', () => {
    const problems = problemsOf(doc('From: a@x.example', 'To: "a@B"@x.example, "a@b"@X.example'));
    assert.deepEqual(
      problems.map((p) => p.message.slice(0, 'To: <"a@B"@x.example>'.length)),
      ['To: <"a@B"@x.example>', 'To: <"a@b"@X.example>'],
    );
  });

  it('no recipient at all: the message says whether the profile defaults named none', () => {
    const noField = { code: codes.ENVELOPE_NO_RECIPIENTS, severity: 'error', message: 'no recipients: add a To, Cc or Bcc field (or a profile default)', range: ZERO };
    assert.deepEqual(problemsOf(doc('From: a@x.example')), [noField]);
    assert.deepEqual(problemsOf(doc('From: a@x.example'), { to: '  ', cc: '' }), [noField]);
    assert.deepEqual(problemsOf(doc('From: a@x.example', 'To: (nobody)')), [noField]);
    assert.deepEqual(problemsOf(doc('From: a@x.example', 'To: undisclosed-recipients:;')), [noField]);
    for (const key of ['to', 'cc', 'bcc'] as const) {
      assert.deepEqual(problemsOf(doc('From: a@x.example'), { [key]: 'undisclosed-recipients:;' }), [
        { code: codes.ENVELOPE_NO_RECIPIENTS, severity: 'error', message: 'no recipients: the profile defaults name no address', range: ZERO },
      ]);
    }
  });

  it('refused recipients: exactly 20 are listed; one over, the rest are counted in one problem spanning them', () => {
    const bad = (n: number) => `"r ${n}"@x.example`;
    const list = (count: number) => Array.from({ length: count }, (_, i) => bad(i + 1)).join(', ');

    const twenty = problemsOf(doc('From: a@x.example', `To: ${list(20)}`));
    assert.equal(twenty.length, 20);
    assert.ok(twenty.every((p) => p.code === codes.ENVELOPE_BAD_ADDRESS));

    const text = doc('From: a@x.example', `To: ${list(23)}`);
    const over = problemsOf(text);
    assert.equal(over.length, 21);
    assert.ok(over.slice(0, 20).every((p) => p.code === codes.ENVELOPE_BAD_ADDRESS));
    assert.deepEqual(over[20], {
      code: codes.TOO_MANY_PROBLEMS,
      severity: 'error',
      message: 'To: 3 more addresses cannot be sent (only the first 20 are listed)',
      range: { start: rangeIn(text, bad(21)).start, end: rangeIn(text, bad(23)).end },
    });

    const fromDefault = problemsOf(doc('From: a@x.example'), { bcc: list(21) });
    assert.equal(fromDefault.length, 21);
    assert.deepEqual(fromDefault[20], {
      code: codes.TOO_MANY_PROBLEMS,
      severity: 'error',
      message: 'profile default "bcc": 1 more addresses cannot be sent (only the first 20 are listed)',
      range: ZERO,
    });
  });
});

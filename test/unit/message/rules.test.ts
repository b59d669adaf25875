import * as assert from 'node:assert/strict';
import { codes, rules, validateMessage } from '../../../src/core/message';
import { applyFix, codesOf, crlf, message } from './helpers';

interface RuleCase {
  code: string;
  /** A document that shows the problem. */
  bad: string | Uint8Array;
  /** The same kind of document without it. */
  good: string | Uint8Array;
  severity: string;
  /** Applying the first fix removes the problem. */
  fixes?: boolean;
  options?: Parameters<typeof validateMessage>[1];
}

const bigBase64 = 'QUJD'.repeat(19) + '\r\n';

const cases: RuleCase[] = [
  { code: codes.MISSING_FROM, bad: message({ From: null }), good: message(), severity: 'error', fixes: true },
  {
    code: codes.MISSING_RECIPIENTS,
    bad: message({ To: null }),
    good: message({ To: null, Bcc: 'hidden@example.org' }),
    severity: 'error',
    fixes: true,
  },
  { code: codes.MISSING_SUBJECT, bad: message({ Subject: null }), good: message(), severity: 'warning', fixes: true },
  { code: codes.MISSING_DATE, bad: message({ Date: null }), good: message(), severity: 'hint', fixes: true },
  { code: codes.MISSING_MESSAGE_ID, bad: message({ 'Message-ID': null }), good: message(), severity: 'hint', fixes: true },
  {
    code: codes.DUPLICATE_FIELD,
    bad: message({ Subject: 'One\r\nSubject: Two' }),
    good: message({ Subject: 'One\r\nComments: Two' }),
    severity: 'error',
    fixes: true,
  },
  {
    code: codes.FROM_NEEDS_SENDER,
    bad: message({ From: 'a@example.com, b@example.com' }),
    good: message({ From: 'a@example.com, b@example.com', Sender: 'a@example.com' }),
    severity: 'error',
    fixes: true,
  },
  {
    code: codes.SENDER_NOT_SINGLE,
    bad: message({ Sender: 'a@example.com, b@example.com' }),
    good: message({ Sender: 'a@example.com' }),
    severity: 'error',
  },
  {
    code: codes.ENVELOPE_BAD_ADDRESS,
    bad: message({ To: '"john doe"@example.org' }),
    good: message({ To: '"john.doe"@example.org' }),
    severity: 'error',
  },
  {
    code: codes.DEFAULTS_BAD_ADDRESS,
    bad: message({ To: null }),
    good: message(),
    severity: 'error',
    options: { defaults: { to: 'a@example.org, b@' } },
  },
  {
    code: codes.ENVELOPE_NO_SENDER,
    bad: message({ From: null }),
    good: message(),
    severity: 'error',
    options: { defaults: { from: 'undisclosed-senders:;' } },
  },
  {
    code: codes.ENVELOPE_NO_RECIPIENTS,
    bad: message({ To: null }),
    good: message(),
    severity: 'error',
    options: { defaults: { to: 'undisclosed-recipients:;' } },
  },
  {
    code: codes.TOO_MANY_PROBLEMS,
    bad: message({ To: 'x, '.repeat(30) + 'a@example.org' }),
    good: message({ To: 'x, a@example.org' }),
    severity: 'error',
  },
  {
    code: codes.DEFAULTS_CONTROL_CHAR,
    bad: message({ Subject: null }),
    good: message(),
    severity: 'error',
    options: { defaults: { subject: 'Hello\r\nX-Injected: yes' } },
  },
  { code: codes.BCC_REMOVED, bad: message({ Bcc: 'x@example.org' }), good: message(), severity: 'hint' },
  { code: codes.ADDRESS_SYNTAX, bad: message({ To: 'Bob bob@example.org' }), good: message({ To: 'Bob <bob@example.org>' }), severity: 'error', fixes: true },
  {
    code: codes.ADDRESS_EMPTY_ENTRY,
    bad: message({ To: 'a@example.org, , b@example.org' }),
    good: message({ To: 'a@example.org, b@example.org' }),
    severity: 'warning',
  },
  {
    code: codes.ADDRESS_SEMICOLON,
    bad: message({ To: 'a@example.org; b@example.org' }),
    good: message({ To: 'a@example.org, b@example.org' }),
    severity: 'warning',
    fixes: true,
  },
  { code: codes.ADDRESS_EMPTY_LIST, bad: message({ Cc: '' }), good: message({ Cc: 'c@example.org' }), severity: 'warning', fixes: true },
  {
    code: codes.ADDRESS_NEEDS_SMTPUTF8,
    bad: message({ To: 'jörg@example.org' }),
    good: message({ To: 'joerg@example.org' }),
    severity: 'info',
  },
  { code: codes.ADDRESS_IDN, bad: message({ To: 'info@bücher.de' }), good: message({ To: 'info@xn--bcher-kva.de' }), severity: 'hint' },
  {
    code: codes.HEADER_NO_COLON,
    bad: crlf('From: a@example.com', 'To: b@example.org', 'Subject: s', 'Hello there', 'More body'),
    good: crlf('From: a@example.com', 'To: b@example.org', 'Subject: s', '', 'Hello there', 'More body'),
    severity: 'error',
    fixes: true,
  },
  {
    code: codes.HEADER_CONTINUATION_FIRST,
    bad: ' folded: first\r\n' + message(),
    good: message(),
    severity: 'error',
    fixes: true,
  },
  {
    code: codes.MBOX_FROM_LINE,
    bad: 'From alice@example.com Mon Nov 23 09:15:00 2026\r\n' + message(),
    good: message(),
    severity: 'error',
    fixes: true,
  },
  { code: codes.FIELD_NAME_ILLEGAL, bad: message({ 'X Note': 'hi' }), good: message({ 'X-Note': 'hi' }), severity: 'error' },
  { code: codes.SPACE_BEFORE_COLON, bad: message({ 'X-Note ': 'hi' }), good: message({ 'X-Note': 'hi' }), severity: 'error', fixes: true },
  { code: codes.HEADER_NON_ASCII, bad: message({ Subject: 'Grüße' }), good: message({ Subject: '=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=' }), severity: 'hint', fixes: true },
  // Text no encoding can carry (a non-ASCII local part) needs an SMTPUTF8 server: worth an info, not a hint.
  { code: codes.HEADER_NON_ASCII, bad: message({ To: 'jörg@example.org' }), good: message({ To: 'joerg@example.org' }), severity: 'info' },
  { code: codes.HEADER_CONTROL_CHAR, bad: message({ Subject: 'a\u0000b' }), good: message({ Subject: 'ab' }), severity: 'error', fixes: true },
  {
    code: codes.HEADER_CONTROL_CHAR,
    bad: message({ To: 'b@example.org\rBcc: c@example.org' }),
    good: message({ To: 'b@example.org\r\nBcc: c@example.org' }),
    severity: 'error',
    fixes: true,
  },
  {
    code: codes.HEADER_INJECTION,
    bad: message({ Subject: 'Invoice\r\n Bcc: victim@example.net' }),
    good: message({ Subject: 'Invoice for\r\n November' }),
    severity: 'warning',
  },
  {
    code: codes.EMPTY_FOLDED_LINE,
    bad: message({ Subject: 'Invoice\r\n \r\n November' }),
    good: message({ Subject: 'Invoice\r\n November' }),
    severity: 'warning',
  },
  {
    code: codes.LINE_TOO_LONG,
    bad: message({}, 'x'.repeat(999) + '\r\n'),
    good: message({}, 'x'.repeat(998) + '\r\n'),
    severity: 'error',
  },
  { code: codes.LINE_OVER_78, bad: message({}, 'x'.repeat(79) + '\r\n'), good: message({}, 'x'.repeat(78) + '\r\n'), severity: 'hint' },
  { code: codes.BARE_LF, bad: message().replace(/\r\n/g, '\n'), good: message(), severity: 'hint', fixes: true },
  { code: codes.BARE_CR, bad: message({}, 'one\rtwo\r\n'), good: message({}, 'one\r\ntwo\r\n'), severity: 'warning', fixes: true },
  { code: codes.BOM, bad: '\uFEFF' + message(), good: message(), severity: 'warning', fixes: true },
  {
    code: codes.INVALID_UTF8,
    bad: Buffer.concat([Buffer.from(message({}, 'caf')), Buffer.from([0xe9, 0x0d, 0x0a])]),
    good: Buffer.from(message({ 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': '8bit' }, 'café\r\n')),
    severity: 'warning',
  },
  {
    code: codes.BODY_8BIT_UNDECLARED,
    bad: message({}, 'café\r\n'),
    good: message({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': '8bit' }, 'café\r\n'),
    severity: 'warning',
    fixes: true,
  },
  { code: codes.BODY_NUL, bad: message({}, 'a\u0000b\r\n'), good: message({}, 'ab\r\n'), severity: 'warning' },
  {
    code: codes.MIME_BOUNDARY_MISSING,
    bad: message({ 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed' }, 'x\r\n'),
    good: message({ 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary=b1' }, '--b1\r\n\r\nx\r\n--b1--\r\n'),
    severity: 'error',
  },
  {
    code: codes.MIME_BOUNDARY_UNUSED,
    bad: message({ 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary=b1' }, '--b2\r\n\r\nx\r\n--b2--\r\n'),
    good: message({ 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary=b1' }, '--b1\r\n\r\nx\r\n--b1--\r\n'),
    severity: 'error',
  },
  {
    code: codes.MIME_UNTERMINATED,
    bad: message({ 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary="b 1"' }, '--b 1\r\n\r\n' + bigBase64),
    good: message({ 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary="b 1"' }, '--b 1\r\n\r\n' + bigBase64 + '--b 1--\r\n'),
    severity: 'warning',
    fixes: true,
  },
];

describe('message rules', () => {
  it('every problem code of every rule has a case here', () => {
    const covered = new Set(cases.map((c) => c.code));
    const missing = rules.flatMap((r) => r.codes).filter((code) => !covered.has(code));
    assert.deepEqual(missing, []);
  });

  it('the base document has no problems at all', () => {
    assert.deepEqual(validateMessage(message()), []);
  });

  for (const c of cases) {
    describe(c.code, () => {
      it(`reports ${c.code} as ${c.severity} on the failing document`, () => {
        const problems = validateMessage(c.bad, c.options);
        const found = problems.filter((p) => p.code === c.code);
        assert.ok(found.length > 0, `expected ${c.code}, got ${codesOf(problems).join(', ') || 'nothing'}`);
        for (const p of found) assert.equal(p.severity, c.severity);
      });
      it('does not report it on the passing document', () => {
        const problems = validateMessage(c.good, c.options);
        assert.ok(!codesOf(problems).includes(c.code), `unexpected ${c.code}: ${JSON.stringify(problems.filter((p) => p.code === c.code))}`);
      });
      if (c.fixes && typeof c.bad === 'string') {
        const bad = c.bad;
        it('its first fix removes the problem', () => {
          const problem = validateMessage(bad, c.options).find((p) => p.code === c.code);
          assert.ok(problem?.fixes?.length, 'the problem offers a fix');
          const fixed = applyFix(bad, problem.fixes[0]);
          const after = validateMessage(fixed, c.options).filter((p) => p.code === c.code);
          assert.deepEqual(after, [], `still there after the fix:\n${JSON.stringify(fixed)}`);
        });
      }
    });
  }

  it('profile defaults stand in for a missing From and missing recipients', () => {
    const doc = message({ From: null, To: null });
    const found = codesOf(validateMessage(doc, { defaults: { from: 'a@example.com', to: 'b@example.org' } }));
    assert.ok(!found.includes(codes.MISSING_FROM));
    assert.ok(!found.includes(codes.MISSING_RECIPIENTS));
  });

  it('adds missing fields above a line with no colon, not below it', () => {
    const doc = crlf('From: a@example.com', 'To: b@example.org', 'Hello there', '');
    const problem = validateMessage(doc).find((p) => p.code === codes.MISSING_SUBJECT);
    assert.ok(problem?.fixes);
    assert.equal(applyFix(doc, problem.fixes[0]), crlf('From: a@example.com', 'To: b@example.org', 'Subject: ', 'Hello there', ''));
  });

  it('points at the exact bad address in a folded list', () => {
    const doc = message({ To: 'good@example.org,\r\n bad@@example.org, also@example.org' });
    const problem = validateMessage(doc).find((p) => p.code === codes.ADDRESS_SYNTAX);
    assert.ok(problem);
    assert.deepEqual(problem.range, { start: { line: 2, character: 1 }, end: { line: 2, character: 17 } });
  });

  it('a group in a folded address line is not taken for an injection', () => {
    const doc = message({ To: 'a@example.org,\r\n Friends: b@example.org, c@example.org;' });
    assert.deepEqual(validateMessage(doc), []);
  });

  it('a Subject folded before "Re:" is not taken for an injection', () => {
    assert.deepEqual(validateMessage(message({ Subject: 'Fwd:\r\n Re: lunch' })), []);
  });

  it('To and Cc that name no one (only an empty group) count as no recipients', () => {
    const problems = validateMessage(message({ To: 'undisclosed-recipients:;', Cc: '' }));
    assert.ok(codesOf(problems).includes(codes.MISSING_RECIPIENTS));
    assert.ok(!codesOf(validateMessage(message({ To: 'undisclosed-recipients:;', Bcc: 'b@example.org' }))).includes(codes.MISSING_RECIPIENTS));
  });

  it('a folded "Bcc:" line inside To is flagged as a possible injection', () => {
    const doc = message({ To: 'a@example.org,\r\n Bcc: b@example.org' });
    assert.ok(codesOf(validateMessage(doc)).includes(codes.HEADER_INJECTION));
  });

  it('an undeclared 8-bit part of a multipart body is reported in that part', () => {
    const body = crlf('--b1', 'Content-Type: text/plain; charset=utf-8', '', 'plain', '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'café', '--b1--', '');
    const problems = validateMessage(message({ 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary=b1' }, body));
    const p = problems.find((x) => x.code === codes.BODY_8BIT_UNDECLARED);
    assert.ok(p);
    assert.equal(p.range.start.line, 15);
  });

  describe('nested multiparts', () => {
    const outer = { 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary=outer' };
    const nested = (inner: string[], innerType = 'multipart/alternative; boundary=inner'): string =>
      crlf('--outer', `Content-Type: ${innerType}`, '', ...inner, '--outer', 'Content-Type: text/plain', '', 'attachment', '--outer--', '');

    it('accepts a well-formed nested multipart with an 8-bit leaf that declares itself', () => {
      const body = nested(['--inner', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', 'café', '--inner--']);
      assert.deepEqual(validateMessage(message(outer, body)), []);
    });

    it('reports an unterminated nested part at its delimiter', () => {
      const body = nested(['--inner', 'Content-Type: text/plain', '', 'text']);
      const problem = validateMessage(message(outer, body)).find((p) => p.code === codes.MIME_UNTERMINATED);
      assert.ok(problem);
      assert.match(problem.message, /"--inner--".*nested/);
      assert.equal(problem.range.start.line, 11);
    });

    it('reports a nested multipart without a boundary, at the part header', () => {
      const body = nested(['text'], 'multipart/alternative');
      const problem = validateMessage(message(outer, body)).find((p) => p.code === codes.MIME_BOUNDARY_MISSING);
      assert.ok(problem);
      assert.equal(problem.range.start.line, 9);
    });

    it('reports an undeclared 8-bit leaf, not the multipart part that holds it', () => {
      const body = nested(['--inner', 'Content-Type: text/plain; charset=utf-8', '', 'café', '--inner--']);
      const problems = validateMessage(message(outer, body)).filter((p) => p.code === codes.BODY_8BIT_UNDECLARED);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].range.start.line, 14);
    });
  });

  it('every range lies inside the document and problems come in document order', () => {
    const doc = '\uFEFFX Bad: 1\nTo: a@@b\r\nSubject: é\u0001\rno colon\n\nbody é' + 'x'.repeat(1200);
    const problems = validateMessage(doc);
    assert.ok(problems.length > 5);
    const lines = doc.split(/\r\n|\r|\n/);
    for (const p of problems) {
      for (const pos of [p.range.start, p.range.end]) {
        assert.ok(pos.line < lines.length && pos.character <= lines[pos.line].length, `${p.code} ${JSON.stringify(pos)}`);
      }
    }
    const keys = problems.map((p) => p.range.start.line * 1e6 + p.range.start.character);
    assert.deepEqual(keys, [...keys].sort((a, b) => a - b));
  });
});

// Issue #11: "check and prepare disagree ... Whatever would refuse the send must be a diagnostic, from
// the same code." The envelope checks run as a rule, so the linter and the editor see what prepare sees.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { codes, prepareMessage, validateMessage } from '../../../src/core/message';
import type { ValidateOptions } from '../../../src/core/message';
import { recordingIo } from '../cli/checkIo';
import { codesOf, crlf, message } from './helpers';

/** check's errors and prepare's refusal, which must agree; returns both for further looks. */
function both(doc: string, options: ValidateOptions = {}) {
  const checked = validateMessage(doc, options);
  const prepared = prepareMessage(doc, options);
  assert.equal(
    checked.some((p) => p.severity === 'error'),
    !prepared.ok,
    `check and prepare disagree: ${JSON.stringify({ checked: codesOf(checked), prepared: codesOf(prepared.problems) })}`,
  );
  return { checked, prepared };
}

describe('envelope checks are diagnostics (rule envelope-bad-address)', () => {
  it('reports a quoted local part with a space at the address, with the reason, in check and in prepare', () => {
    const doc = message({ To: 'Bob <bob@example.org>, "john doe"@example.com' });
    const { checked, prepared } = both(doc);
    const problem = checked.find((p) => p.code === codes.ENVELOPE_BAD_ADDRESS);
    assert.ok(problem, codesOf(checked).join(', '));
    assert.equal(problem.severity, 'error');
    assert.deepEqual(problem.range, { start: { line: 1, character: 27 }, end: { line: 1, character: 49 } });
    assert.match(problem.message, /"john doe"@example\.com.*valid.*space/);
    assert.equal(prepared.ok, false);
    const fromPrepare = prepared.problems.filter((p) => p.code === codes.ENVELOPE_BAD_ADDRESS);
    assert.deepEqual(fromPrepare, [problem], 'the same problem, once');
  });

  it('the CLI check exits 1 on it, as prepare does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailsmith-envelope-rule-'));
    try {
      const file = join(dir, 'quoted.eml');
      writeFileSync(file, message({ To: '"john doe"@example.com' }));
      const check = recordingIo();
      assert.equal(await main(['check', file], check), 1);
      assert.match(check.out, /:2:5 error envelope-bad-address /);
      const prepare = recordingIo();
      assert.equal(await main(['prepare', file], prepare), 1);
      assert.match(prepare.err, /:2:5 error envelope-bad-address /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports the sender (MAIL FROM) as well', () => {
    const { checked } = both(message({ From: '"the boss"@example.com' }));
    assert.ok(checked.some((p) => p.code === codes.ENVELOPE_BAD_ADDRESS && /MAIL FROM/.test(p.message)));
  });

  it('reports profile defaults that cannot be used, when the editor passes them', () => {
    const defaults = { to: '"john doe"@example.com' };
    const { checked } = both(message({ To: null }), { defaults });
    assert.ok(checked.some((p) => p.code === codes.ENVELOPE_BAD_ADDRESS && /profile default/.test(p.message)), codesOf(checked).join(', '));
    const unreadable = both(message({ To: null }), { defaults: { to: 'a@example.org, b@' } });
    assert.ok(unreadable.checked.some((p) => p.code === codes.DEFAULTS_BAD_ADDRESS));
  });

  it('a default that names no one, and a From of only an empty entry, are errors in check too', () => {
    assert.ok(both(message({ To: null }), { defaults: { to: 'undisclosed-recipients:;' } }).checked.some((p) => p.severity === 'error'));
    assert.ok(both(message({ From: ',' })).checked.some((p) => p.severity === 'error'));
    assert.ok(both(message({ From: null }), { defaults: { from: 'a@example.com, b@example.com' } }).checked.some((p) => p.severity === 'error'));
  });

  it('a From or Sender that holds a group is an error (RFC 5322 section 3.6.2: mailboxes only)', () => {
    const { checked } = both(message({ From: 'Team: a@example.com;' }));
    assert.ok(checked.some((p) => p.code === codes.ADDRESS_SYNTAX && /group/.test(p.message)), JSON.stringify(checked));
  });

  it('says nothing more for a valid message', () => {
    assert.deepEqual(both(message({ Cc: '"john.doe"@example.com', Bcc: 'x@[192.0.2.1]' })).checked, [
      { code: codes.BCC_REMOVED, severity: 'hint', message: 'Bcc recipients receive the message, but this field is removed before sending so no one sees it', range: { start: { line: 6, character: 0 }, end: { line: 6, character: 3 } } },
    ]);
  });
});

describe('RFC 5322 Appendix A.5: comments and white space', () => {
  const a5 = crlf(
    'From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>',
    'To:A Group(Some people)',
    '     :Chris Jones <c@(Chris\'s host.)public.example>,',
    '         joe@example.org,',
    '  John <jdoe@one.test> (my dear friend); (the end of the group)',
    'Cc:(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;',
    'Date: Thu,',
    '      13',
    '        Feb',
    '          1969',
    '      23:32',
    '               -0330 (Newfoundland Time)',
    'Message-ID:              <testabcd.1234@silly.test>',
    '',
    'Testing.',
  );

  it('is accepted, and the envelope holds the addresses without their comments', () => {
    const { checked, prepared } = both(a5);
    assert.deepEqual(
      checked.filter((p) => p.severity === 'error'),
      [],
    );
    assert.ok(prepared.ok);
    assert.deepEqual(prepared.message.envelope, {
      from: 'pete@silly.test',
      to: ['c@public.example', 'joe@example.org', 'jdoe@one.test'],
    });
  });

  it('comments around "@" and after the domain are fine; white space or comments inside a dot-atom are obsolete and refused', () => {
    assert.ok(both(message({ To: 'john(comment)@(comment)example.org(comment)' })).prepared.ok);
    assert.ok(both(message({ To: '(lead) john @ example.org' })).prepared.ok);
    for (const obsolete of ['john . doe@example.org', 'john.doe@example (comment) .org', 'John Doe <jdoe@machine(comment).  example>', 'Mary <@node.test:mary@example.net>']) {
      const { checked } = both(message({ To: obsolete }));
      const error = checked.find((p) => p.code === codes.ADDRESS_SYNTAX);
      assert.ok(error, obsolete);
      assert.match(error.message, /obsolete/, obsolete);
    }
  });
});

describe('RFC 2231 boundary parameters', () => {
  const mixed = (contentType: string, boundary = 'b1'): string =>
    message({ 'MIME-Version': '1.0', 'Content-Type': contentType }, crlf(`--${boundary}`, 'Content-Type: text/plain', '', 'hello', `--${boundary}--`, ''));

  for (const contentType of [
    "multipart/mixed; boundary*=utf-8''b1",
    "multipart/mixed; boundary*=utf-8''b%31",
    "multipart/mixed; boundary*=''b1",
    "multipart/mixed; boundary*=us-ascii'en'b1",
    'multipart/mixed; boundary*0="b"; boundary*1="1"',
    "multipart/mixed; boundary*0*=us-ascii''b; boundary*1=1",
    'multipart/mixed;\r\n boundary*0*=us-ascii\'\'b;\r\n boundary*1*=%31',
  ]) {
    it(`understands ${JSON.stringify(contentType)}`, () => {
      const { checked, prepared } = both(mixed(contentType));
      assert.deepEqual(codesOf(checked), []);
      assert.ok(prepared.ok);
    });
  }

  it('still reports a boundary given with RFC 2231 that the body does not use', () => {
    const problems = validateMessage(mixed("multipart/mixed; boundary*=utf-8''b2"));
    const unused = problems.find((p) => p.code === codes.MIME_BOUNDARY_UNUSED);
    assert.ok(unused);
    assert.match(unused.message, /"--b2"/);
  });

  it('keeps a literal boundary that looks like an encoded word as it is', () => {
    const { checked } = both(mixed('multipart/mixed; boundary="=?utf-8?Q?b1?="', '=?utf-8?Q?b1?='));
    assert.deepEqual(codesOf(checked), []);
  });
});

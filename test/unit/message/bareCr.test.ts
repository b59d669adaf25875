// Issue #10 item 9: a bare CR inside a header used to split the field, so `To: a@x<CR>Bcc: evil@y`
// sent a blind copy that mailparser and postal-mime (which read one To) never show. In the header block
// a lone CR is now a character of the field (an error), never a field boundary; in the body it stays a
// line break that is sent as CRLF (a warning).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { main } from '../../../src/cli/main';
import { codes, deriveEnvelope, prepareMessage, scanMessage, validateMessage } from '../../../src/core/message';
import { recordingIo } from '../cli/checkIo';
import { applyFix, codesOf, message } from './helpers';

const SMUGGLED = 'From: a@example.com\r\nTo: a@x.example\rBcc: evil@y.example\r\nSubject: s\r\nDate: Mon, 23 Nov 2026 09:15:00 +0000\r\nMessage-ID: <m@example.com>\r\n\r\nbody\r\n';

describe('a bare CR in the header block', () => {
  it('is a character of the field, not a field boundary; positions still count it as a line break like VS Code', () => {
    const s = scanMessage(SMUGGLED);
    assert.deepEqual(
      s.fields.map((f) => f.key),
      ['from', 'to', 'subject', 'date', 'message-id'],
    );
    const to = s.fields[1];
    assert.equal(to.value, ' a@x.example\rBcc: evil@y.example');
    assert.equal(to.lines.length, 1, 'one header line');
    assert.equal(s.bareCrsInHeader, 1);
    assert.equal(s.firstHeaderBareCr, SMUGGLED.indexOf('\r', SMUGGLED.indexOf('To:')));
    // The editor shows "Bcc: evil@y.example" on a line of its own: ranges use its lines.
    assert.deepEqual(to.range, { start: { line: 1, character: 0 }, end: { line: 2, character: 19 } });
    assert.deepEqual(to.lines[0].range, to.range);
    assert.equal(s.fields[2].range.start.line, 3);
    assert.deepEqual(s.lineEndings, { crlf: 7, lf: 0, cr: 1 });
    assert.equal(s.firstBareCr, undefined, 'no bare CR line ending in the body');
  });

  it('is an error (header-control-char) at the CR, so check fails and prepare refuses', () => {
    const problems = validateMessage(SMUGGLED);
    const cr = problems.find((p) => p.code === codes.HEADER_CONTROL_CHAR);
    assert.ok(cr, codesOf(problems).join(', '));
    assert.equal(cr.severity, 'error');
    assert.match(cr.message, /bare CR/);
    assert.deepEqual(cr.range.start, { line: 1, character: 15 });
    assert.ok(!codesOf(problems).includes(codes.BCC_REMOVED), 'there is no Bcc field');
    const prepared = prepareMessage(SMUGGLED);
    assert.equal(prepared.ok, false);
    assert.ok(prepared.problems.some((p) => p.code === codes.HEADER_CONTROL_CHAR));
    const envelope = deriveEnvelope(scanMessage(SMUGGLED));
    assert.equal(envelope.ok, false);
    assert.doesNotMatch(JSON.stringify(envelope), /"evil@y\.example"/);
  });

  it('agrees with postal-mime, which reads one To and no Bcc', async () => {
    const parsed = await PostalMime.parse(SMUGGLED);
    assert.equal(parsed.bcc, undefined);
    assert.equal(parsed.headers.filter((h) => h.key === 'to').length, 1);
    assert.equal(scanMessage(SMUGGLED).fields.filter((f) => f.key === 'to').length, 1);
  });

  it('makes the CLI check exit 1 and prepare refuse, with nothing printed for evil@y.example', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailsmith-bare-cr-'));
    try {
      const file = join(dir, 'smuggled.eml');
      writeFileSync(file, SMUGGLED);
      const check = recordingIo();
      assert.equal(await main(['check', file], check), 1);
      assert.match(check.out, /:2:16 error header-control-char To holds a bare CR/);
      const prepare = recordingIo();
      assert.equal(await main(['prepare', file], prepare), 1);
      assert.doesNotMatch(prepare.out, /RCPT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [what, value] of [
    ['before whitespace (not a fold)', 'a@x.example\r Bcc: evil@y.example'],
    ['inside a quoted string', '"a\rb"@x.example'],
    ['inside a comment', 'a@x.example (note\rBcc: evil@y.example)'],
    ['before the CRLF that ends the line', 'a@x.example\r'],
  ]) {
    it(`is refused ${what}`, () => {
      const doc = message({ To: value });
      assert.ok(validateMessage(doc).some((p) => p.code === codes.HEADER_CONTROL_CHAR && p.severity === 'error'));
      assert.equal(prepareMessage(doc).ok, false);
    });
  }

  it('in a Subject, is an error too (every header field)', () => {
    const doc = message({ Subject: 'Invoice\rBcc: evil@y.example' });
    assert.ok(validateMessage(doc).some((p) => p.code === codes.HEADER_CONTROL_CHAR && p.severity === 'error'));
    assert.equal(prepareMessage(doc).ok, false);
  });

  it('a file with only CR line endings (classic Mac OS) is refused, with a fix that makes them CRLF', () => {
    const doc = message().replace(/\r\n/g, '\r');
    const problems = validateMessage(doc);
    const cr = problems.find((p) => p.code === codes.HEADER_CONTROL_CHAR);
    assert.ok(cr?.fixes?.length, JSON.stringify(problems));
    assert.equal(prepareMessage(doc).ok, false);
    const fixed = applyFix(doc, cr.fixes[0]);
    assert.equal(fixed, message());
    assert.deepEqual(validateMessage(fixed), []);
  });

  it('an inserted field uses CRLF, never a bare CR, even in a document that has more CRs than CRLFs', () => {
    const doc = 'From: a@example.com\r\nTo: b@example.org\r\n\r\none\rtwo\rthree\rfour\r';
    const problem = validateMessage(doc).find((p) => p.code === codes.MISSING_SUBJECT);
    assert.ok(problem?.fixes?.length);
    const fixed = applyFix(doc, problem.fixes[0]);
    assert.ok(fixed.startsWith('From: a@example.com\r\nTo: b@example.org\r\nSubject: \r\n\r\n'), JSON.stringify(fixed));
  });
});

describe('a bare CR in the body', () => {
  // Safe to send: prepare turns every body line break into CRLF before the transport dot-stuffs, so
  // the receiver reads the same lines (and MIME structure) the rules checked, and "\r.\r" cannot end DATA.
  const doc = message({}, 'line one\rline two\r.\rend\r\n');

  it('stays a line break, reported as a warning', () => {
    const problems = validateMessage(doc);
    assert.deepEqual(codesOf(problems), [codes.BARE_CR]);
    assert.equal(problems[0].severity, 'warning');
    assert.match(problems[0].message, /^3 line\(s\) of the body end with a bare CR/);
  });

  it('is sent as CRLF, so "\\r.\\r" becomes a dot line the transport stuffs', () => {
    const prepared = prepareMessage(doc);
    assert.ok(prepared.ok);
    const raw = prepared.message.raw.toString('latin1');
    assert.ok(raw.endsWith('\r\n\r\nline one\r\nline two\r\n.\r\nend\r\n'), JSON.stringify(raw));
    assert.equal(raw.replace(/\r\n/g, '').search(/[\r\n]/), -1);
  });
});

describe('a line break in a profile default', () => {
  // prepare writes a default Subject into the header as it is: a CR or LF there would end the field.
  const doc = 'From: a@example.com\r\nTo: b@example.org\r\nDate: Mon, 23 Nov 2026 09:15:00 +0000\r\nMessage-ID: <m@example.com>\r\n\r\nbody\r\n';

  for (const subject of ['Hi\rX-Evil: 1', 'Hi\r\nX-Evil: 1', 'Hi\nBcc: evil@y.example', 'Hi\u0000']) {
    it(`refuses the default subject ${JSON.stringify(subject)} in check and prepare`, () => {
      const defaults = { subject };
      const problem = validateMessage(doc, { defaults }).find((p) => p.code === codes.DEFAULTS_CONTROL_CHAR);
      assert.ok(problem, 'check reports it');
      assert.equal(problem.severity, 'error');
      assert.match(problem.message, /profile default "subject"/);
      const prepared = prepareMessage(doc, { defaults });
      assert.equal(prepared.ok, false);
    });
  }

  it('accepts a default subject that only ends with a line break (prepare trims it)', () => {
    assert.deepEqual(codesOf(validateMessage(doc, { defaults: { subject: 'Report\n' } })), []);
    const prepared = prepareMessage(doc, { defaults: { subject: 'Report\n' } });
    assert.ok(prepared.ok);
    assert.match(prepared.message.raw.toString(), /\r\nSubject: Report\r\n/);
  });

  it('says nothing when the document has its own Subject (the default is not used)', () => {
    const problems = validateMessage(message(), { defaults: { subject: 'Hi\r\nX-Evil: 1' } });
    assert.deepEqual(codesOf(problems), []);
    assert.ok(prepareMessage(message(), { defaults: { subject: 'Hi\r\nX-Evil: 1' } }).ok);
  });

  it('refuses a line break in a default address list too', () => {
    const defaults = { to: 'b@example.org\r\nX-Evil: 1' };
    const doc = message({ To: null });
    assert.ok(validateMessage(doc, { defaults }).some((p) => p.code === codes.DEFAULTS_BAD_ADDRESS));
    assert.equal(prepareMessage(doc, { defaults }).ok, false);
  });
});

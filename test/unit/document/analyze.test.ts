// One analysis per document version: the text is scanned once, the rules run once, each address list is
// parsed once and each named file looked at once, whatever asks next (diagnostics, code actions, dry run,
// send). The counts are the core's own instruments (src/core/probe.ts).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDocument } from '../../../src/core/document/analyze';
import { countWorkOf } from '../../../src/core/probe';

const PLAIN = ['From: Ann <ann@example.com>', 'To: Bob <bob@example.org>, carol@example.org', 'Cc: dan@example.net', 'Bcc: eve@example.net', 'Subject: Counts', '', 'Hello.', ''].join('\r\n');

describe('analyzeDocument: one analysis per document version', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-analyze-'));
    mkdirSync(join(dir, 'img'));
    writeFileSync(join(dir, 'report.txt'), 'Figures: 1, 2, 3.\n');
    writeFileSync(join(dir, 'img', 'logo.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a plain message: one scan, one rule run, each address field parsed once, through check, prepare and a second prepare', async () => {
    const { result: analysis, counts } = await countWorkOf(async () => {
      const a = await analyzeDocument(PLAIN, { baseDir: dir });
      assert.equal(a.sendable, true, JSON.stringify(a.problems));
      const first = await a.prepare(new Date('2026-11-30T10:00:00Z'));
      const second = await a.prepare(new Date('2026-11-30T10:05:00Z'));
      assert.ok(first.ok && second.ok);
      assert.match(first.message.raw.toString(), /^Date: Mon, 30 Nov 2026 10:00:00/m);
      assert.match(second.message.raw.toString(), /^Date: Mon, 30 Nov 2026 10:05:00/m, 'each prepare dates the message when it is called');
      assert.deepEqual(first.message.envelope.to, ['bob@example.org', 'carol@example.org', 'dan@example.net', 'eve@example.net']);
      assert.deepEqual(first.message.blindRecipients, ['eve@example.net']);
      assert.equal(first.message.subject, 'Counts');
      return a;
    });
    assert.equal(counts.scan, 1, 'scanned once');
    assert.equal(counts.validate, 1, 'checked once');
    assert.equal(counts.addressList, 4, 'From, To, Cc and Bcc parsed once each');
    assert.equal(counts.fileStat, 0);
    assert.equal(analysis.files.length, 0);
  });

  it('a composed message: the files are looked at once and composed once, however often the bytes are asked for', async () => {
    const text = ['From: ann@example.com', 'To: bob@example.org', 'Subject: Launch', 'Content-Type: text/markdown', 'Attach: report.txt', '', '# Launch', '', '![logo](img/logo.png)', ''].join('\n');
    const { counts } = await countWorkOf(async () => {
      const a = await analyzeDocument(text, { baseDir: dir });
      assert.equal(a.sendable, true, JSON.stringify(a.problems));
      assert.deepEqual(
        a.files.map((f) => [f.ref.path, f.state.status, 'size' in f.state ? f.state.size : -1]),
        [
          ['report.txt', 'ok', 18],
          ['img/logo.png', 'ok', 8],
        ],
      );
      const [x, y] = [await a.prepare(new Date(0)), await a.prepare(new Date(0))];
      assert.ok(x.ok && y.ok);
      assert.ok(x.message.raw.equals(y.message.raw));
    });
    assert.equal(counts.fileStat, 2, 'each file looked at once');
    assert.equal(counts.compose, 1, 'composed once');
    assert.equal(counts.scan, 2, 'the document, then the composed message (a new text) once');
    assert.equal(counts.validate, 2);
  });

  it('a message naming a file outside its folder tree is refused, and the final bytes are never built', async () => {
    const outside = join(tmpdir(), `mailsmith-outside-${process.pid}.txt`);
    writeFileSync(outside, 'private');
    try {
      const text = `From: ann@example.com\nTo: bob@example.org\nSubject: s\nAttach: ${outside}\n\nHi\n`;
      const { result, counts } = await countWorkOf(async () => {
        const a = await analyzeDocument(text, { baseDir: dir, scope: { root: dir, allowOutside: false } });
        return { a, prepared: await a.prepare() };
      });
      assert.equal(result.a.sendable, false);
      const problem = result.a.problems.find((p) => p.code === 'attachment-outside');
      assert.ok(problem, JSON.stringify(result.a.problems));
      assert.equal(problem.severity, 'error');
      assert.deepEqual([problem.range.start.line, problem.range.start.character], [3, 8]);
      assert.match(problem.message, /allowOutside|allow-outside-files/);
      assert.equal(result.prepared.ok, false);
      assert.equal(counts.compose, 0, 'nothing was read for a message that cannot be sent');
      const allowed = await analyzeDocument(text, { baseDir: dir, scope: { root: dir, allowOutside: true } });
      assert.equal(allowed.sendable, true);
      assert.equal(allowed.files[0].state.status === 'ok' && allowed.files[0].state.outside, true);
    } finally {
      rmSync(outside, { force: true });
    }
  });

  it('applies rule levels: off drops, a warning can be raised to an error, an error is never lowered', async () => {
    const text = 'From: ann@example.com\nTo: bob@example.org\n\nHi\n';
    const base = await analyzeDocument(text);
    assert.ok(base.problems.some((p) => p.code === 'missing-subject' && p.severity === 'warning'));
    const off = await analyzeDocument(text, { rules: { 'missing-subject': 'off', 'bare-lf': 'off' } });
    assert.ok(!off.problems.some((p) => p.code === 'missing-subject' || p.code === 'bare-lf'));
    const raised = await analyzeDocument(text, { rules: { 'missing-subject': 'error' } });
    assert.equal(raised.sendable, false, 'what shows as an error refuses the send');
    assert.equal((await raised.prepare()).ok, false);
    const broken = await analyzeDocument('From: ann@example.com\nTo: bob@@example.org\nSubject: s\n\nHi\n', { rules: { 'address-syntax': 'off' } });
    assert.ok(broken.problems.some((p) => p.code === 'address-syntax' && p.severity === 'error'), 'an address that does not parse stays an error');
    assert.equal(broken.sendable, false);
  });
});

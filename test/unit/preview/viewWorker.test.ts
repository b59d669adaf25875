// The preview's worker thread (src/vscode/preview/viewWorker.ts, as tsc built it) through its client: a
// draft is prepared and parsed there exactly as in-process (same view), its errors come back as problems,
// the extension host's thread does none of the work (its scan counter does not move), a 10 MB message is
// read while the calling thread keeps running, and a reader that dies or runs over its time limit fails
// its requests with a clear message and is replaced on the next one.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { prepareDocument } from '../../../src/core/document/analyze';
import { workCounts } from '../../../src/core/probe';
import { messageView } from '../../../src/vscode/preview/messageView';
import { MessageViewWorker } from '../../../src/vscode/preview/viewWorkerClient';
import { repoRoot } from '../../support/paths';

const SCRIPT = join(repoRoot, 'out/src/vscode/preview/viewWorker.js');
const FRAME = { remoteImagesAllowed: false, styleNonce: 'bm9uY2U=' };
const DRAFT = [
  'From: Ann <ann@example.com>',
  'To: Bob <bob@example.org>',
  'Subject: Grüße',
  'Date: Mon, 23 Nov 2026 09:15:00 +0000',
  'Message-ID: <preview@example.com>',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Hello <b>Bob</b></p>',
  '',
].join('\n');

const BASE64_LINE = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0';
const LARGE_LINES = Math.ceil((10 * 1024 * 1024) / (BASE64_LINE.length + 2));
/** Each 76-character line of base64 is 57 bytes. */
const LARGE_ATTACHMENT_BYTES = LARGE_LINES * 57;

/** A 10 MB message: a base64 attachment in 76-character lines (as the editor probe's). */
function tenMegabytes(): Buffer {
  const attachment = `${BASE64_LINE}\r\n`.repeat(LARGE_LINES);
  return Buffer.from(
    [
      'From: Bench <bench@example.com>',
      'To: r@example.org',
      'Subject: Large',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Attached.',
      '--b',
      'Content-Type: application/octet-stream; name="data.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      `${attachment}--b--`,
      '',
    ].join('\r\n'),
  );
}

describe('preview reader on a worker thread', function () {
  this.timeout(60_000);
  let reader: MessageViewWorker;
  beforeEach(() => (reader = new MessageViewWorker(SCRIPT)));
  afterEach(() => reader.dispose());

  it('prepares and parses a draft as the extension host would, and does none of it on this thread', async () => {
    const before = workCounts();
    const result = await reader.renderDraft(DRAFT, { defaults: {} }, 'draft.eml', FRAME);
    assert.equal(workCounts().scan, before.scan, 'no scan on the calling thread');
    assert.ok(!('problems' in result), JSON.stringify(result));
    const prepared = await prepareDocument(DRAFT, { defaults: {} });
    assert.ok(prepared.ok);
    const expected = await messageView(prepared.message.raw, 'draft', 'draft.eml', FRAME);
    assert.deepEqual(result, expected);
    assert.equal(result.subject, 'Grüße');
    assert.match(result.frame ?? '', /Hello <b>Bob<\/b>/);
  });

  it("uses the analysis options it is given: the profile's From fills a draft without one", async () => {
    const text = DRAFT.replace(/^From: .*\n/, '');
    const refused = await reader.renderDraft(text, { defaults: {} }, 'draft.eml', FRAME);
    assert.ok('problems' in refused && refused.problems.some((p) => p.code === 'missing-from' && p.severity === 'error'));
    const filled = await reader.renderDraft(text, { defaults: { from: 'Profile <profile@example.com>' } }, 'draft.eml', FRAME);
    assert.ok(!('problems' in filled));
    assert.equal(filled.from, 'Profile <profile@example.com>');
  });

  it('reads a 10 MB message while the calling thread keeps running', async () => {
    const raw = tenMegabytes();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const view = await reader.renderBytes(raw, 'large.eml', FRAME);
      assert.deepEqual(view.attachments.map((a) => [a.filename, a.size]), [['data.bin', LARGE_ATTACHMENT_BYTES]]);
      assert.equal(view.size, raw.byteLength);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 3, `the calling thread's timer ran ${ticks} time(s) during the read`);
  });

  it('fails with a clear message when the reader cannot start, and keeps no broken worker', async () => {
    const broken = new MessageViewWorker(join(repoRoot, 'out/no-such-worker.js'));
    await assert.rejects(broken.renderBytes(Buffer.from('Subject: x\r\n\r\n'), 'x.eml', FRAME), /the preview's reader (stopped|exited)/);
    await assert.rejects(broken.renderBytes(Buffer.from('Subject: x\r\n\r\n'), 'x.eml', FRAME), /the preview's reader (stopped|exited)/);
    broken.dispose();
  });

  it('ends a read that runs over its time limit, and the next one gets a fresh reader', async () => {
    const slow = new MessageViewWorker(SCRIPT, 1);
    await assert.rejects(slow.renderBytes(tenMegabytes(), 'large.eml', FRAME), /took longer than 0.001 s/);
    slow.dispose();
    const view = await reader.renderBytes(Buffer.from('From: a@example.com\r\nSubject: After\r\n\r\nHi\r\n'), 'after.eml', FRAME);
    assert.equal(view.subject, 'After');
  });

  it('fails what is in flight when disposed (the panel closed)', async () => {
    const pending = reader.renderBytes(tenMegabytes(), 'large.eml', FRAME);
    reader.dispose();
    await assert.rejects(pending, /the preview was closed/);
    // The same client starts a new reader for the next preview.
    const view = await reader.renderBytes(Buffer.from('From: a@example.com\r\nSubject: Again\r\n\r\nHi\r\n'), 'again.eml', FRAME);
    assert.equal(view.subject, 'Again');
  });
});

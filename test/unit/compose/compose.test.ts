import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { prepareDocument, type PrepareDocumentResult } from '../../../src/core/document';
import type { PreparedMessage } from '../../../src/core/message';
import { fixture } from '../../support/paths';
import { parseWithMailparser, parseWithPostalMime, skeleton, type ParsedMail } from './mime';

const now = new Date('2026-11-23T09:30:00Z');

async function prepareFixture(...parts: string[]): Promise<{ result: PrepareDocumentResult; message: PreparedMessage; source: string }> {
  const path = fixture('compose', ...parts);
  const result = await prepareDocument(readFileSync(path), { baseDir: dirname(path), fileName: path, now });
  assert.ok(result.ok, JSON.stringify(result.problems, null, 1));
  return { result, message: result.message, source: readFileSync(path, 'utf8') };
}

function bodyOf(source: string): string {
  return source.slice(source.indexOf('\n\n') + 2);
}

/** The same checks on what both parsers read back. */
async function bothParsers(raw: Buffer, check: (mail: ParsedMail, parser: string) => void): Promise<void> {
  check(await parseWithMailparser(raw), 'mailparser');
  check(await parseWithPostalMime(raw), 'postal-mime');
}

describe('composer: Markdown body (Content-Type: text/markdown) with Attach and an inline image', () => {
  it('builds mixed > alternative > (text/plain, related > (text/html, image/png by cid)), then the attachment', async () => {
    const { message } = await prepareFixture('markdown', 'newsletter.eml');
    const tree = skeleton(message.raw.toString('latin1'));
    const cid = tree.parts?.[0].parts?.[1].parts?.[1].cid;
    assert.match(cid ?? '', /^<[0-9a-f]{16}\.1@mailsmith>$/);
    assert.deepEqual(tree, {
      type: 'multipart/mixed',
      parts: [
        {
          type: 'multipart/alternative',
          parts: [
            { type: 'text/plain', charset: 'utf-8', encoding: 'quoted-printable' },
            {
              type: 'multipart/related',
              parts: [
                { type: 'text/html', charset: 'utf-8', encoding: 'quoted-printable' },
                { type: 'image/png', encoding: 'base64', disposition: 'inline', filename: 'logo.png', cid },
              ],
            },
          ],
        },
        { type: 'application/pdf', encoding: 'base64', disposition: 'attachment', filename: 'report.pdf' },
      ],
    });
  });

  it('sends no Attach or Bcc field and no Content-Type: text/markdown; Bcc stays in the envelope', async () => {
    const { message } = await prepareFixture('markdown', 'newsletter.eml');
    const header = message.raw.toString('latin1').split('\r\n\r\n')[0];
    assert.doesNotMatch(header, /^(Attach|Bcc):/im);
    assert.doesNotMatch(message.raw.toString('latin1'), /text\/markdown/);
    assert.deepEqual(message.envelope, { from: 'ann@example.com', to: ['bob@example.org', 'audit@example.net'] });
    assert.match(header, /^Subject: Quarterly notes: =\?UTF-8\?Q\?caf=C3=A9\?= edition$/m);
    assert.match(header, /^Date: Mon, 23 Nov 2026 09:30:00 \+0000$/m);
    assert.match(header, /^MIME-Version: 1\.0$/m);
    assert.doesNotMatch(message.raw.toString('latin1'), /[^\r]\n/, 'CRLF only');
    await bothParsers(message.raw, (mail, parser) => {
      assert.ok(!mail.headerNames.includes('attach') && !mail.headerNames.includes('bcc'), parser);
      assert.equal(mail.subject, 'Quarterly notes: café edition', parser);
    });
  });

  it('text/plain is the Markdown source; text/html its rendering with the image as cid: and raw HTML escaped', async () => {
    const { message, source } = await prepareFixture('markdown', 'newsletter.eml');
    const logo = readFileSync(fixture('compose', 'markdown', 'img', 'logo.png'));
    const report = readFileSync(fixture('compose', 'markdown', 'files', 'report.pdf'));
    await bothParsers(message.raw, (mail, parser) => {
      assert.equal(mail.text?.trimEnd(), bodyOf(source).trimEnd(), parser);
      const html = mail.html ?? '';
      assert.match(html, /<h1>Quarterly notes<\/h1>/, parser);
      assert.match(html, /<strong>Bob<\/strong>, the café is open again\./, parser);
      assert.match(html, /&lt;script&gt;alert\(&quot;not rendered&quot;\)&lt;\/script&gt;/, parser);
      assert.doesNotMatch(html, /<script/i, parser);
      // The remote image is left as written (the reader's client decides); it is not fetched or attached.
      assert.match(html, /<img src="https:\/\/example\.com\/chart\.png" alt="chart">/, parser);
      assert.equal(mail.attachments.length, 2, parser);
      const [image, pdf] = mail.attachments;
      assert.deepEqual({ ...image, content: image.content.equals(logo) }, { filename: 'logo.png', contentType: 'image/png', content: true, cid: image.cid, inline: true }, parser);
      assert.ok(html.includes(`<img src="cid:${image.cid}" alt="Our logo">`), `${parser}: the html names the image part`);
      assert.deepEqual({ ...pdf, content: pdf.content.equals(report) }, { filename: 'report.pdf', contentType: 'application/pdf', content: true, cid: undefined, inline: false }, parser);
    });
  });

  it('is deterministic: the same document gives the same bytes and Message-ID (boundaries and cids from a hash)', async () => {
    const first = await prepareFixture('markdown', 'newsletter.eml');
    const second = await prepareFixture('markdown', 'newsletter.eml');
    assert.ok(first.message.raw.equals(second.message.raw));
    assert.equal(first.message.messageId, second.message.messageId);
    assert.equal(first.message.size, first.message.raw.length);
    assert.deepEqual(
      first.result.files.map((f) => [f.filename, f.contentType, f.size, Boolean(f.cid)]),
      [
        ['report.pdf', 'application/pdf', 121, false],
        ['logo.png', 'image/png', 70, true],
      ],
    );
  });
});

describe('composer: .email.md with YAML front matter', () => {
  it('turns the front matter into header fields and the body into multipart/alternative, with the attachment renamed', async () => {
    const { message, source } = await prepareFixture('front-matter', 'note.email.md');
    assert.deepEqual(skeleton(message.raw.toString('latin1')), {
      type: 'multipart/mixed',
      parts: [
        {
          type: 'multipart/alternative',
          parts: [
            { type: 'text/plain', charset: 'utf-8', encoding: '7bit' },
            { type: 'text/html', charset: 'utf-8', encoding: '7bit' },
          ],
        },
        { type: 'text/csv', encoding: 'base64', disposition: 'attachment', filename: 'figures.csv' },
      ],
    });
    const header = message.raw.toString('utf8').split('\r\n\r\n')[0];
    assert.deepEqual(header.split('\r\n').slice(0, 5), [
      'From: Ann Example <ann@example.com>',
      'To: Bob <bob@example.org>, carol@example.org',
      'Reply-To: replies@example.com',
      'Subject: Figures for Monday',
      'X-Campaign: monday-figures',
    ]);
    assert.deepEqual(message.envelope.to, ['bob@example.org', 'carol@example.org', 'audit@example.net']);
    const markdownBody = source.slice(source.indexOf('---\n', 4) + 4);
    await bothParsers(message.raw, (mail, parser) => {
      assert.equal(mail.text?.trimEnd(), markdownBody.trimEnd(), parser);
      assert.match(mail.html ?? '', /<p>The figures are <em>attached<\/em>\.<\/p>\n<ul>\n<li>one<\/li>/, parser);
      assert.deepEqual(
        mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString('utf8')]),
        [['figures.csv', 'text/csv', 'name,amount\nann,3\nbob,4\n']],
        parser,
      );
      assert.ok(!mail.headerNames.includes('bcc'), parser);
    });
  });
});

describe('composer: plain .eml with Attach fields', () => {
  it('keeps the text body as the first part of multipart/mixed and attaches both files', async () => {
    const { message } = await prepareFixture('plain-attach', 'memo.eml');
    assert.deepEqual(skeleton(message.raw.toString('latin1')), {
      type: 'multipart/mixed',
      parts: [
        { type: 'text/plain', charset: 'utf-8', encoding: '7bit' },
        { type: 'text/plain', encoding: 'base64', disposition: 'attachment', filename: 'notes.txt' },
        { type: 'application/octet-stream', encoding: 'base64', disposition: 'attachment', filename: 'blob.bin' },
      ],
    });
    const blob = readFileSync(fixture('compose', 'plain-attach', 'blob.bin'));
    await bothParsers(message.raw, (mail, parser) => {
      assert.equal(mail.text?.trimEnd(), 'Both files are attached.', parser);
      assert.equal(mail.html, undefined, parser);
      assert.deepEqual(mail.attachments.map((a) => a.filename), ['notes.txt', 'blob.bin'], parser);
      assert.ok(mail.attachments[1].content.equals(blob), parser);
    });
  });

  it('leaves a document with nothing to compose to the message core, byte for byte', async () => {
    const text = 'From: a@example.com\r\nTo: b@example.org\r\nSubject: s\r\nDate: Mon, 23 Nov 2026 09:15:00 +0000\r\nMessage-ID: <m@example.com>\r\n\r\nHi.\r\n';
    const result = await prepareDocument(text, { now });
    assert.ok(result.ok);
    assert.equal(result.composed, false);
    assert.equal(result.message.raw.toString('utf8'), text);
  });
});

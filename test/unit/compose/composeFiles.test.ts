// The composer's file access, each rule next to its neighbour, against real files: only a file the checks
// found usable is read (an outside, missing, unsaved or folder path is refused even when the composer is
// handed it directly); what is read is the file that was inspected; a text or HTML body that spells a
// Markdown image attaches nothing; one part per image file however it is named; the MIME header is the
// document's fields and the structure, nothing of nodemailer's placeholders.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeMessage } from '../../../src/core/compose/compose';
import { inspectDocumentFiles, type DocumentFiles } from '../../../src/core/compose/files';
import { readComposeSource } from '../../../src/core/compose/source';
import type { ComposeResult, ComposeSource } from '../../../src/core/compose/types';
import type { FileScope } from '../../../src/core/document/fileScope';
import { scanMessage } from '../../../src/core/message/scanner';
import { workCounts } from '../../../src/core/probe';
import { parseWithMailparser, skeleton } from './mime';

// The smallest PNG: what an image part holds.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const OTHER_PNG = Buffer.concat([PNG, Buffer.from('00')]);

interface Read {
  source: ComposeSource;
  found: DocumentFiles;
}

async function read(text: string, baseDir: string | undefined, scope?: FileScope, fileName?: string): Promise<Read> {
  const source = await readComposeSource(scanMessage(text), fileName);
  const found = await inspectDocumentFiles(source, baseDir, scope ?? (baseDir ? { root: baseDir, allowOutside: false } : undefined));
  return { source, found };
}

async function compose({ source, found }: Read): Promise<ComposeResult> {
  return composeMessage({ source, files: found.files, markdown: found.markdown });
}

function okRaw(result: ComposeResult): Buffer {
  assert.ok(result.ok, JSON.stringify(result.problems));
  return result.raw;
}

function headerLines(raw: Buffer): string[] {
  return raw.toString('utf8').split('\r\n\r\n')[0].split('\r\n');
}

function boundaryOf(raw: Buffer): string {
  return /boundary="([^"]+)"/.exec(raw.toString('utf8'))?.[1] ?? '';
}

const HEAD = 'From: a@example.com\nTo: b@example.org\nSubject: s\n';

describe('composer: which files it reads, and what it builds of them', () => {
  let dir: string;
  before(() => {
    const base = mkdtempSync(join(tmpdir(), 'mailsmith-compose-files-'));
    dir = join(base, 'mail');
    mkdirSync(join(dir, 'img'), { recursive: true });
    writeFileSync(join(dir, 'img', 'logo.png'), PNG);
    writeFileSync(join(dir, 'img', 'other.png'), OTHER_PNG);
    symlinkSync(join(dir, 'img', 'logo.png'), join(dir, 'logo-link.png'));
    writeFileSync(join(dir, 'notes.txt'), 'notes\n');
    writeFileSync(join(dir, 'data.weird-extension'), 'data');
    writeFileSync(join(dir, 'my report.pdf'), '%PDF-1.4');
    writeFileSync(join(base, 'secret.txt'), 'SECRET-OUTSIDE');
  });
  after(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  describe('a file the checks did not find usable is never read', () => {
    for (const [what, attach, baseDir] of [
      ['outside the tree', '../secret.txt', () => dir],
      ['missing', 'nowhere.txt', () => dir],
      ['a folder', 'img', () => dir],
      ['relative in an unsaved draft', 'notes.txt', () => undefined],
    ] as const) {
      it(`refuses a file ${what}, with the path as written, even when the composer is handed it directly`, async () => {
        const doc = await read(`${HEAD}Attach: ${attach}\n\nHi\n`, baseDir());
        const [file] = doc.found.files;
        assert.notEqual(file.state.status, 'ok');
        const result = await compose(doc);
        assert.deepEqual(result, { ok: false, problems: [{ code: 'attachment-unreadable', severity: 'error', message: `cannot read "${attach}"`, range: file.ref.range }] });
      });
    }

    it('one refused file refuses the whole message, and only that file is named', async () => {
      const doc = await read(`${HEAD}Attach: notes.txt\nAttach: ../secret.txt\n\nHi\n`, dir);
      const result = await compose(doc);
      assert.equal(result.ok, false);
      assert.deepEqual(result.problems.map((p) => p.message), ['cannot read "../secret.txt"']);
    });

    it('a file swapped after it was inspected is refused, saying why', async () => {
      const target = join(dir, 'swap.txt');
      writeFileSync(target, 'shown');
      const doc = await read(`${HEAD}Attach: swap.txt\n\nHi\n`, dir);
      renameSync(target, `${target}.moved`);
      writeFileSync(target, 'not what was shown');
      const replaced = await compose(doc);
      assert.deepEqual(replaced.problems.map((p) => [p.code, p.severity, p.message, p.range]), [['attachment-unreadable', 'error', `cannot read "swap.txt": ${target} changed while it was being read`, doc.found.files[0].ref.range]]);
      rmSync(target);
      symlinkSync(`${target}.moved`, target);
      const linked = await compose(doc);
      assert.deepEqual(linked.problems.map((p) => p.message), ['cannot read "swap.txt": ELOOP']);
      assert.equal(linked.ok, false);
    });
  });

  describe('which files a body names', () => {
    it('a text or HTML body that spells a Markdown image attaches nothing; a Markdown body attaches it inline', async () => {
      for (const type of ['text/plain', 'text/html']) {
        const doc = await read(`${HEAD}Content-Type: ${type}\nAttach: notes.txt\n\n![x](img/logo.png)\n`, dir);
        assert.deepEqual(doc.found.files.map((f) => f.ref.path), ['notes.txt'], type);
        assert.equal(doc.found.markdown, undefined, type);
        const parsed = await parseWithMailparser(okRaw(await compose(doc)));
        assert.deepEqual(parsed.attachments.map((a) => a.filename), ['notes.txt'], type);
      }
      const markdown = await read(`${HEAD}Content-Type: text/markdown\nAttach: notes.txt\n\n![x](img/logo.png)\n`, dir);
      assert.deepEqual(
        markdown.found.files.map((f) => [f.ref.path, f.ref.filename, f.ref.kind, f.state.status, f.image?.src]),
        [
          ['notes.txt', 'notes.txt', 'attachment', 'ok', undefined],
          ['img/logo.png', 'logo.png', 'inline-image', 'ok', 'img/logo.png'],
        ],
      );
      assert.deepEqual(markdown.found.files[1].ref.range, markdown.found.files[1].image?.range);
    });

    it('a Markdown body is parsed only when it may name an image', async () => {
      const plain = await read(`${HEAD}Content-Type: text/markdown\n\n# Hi ! [not an image]\n`, dir);
      assert.equal(plain.found.markdown, undefined);
      assert.deepEqual(plain.found.files, []);
      const remoteOnly = await read(`${HEAD}Content-Type: text/markdown\n\n![r](https://example.com/x.png)\n`, dir);
      assert.notEqual(remoteOnly.found.markdown, undefined);
      assert.deepEqual(remoteOnly.found.files, []);
      const html = await parseWithMailparser(okRaw(await compose(remoteOnly)));
      assert.match(html.html ?? '', /<img src="https:\/\/example\.com\/x\.png" alt="r">/);
    });

    it('an image is named by the last part of its path, either slash; a path that ends in one is "image"', async () => {
      const doc = await read(`${HEAD}Content-Type: text/markdown\n\n![a](img\\logo.png) ![b](img/) ![c](logo-link.png)\n`, dir);
      assert.deepEqual(
        doc.found.files.map((f) => f.ref.filename),
        ['logo.png', 'image', 'logo-link.png'],
      );
    });
  });

  describe('inline images', () => {
    it('a Markdown image that names a file of another type is still an inline part the HTML refers to', async () => {
      const result = await compose(await read(`${HEAD}Content-Type: text/markdown\n\n![t](notes.txt)\n`, dir));
      const raw = okRaw(result);
      const related = skeleton(raw.toString('latin1')).parts?.[1];
      assert.deepEqual(related?.parts?.[1], { type: 'text/plain', encoding: 'base64', disposition: 'inline', filename: 'notes.txt', cid: `<${result.ok ? result.files[0].cid : ''}>` });
    });

    it('one part per image file, however often and however it is named; each file its own numbered cid', async () => {
      const doc = await read(`${HEAD}Content-Type: text/markdown\n\n![a](img/logo.png) ![b](img/other.png) ![c](./img/logo.png) ![d](logo-link.png) ![e](img/other.png)\n`, dir);
      const result = await compose(doc);
      const raw = okRaw(result);
      assert.ok(result.ok);
      assert.deepEqual(
        result.files.map((f) => [f.filename, f.contentType, f.size, f.path]),
        [
          ['logo.png', 'image/png', PNG.length, join(dir, 'img', 'logo.png')],
          ['other.png', 'image/png', OTHER_PNG.length, join(dir, 'img', 'other.png')],
        ],
      );
      const [logoCid, otherCid] = result.files.map((f) => f.cid ?? '');
      assert.match(logoCid, /^[0-9a-f]{16}\.1@mailsmith$/);
      assert.match(otherCid, /^[0-9a-f]{16}\.2@mailsmith$/);
      assert.notEqual(logoCid.slice(0, 16), otherCid.slice(0, 16), 'the cid starts with the hash of the content');
      const mail = await parseWithMailparser(raw);
      assert.deepEqual(
        mail.attachments.map((a) => [a.filename, a.cid, a.inline, a.content.length]),
        [
          ['logo.png', logoCid, true, PNG.length],
          ['other.png', otherCid, true, OTHER_PNG.length],
        ],
      );
      const html = mail.html ?? '';
      assert.deepEqual(
        [...html.matchAll(/<img src="([^"]*)" alt="(\w)">/g)].map((m) => `${m[2]}=${m[1]}`),
        [`a=cid:${logoCid}`, `b=cid:${otherCid}`, `c=cid:${logoCid}`, `d=cid:${logoCid}`, `e=cid:${otherCid}`],
      );
    });
  });

  describe('the structure and header the composer writes', () => {
    it('an HTML body with a file: mixed (text/html, the file); a text body: mixed (text/plain, the file)', async () => {
      const html = okRaw(await compose(await read(`${HEAD}Content-Type: text/html\nAttach: notes.txt\n\n<p>Hi</p>\n`, dir)));
      assert.deepEqual(skeleton(html.toString('latin1')), {
        type: 'multipart/mixed',
        parts: [
          { type: 'text/html', charset: 'utf-8', encoding: '7bit' },
          { type: 'text/plain', encoding: 'base64', disposition: 'attachment', filename: 'notes.txt' },
        ],
      });
      assert.equal((await parseWithMailparser(html)).html?.trim(), '<p>Hi</p>');
      const text = okRaw(await compose(await read(`${HEAD}Attach: notes.txt\n\n<p>Hi</p>\n`, dir)));
      assert.deepEqual(skeleton(text.toString('latin1')).parts?.[0], { type: 'text/plain', charset: 'utf-8', encoding: '7bit' });
      assert.equal((await parseWithMailparser(text)).text?.trim(), '<p>Hi</p>');
    });

    it('the header is the document’s fields as written, then MIME-Version and Content-Type, folded lines kept', async () => {
      const raw = okRaw(await compose(await read(`${HEAD}X-Long: one\n  two\nAttach: notes.txt\n\nHi\nthere\n`, dir)));
      const lines = headerLines(raw);
      assert.deepEqual(lines.slice(0, 5), ['From: a@example.com', 'To: b@example.org', 'Subject: s', 'X-Long: one', '  two']);
      assert.deepEqual(lines.slice(5, 7), ['MIME-Version: 1.0', 'Content-Type: multipart/mixed;']);
      assert.match(lines[7], /^ boundary="--_NmP-[0-9a-f]{24}-Part_1"$/, 'folded as nodemailer wrote it');
      assert.equal(lines.length, 8);
      assert.ok(lines.every((l) => l.length <= 78), 'no header line over 78 characters (RFC 5322 §2.1.1)');
      assert.doesNotMatch(raw.toString('utf8'), /placeholder@mailsmith\.invalid|1970/, 'no placeholder Date or Message-ID');
      const text = raw.toString('latin1');
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      assert.ok(body.startsWith(`--${boundaryOf(raw)}\r\n`), 'the body starts with the first part, right after the header');
      assert.ok(body.endsWith(`--${boundaryOf(raw)}--\r\n`), 'and is the one the header announces');
      assert.doesNotMatch(text, /[^\r]\n/, 'CRLF only, in the 7bit text part too');
      assert.match(body, /\r\n\r\nHi\r\nthere\r\n/);
    });

    it('a single-part body keeps its Content-Transfer-Encoding in the header; a multipart one has none', async () => {
      const doc = await read('---\nfrom: a@example.com\nto: b@example.org\nsubject: s\n---\nCafé\n', undefined, undefined, 'x.email.md');
      const raw = okRaw(await compose(doc));
      assert.deepEqual(
        headerLines(raw).filter((l) => /^(MIME|Content)/i.test(l)).map((l) => l.split(/[:;]/)[0]),
        ['MIME-Version', 'Content-Type'],
      );
      const plain = okRaw(await compose(await read(`${HEAD}\nCaf\u00e9\n`, undefined)));
      assert.deepEqual(
        headerLines(plain).filter((l) => /^(MIME|Content)/i.test(l)),
        ['Content-Transfer-Encoding: quoted-printable', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8'],
      );
      assert.equal(plain.toString('latin1').split('\r\n\r\n')[1], 'Caf=C3=A9\r\n', 'the body is exactly the encoded text');
    });

    it('reports each file with the type its part has: given, detected from the name, or octet-stream', async () => {
      const doc = await read(
        '---\nfrom: a@example.com\nto: b@example.org\nsubject: s\nattachments:\n  - notes.txt\n  - path: notes.txt\n    filename: n.csv\n    contentType: application/x-given\n  - data.weird-extension\n  - my report.pdf\n---\n![i](img/logo.png)\n',
        dir,
        undefined,
        'x.email.md',
      );
      const result = await compose(doc);
      assert.ok(result.ok, JSON.stringify(result.problems));
      const mail = await parseWithMailparser(result.raw);
      const parts = new Map(mail.attachments.map((a) => [a.filename, a.contentType]));
      assert.deepEqual(
        result.files.map((f) => [f.filename, f.contentType, parts.get(f.filename)]),
        [
          ['notes.txt', 'text/plain', 'text/plain'],
          ['n.csv', 'application/x-given', 'application/x-given'],
          ['data.weird-extension', 'application/octet-stream', 'application/octet-stream'],
          ['my report.pdf', 'application/pdf', 'application/pdf'],
          ['logo.png', 'image/png', 'image/png'],
        ],
      );
    });
  });

  describe('the same input gives the same bytes; other file content, other bytes', () => {
    it('boundary and cid follow the files’ content, not only the document', async () => {
      const text = `${HEAD}Content-Type: text/markdown\nAttach: notes.txt\n\n![a](img/logo.png)\n`;
      const first = okRaw(await compose(await read(text, dir)));
      assert.ok(first.equals(okRaw(await compose(await read(text, dir)))));
      writeFileSync(join(dir, 'notes.txt'), 'notes, edited\n');
      try {
        const edited = okRaw(await compose(await read(text, dir)));
        assert.notEqual(boundaryOf(edited), boundaryOf(first));
        assert.match(boundaryOf(edited), /^--_NmP-[0-9a-f]{24}-Part_1$|[0-9a-f]{24}/);
      } finally {
        writeFileSync(join(dir, 'notes.txt'), 'notes\n');
      }
    });
  });

  describe('the composer never throws', () => {
    it('an unexpected failure is a compose-failed problem at the top of the document, and the work is counted', async () => {
      const doc = await read(`${HEAD}Attach: notes.txt\n\nHi\n`, dir);
      const before = workCounts().compose;
      const broken = await composeMessage({ source: { ...doc.source, headers: undefined as unknown as ComposeSource['headers'] }, files: doc.found.files });
      assert.equal(workCounts().compose - before, 1);
      assert.equal(broken.ok, false);
      assert.deepEqual(
        broken.problems.map((p) => [p.code, p.severity, p.range]),
        [['compose-failed', 'error', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }]],
      );
      assert.match(broken.problems[0].message, /^could not compose the message: .*(undefined|not iterable|map)/);
    });
  });
});

import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  ATTACHMENT_MISSING,
  ATTACHMENT_TOO_LARGE,
  FRONT_MATTER_INVALID,
  FRONT_MATTER_UNKNOWN_KEY,
  INLINE_IMAGE_MISSING,
  MESSAGE_TOO_LARGE,
  needsComposition,
} from '../../../src/core/compose';
import { analyzeDocument, prepareDocument } from '../../../src/core/document';
import { ADDRESS_SYNTAX, BODY_8BIT_UNDECLARED, MISSING_FROM } from '../../../src/core/message';
import type { Problem } from '../../../src/core/types';
import { fixture } from '../../support/paths';

const problemsOf = async (...args: Parameters<typeof analyzeDocument>) => (await analyzeDocument(...args)).problems;
const at = (p: Problem) => [p.code, p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character];

describe('needsComposition', () => {
  it('is true for Markdown bodies, front matter, .email.md files and Attach fields; false otherwise', async () => {
    assert.equal(needsComposition('From: a@x.org\nContent-Type: text/markdown\n\n# Hi\n'), true);
    assert.equal(needsComposition('From: a@x.org\nContent-Type: TEXT/Markdown; charset=utf-8\n\n# Hi\n'), true);
    assert.equal(needsComposition('From: a@x.org\nAttach: a.pdf\n\nHi\n'), true);
    assert.equal(needsComposition('---\nfrom: a@x.org\n---\nHi\n'), true);
    assert.equal(needsComposition('anything', 'notes/hello.email.md'), true);
    assert.equal(needsComposition('From: a@x.org\nContent-Type: text/plain\n\nAttach: not a header\n'), false);
    assert.equal(needsComposition('From: a@x.org\n\nHi\n', 'mail.eml'), false);
    assert.equal(needsComposition(new Uint8Array([0xff, 0xfe, 0])), false);
  });
});

describe('validateDocument: attachments and images', () => {
  it('reports a missing Attach file at the path it names', async () => {
    const path = fixture('compose', 'missing', 'missing.eml');
    const problems = await problemsOf(readFileSync(path, 'utf8'), { baseDir: dirname(path) });
    const missing = problems.filter((p) => p.code === ATTACHMENT_MISSING);
    assert.deepEqual(missing.map(at), [[ATTACHMENT_MISSING, 3, 8, 3, 19]]);
    assert.match(missing[0].message, /"nowhere\.pdf" not found/);
  });

  it('refuses to prepare a document whose attachment is missing, and says so with the position', async () => {
    const path = fixture('compose', 'missing', 'missing.eml');
    const result = await prepareDocument(readFileSync(path), { baseDir: dirname(path) });
    assert.equal(result.ok, false);
    assert.deepEqual(result.problems.filter((p) => p.severity === 'error').map(at), [[ATTACHMENT_MISSING, 3, 8, 3, 19]]);
  });

  it('asks to save an untitled document whose attachment path is relative', async () => {
    const problems = await problemsOf('From: a@example.com\nTo: b@example.org\nSubject: s\nAttach: x.pdf\n\nHi\n');
    const missing = problems.find((p) => p.code === ATTACHMENT_MISSING);
    assert.match(missing?.message ?? '', /save the document first/);
  });

  it('reports a missing inline image at its path in the Markdown', async () => {
    const text = 'From: a@example.com\nTo: b@example.org\nSubject: s\nContent-Type: text/markdown\n\nIntro\n\nSee ![x](img/none.png) here\n';
    const problems = await problemsOf(text, { baseDir: fixture('compose', 'markdown') });
    assert.deepEqual(problems.filter((p) => p.code === INLINE_IMAGE_MISSING).map(at), [[INLINE_IMAGE_MISSING, 7, 9, 7, 21]]);
  });

  it('reports a file over the attachment limit, and files that push the message over the server SIZE', async () => {
    const path = fixture('compose', 'plain-attach', 'memo.eml');
    const text = readFileSync(path, 'utf8');
    const tooBig = (await problemsOf(text, { baseDir: dirname(path), maxAttachmentBytes: 100 })).filter((p) => p.code === ATTACHMENT_TOO_LARGE);
    assert.deepEqual(tooBig.map(at), [[ATTACHMENT_TOO_LARGE, 4, 8, 4, 18]]);
    assert.match(tooBig[0].message, /"blob\.bin" is 300 B, over the 100 B limit/);
    const overSize = (await problemsOf(text, { baseDir: dirname(path), maxMessageBytes: 500 })).filter((p) => p.code === ATTACHMENT_TOO_LARGE);
    assert.deepEqual(overSize.map((p) => p.range.start.line), [4]);
    assert.match(overSize[0].message, /over the 500 B the server or profile accepts/);
    assert.deepEqual((await problemsOf(text, { baseDir: dirname(path), maxMessageBytes: 100_000 })).filter((p) => p.severity === 'error'), []);
  });

  it('checks the final size against maxMessageBytes in prepareDocument', async () => {
    const path = fixture('compose', 'plain-attach', 'memo.eml');
    const ok = await prepareDocument(readFileSync(path), { baseDir: dirname(path) });
    assert.ok(ok.ok);
    const limit = ok.message.size - 1;
    // A limit the estimate passes but the real bytes exceed still fails, with the exact size.
    const result = await prepareDocument(readFileSync(path), { baseDir: dirname(path), maxMessageBytes: limit });
    assert.equal(result.ok, false);
    assert.ok(result.problems.some((p) => p.code === MESSAGE_TOO_LARGE || p.code === ATTACHMENT_TOO_LARGE));
  });

  it('does not flag an undeclared 8-bit Markdown body: the composer declares its charset', async () => {
    const text = 'From: a@example.com\nTo: b@example.org\nSubject: s\nContent-Type: text/markdown\n\nCafé\n';
    assert.ok(!(await problemsOf(text)).some((p) => p.code === BODY_8BIT_UNDECLARED));
    const plain = 'From: a@example.com\nTo: b@example.org\nSubject: s\n\nCafé\n';
    assert.ok((await problemsOf(plain)).some((p) => p.code === BODY_8BIT_UNDECLARED), 'an uncomposed body still is');
  });
});

describe('validateDocument: front matter', () => {
  it('places header findings on the key they come from', async () => {
    const text = '---\nfrom: ann@example.com\nto: "bob@@example.org"\nsubject: Hi\n---\nBody\n';
    const problems = await problemsOf(text, { fileName: 'x.email.md' });
    assert.deepEqual(problems.filter((p) => p.code === ADDRESS_SYNTAX).map(at), [[ADDRESS_SYNTAX, 2, 0, 2, 2]]);
    assert.ok(problems.every((p) => !p.fixes), 'no fixes in RFC 5322 coordinates');
  });

  it('reports a missing from, unknown keys, bad YAML and an unclosed block', async () => {
    const noFrom = await problemsOf('---\nto: b@example.org\nsubjekt: Hi\n---\nBody\n', { fileName: 'x.email.md' });
    assert.ok(noFrom.some((p) => p.code === MISSING_FROM && p.severity === 'error'));
    assert.deepEqual(noFrom.filter((p) => p.code === FRONT_MATTER_UNKNOWN_KEY).map(at), [[FRONT_MATTER_UNKNOWN_KEY, 2, 0, 2, 7]]);
    const badYaml = await problemsOf('---\nfrom: [a@example.com\n---\nBody\n', { fileName: 'x.email.md' });
    assert.ok(badYaml.some((p) => p.code === FRONT_MATTER_INVALID && p.range.start.line >= 1));
    const unclosed = await problemsOf('---\nfrom: a@example.com\nBody\n', { fileName: 'x.email.md' });
    assert.deepEqual(unclosed.map((p) => p.code), [FRONT_MATTER_INVALID]);
  });

  it('refuses a value with a line break (it would inject a header field)', async () => {
    const problems = await problemsOf('---\nfrom: a@example.com\nto: b@example.org\nsubject: "Hi\\nBcc: x@evil.example"\n---\nBody\n', { fileName: 'x.email.md' });
    assert.deepEqual(problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.range.start.line]), [[FRONT_MATTER_INVALID, 3]]);
  });

  it('never throws on garbage, and prepareDocument turns it into problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailsmith-compose-'));
    writeFileSync(join(dir, 'a.txt'), 'x');
    for (const text of ['---\n---\n', '---\n: : :\n---\n', '---\n- a\n- b\n---\n', '---\nattachments: {a: 1}\nheaders: [1]\n---\n', '\u0000---\n', 'Attach:\n\n']) {
      await assert.doesNotReject(problemsOf(text, { baseDir: dir, fileName: 'g.email.md' }));
      const result = await prepareDocument(text, { baseDir: dir, fileName: 'g.email.md' });
      assert.equal(result.ok, false, JSON.stringify(text));
    }
  });
});

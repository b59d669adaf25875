// Rows through templates: each value goes in only as what its place holds, so no value can add a header
// line, a recipient, a file or markup; the row's key and Message-ID are stable; problems are placed on the
// row and column (data file) or on the template.
import * as assert from 'node:assert/strict';
import { prepareMessage } from '../../../src/core/message/prepare';
import { previewRow } from '../../../src/core/merge';
import { csv, mergeDir, type MergeDir } from './helpers';

const PROFILE = { name: 'p', host: '127.0.0.1', port: 25, security: 'none' as const };

describe('merge: rendering rows into messages', () => {
  let d: MergeDir;
  beforeEach(() => (d = mergeDir()));
  afterEach(() => d.remove());

  const template = (lines: string[]) => lines.join('\r\n');
  const eml = (to = 'To: ${name} <${email}>', body = 'Dear ${name},\r\nyour code is ${code}.') =>
    template(['From: Sender <sender@example.com>', to, 'Subject: For ${name}', 'Merge-Data: people.csv', '', body, '']);

  async function row(n: number, file = 't.eml') {
    const merge = await d.open(file);
    const preview = await previewRow(merge, n, PROFILE);
    assert.ok(preview, `row ${n} exists`);
    return { merge, preview };
  }

  it('fills headers and body, names the row key and a stable Message-ID, and removes Merge-Data', async () => {
    d.write('t.eml', eml());
    d.write('people.csv', csv([['name', 'email', 'code'], ['Ann', 'ann@example.org', 'A1'], ['Bob', 'bob@example.org', 'B2']]));
    const { preview } = await row(2);
    const raw = preview.message!.raw.toString('utf8');
    assert.match(raw, /^To: Bob <bob@example\.org>\r$/m);
    assert.match(raw, /^Subject: For Bob\r$/m);
    assert.match(raw, /Dear Bob,\r\nyour code is B2\./);
    assert.doesNotMatch(raw, /Merge-Data/i);
    assert.deepEqual(preview.message!.envelope.to, ['bob@example.org']);
    assert.equal(preview.rendered.key, 'to:bob@example.org');
    assert.match(preview.message!.messageId, /^<[0-9a-f]{32}@example\.com>$/);
    const again = await row(2);
    assert.equal(again.preview.message!.messageId, preview.message!.messageId, 'the same template and row give the same Message-ID');
    const first = await row(1);
    assert.notEqual(first.preview.message!.messageId, preview.message!.messageId);
  });

  it('refuses a value with a line break or control character: no header line is added, the row and column are named', async () => {
    d.write('t.eml', eml());
    d.write('people.csv', csv([['name', 'email', 'code'], ['Eve\r\nBcc: spy@evil.example', 'eve@example.org', 'E'], ['Mal\u0000lory', 'm@example.org', 'M'], ['Nel\u0085', 'n@example.org', 'N']]));
    const { check } = await d.openChecked('t.eml');
    assert.equal(check.sendable, false);
    const unsafe = check.problems.filter((p) => p.code === 'merge-unsafe-value' && p.file === 'data');
    assert.deepEqual(unsafe.map((p) => [p.row, p.columns]), [[1, ['name']], [2, ['name']], [3, ['name']]]);
    assert.match(unsafe[0].message, /row 1, column name cannot go into a display name: it holds a line break/);
    assert.equal(unsafe[0].range.start.line, 1, 'the data file line of row 1');
    const onTemplate = check.problems.find((p) => p.code === 'merge-unsafe-value' && p.file === 'template');
    assert.ok(onTemplate, 'echoed on the template where ${name} is used');
    assert.match(onTemplate.message, /^3 rows: 1, 2, 3/);
  });

  it('keeps each address field to its own recipients: two addresses, a list separator or a group in a value are refused', async () => {
    d.write('t.eml', eml('To: ${email}'));
    d.write('people.csv', csv([['name', 'email', 'code'], ['A', 'a@example.org, spy@evil.example', '1'], ['B', 'b@example.org; spy@evil.example', '2'], ['C', 'team: spy@evil.example;', '3'], ['D', 'Dee <d@example.org>', '4']]));
    const { check } = await d.openChecked('t.eml');
    const rows = check.problems.filter((p) => p.code === 'merge-unsafe-value' && p.file === 'data').map((p) => p.row);
    assert.deepEqual(rows, [1, 2, 3]);
    assert.match(check.problems.find((p) => p.row === 1)!.message, /holds 2 addresses/);
    const { preview } = await row(4);
    assert.match(preview.message!.raw.toString(), /^To: Dee <d@example\.org>\r$/m, 'one mailbox, written by the formatter');
  });

  it('quotes a display name, so commas, angle brackets and quotes stay part of the name', async () => {
    d.write('t.eml', eml('To: ${name} <${email}>, "${name}" <boss+${code}@example.com>'));
    d.write('people.csv', csv([['name', 'email', 'code'], ['Doe, "Jo" <x@evil.example>', 'jo@example.org', '7']]));
    const { preview } = await row(1);
    assert.deepEqual(preview.message!.envelope.to, ['jo@example.org', 'boss+7@example.com']);
    assert.match(preview.message!.raw.toString(), /^To: "Doe, \\"Jo\\" <x@evil\.example>" <jo@example\.org>, "Doe, \\"Jo\\" <x@evil\.example>" <boss\+7@example\.com>\r$/m);
  });

  it('keeps a part of an address to address characters', async () => {
    d.write('t.eml', eml('To: <${email}>, ${code}@example.com'));
    d.write('people.csv', csv([['name', 'email', 'code'], ['A', 'a@example.org>, <spy@evil.example', 'x'], ['B', 'b@example.org', 'y z']]));
    const { check } = await d.openChecked('t.eml');
    const problems = check.problems.filter((p) => p.code === 'merge-unsafe-value' && p.file === 'data');
    assert.deepEqual(problems.map((p) => [p.row, p.columns?.[0]]), [[1, 'email'], [2, 'code']]);
    assert.match(problems[0].message, /not part of an address/);
  });

  it('escapes Markdown and HTML, so a value cannot add an image, a link or markup', async () => {
    d.write('secret.txt', 'top secret');
    d.write('t.eml', template(['From: s@example.com', 'To: ${email}', 'Subject: x', 'Content-Type: text/markdown', 'Merge-Data: people.csv', '', 'Hello ${name}', '']));
    d.write('h.eml', template(['From: s@example.com', 'To: ${email}', 'Subject: x', 'Content-Type: text/html', 'Merge-Data: people.csv', '', '<p>Hello ${name}</p>', '']));
    d.write('people.csv', csv([['email', 'name'], ['a@example.org', '![x](secret.txt) <img src=x onerror=alert(1)> [link](http://evil.example) *b*']]));
    const md = await row(1);
    assert.equal(md.preview.files?.length, 0, 'no file travels');
    const text = md.preview.message!.raw.toString();
    assert.doesNotMatch(text, /[^\\]<img/, 'no img element in the HTML part');
    assert.doesNotMatch(text, /href="http:\/\/evil/);
    const htmlPart = text.slice(text.indexOf('Content-Type: text/html'));
    assert.match(htmlPart, /<p>Hello !\[x\]\(secret.txt\) &lt;img src=3Dx onerror=3Dalert\(1\)&gt; \[link\]/, 'the HTML part shows the value as text');
    assert.match(htmlPart, /\) \*b\*<\/p>/, 'no emphasis either');
    const html = await row(1, 'h.eml');
    assert.match(html.preview.message!.raw.toString(), /<p>Hello !\[x\]\(secret\.txt\) &lt;img src=x onerror=alert\(1\)&gt; \[link\]\(http:\/\/evil\.example\) \*b\*<\/p>/);
  });

  it('lets a value name an attachment only inside the template\u2019s tree', async () => {
    d.write('invoices/inv-1.pdf', '%PDF-1.4 one');
    d.write('t.eml', template(['From: s@example.com', 'To: ${email}', 'Subject: Invoice', 'Attach: invoices/${file}', 'Merge-Data: people.csv', '', 'Attached.', '']));
    d.write('people.csv', csv([['email', 'file'], ['a@example.org', 'inv-1.pdf'], ['b@example.org', '../../../etc/passwd'], ['c@example.org', 'missing.pdf'], ['d@example.org', '/etc/passwd']]));
    const { check } = await d.openChecked('t.eml');
    const byRow = (n: number) => check.problems.filter((p) => p.file === 'data' && p.row === n).map((p) => p.code);
    assert.deepEqual(byRow(1), []);
    assert.deepEqual(byRow(2), ['merge-unsafe-value']);
    assert.deepEqual(byRow(3), ['attachment-missing']);
    assert.deepEqual(byRow(4), ['merge-unsafe-value']);
    assert.deepEqual(check.problems.find((p) => p.row === 3)?.columns, ['file'], 'the missing file is blamed on its column');
    const { preview } = await row(1);
    assert.deepEqual(preview.review?.files.map((f) => f.name), ['inv-1.pdf']);
  });

  it('reports fields where no value may go, a fixed Message-ID, and unknown columns with a hint', async () => {
    d.write('t.eml', template(['From: s@example.com', 'To: ${email}', 'X-${kind}: 1', 'Date: ${date}', 'Message-ID: <fixed@example.com>', 'Subject: ${Name}', 'Merge-Data: people.csv', '', 'Hi', '']));
    d.write('people.csv', csv([['email', 'name', 'kind', 'date'], ['a@example.org', 'A', 'k', 'today']]));
    const { check } = await d.openChecked('t.eml');
    const onTemplate = check.problems.filter((p) => p.file === 'template' && p.severity === 'error');
    const codes = onTemplate.map((p) => `${p.code}@${p.range.start.line}`);
    assert.ok(codes.includes('merge-placeholder-place@2'), codes.join());
    assert.ok(codes.includes('merge-placeholder-place@3'), codes.join());
    assert.ok(codes.includes('merge-fixed-message-id@4'), codes.join());
    const unknown = onTemplate.find((p) => p.code === 'merge-unknown-column');
    assert.match(unknown?.message ?? '', /no column "Name" \(did you mean "name"\?\)/);
    assert.equal(unknown?.range.start.line, 5);
  });

  it('writes $${name} as a literal ${name}', async () => {
    d.write('t.eml', eml('To: ${email}', 'Run: echo $${HOME} for ${name}'));
    d.write('people.csv', csv([['name', 'email', 'code'], ['Ann', 'ann@example.org', '1']]));
    const { preview } = await row(1);
    assert.match(preview.message!.raw.toString(), /Run: echo \$\{HOME\} for Ann/);
  });

  it('renders front matter (.email.md) with values as YAML strings, whatever they hold', async () => {
    d.write('doc.pdf', 'pdf');
    d.write(
      'n.email.md',
      ['---', 'from: Sender <sender@example.com>', 'to:', '  - ${name} <${email}>', 'subject: "Release ${version}: notes"', 'attachments:', '  - ${file}', 'mergeData: people.json', '---', '', '# Hello ${name}', ''].join('\n'),
    );
    d.write('people.json', JSON.stringify([{ name: 'Ann: "the #1"', email: 'ann@example.org', version: 2, file: 'doc.pdf' }]));
    const merge = await d.open('n.email.md');
    const preview = await previewRow(merge, 1, PROFILE);
    assert.deepEqual(preview?.problems.filter((p) => p.severity === 'error'), []);
    const raw = preview!.message!.raw.toString();
    assert.match(raw, /^To: "Ann: \\"the #1\\"" <ann@example\.org>\r$/m);
    assert.match(raw, /^Subject: Release 2: notes\r$/m);
    assert.match(raw, /Hello Ann: "the #1"|Hello Ann: &quot;the #1&quot;/);
    assert.doesNotMatch(raw, /mergeData/);
    assert.deepEqual(preview!.review?.files.map((f) => f.name), ['doc.pdf']);
  });

  it('reports two rows for the same recipients: each row is sent once, so one row per recipient', async () => {
    d.write('t.eml', eml('To: ${email}'));
    d.write('people.csv', csv([['name', 'email', 'code'], ['A', 'a@example.org', '1'], ['B', 'b@example.org', '2'], ['A again', 'A@example.org', '3']]));
    const { check } = await d.openChecked('t.eml');
    const dup = check.problems.find((p) => p.code === 'merge-duplicate-recipient');
    assert.equal(dup?.row, 3);
    assert.match(dup?.message ?? '', /same recipients as row 1/);
    assert.equal(check.sendable, false);
  });

  it('produces bytes that prepare unchanged, with one Message-ID and no Bcc', async () => {
    d.write('t.eml', eml('To: ${email}\r\nBcc: archive@example.com'));
    d.write('people.csv', csv([['name', 'email', 'code'], ['A', 'a@example.org', '1']]));
    const { preview } = await row(1);
    const raw = preview.message!.raw;
    assert.equal((raw.toString().match(/^Message-ID:/gim) ?? []).length, 1);
    assert.doesNotMatch(raw.toString(), /^Bcc:/im);
    assert.deepEqual(preview.message!.envelope.to, ['a@example.org', 'archive@example.com']);
    const again = prepareMessage(raw);
    assert.ok(again.ok, 'the bytes are a valid message');
  });
});

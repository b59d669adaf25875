// The data readers: CSV (RFC 4180 through csv-parse: a header, quoted fields with line breaks, "," or ";",
// UTF-8 with or without BOM) and JSON (an array of objects), each row with its place in the file, and
// every way a file can be wrong said with its line.
import * as assert from 'node:assert/strict';
import { openData, type DataSource } from '../../../src/core/merge/data';
import { mergeDir, type MergeDir } from './helpers';

async function all(source: DataSource) {
  const out = [];
  for await (const item of source.rows()) out.push(item);
  return out;
}

describe('merge: data files', () => {
  let d: MergeDir;
  beforeEach(() => (d = mergeDir()));
  afterEach(() => d.remove());

  it('reads CSV with a BOM, CRLF, quoted commas, quotes and line breaks, and knows each row\u2019s line', async () => {
    const file = d.write('p.csv', '\uFEFFname,email,note\r\n"Lee, Ann",ann@example.org,"said ""hi"""\r\nBob,bob@example.org,"two\r\nlines"\r\n\r\nCy,cy@example.org,x\r\n');
    const source = await openData(file);
    assert.deepEqual(source.columns, ['name', 'email', 'note']);
    const rows = await all(source);
    assert.deepEqual(rows.map((r) => ({ ...r.row.values })), [
      { name: 'Lee, Ann', email: 'ann@example.org', note: 'said "hi"' },
      { name: 'Bob', email: 'bob@example.org', note: 'two\r\nlines' },
      { name: 'Cy', email: 'cy@example.org', note: 'x' },
    ]);
    assert.deepEqual(rows.map((r) => [r.row.number, r.row.range.start.line]), [[1, 1], [2, 2], [3, 5]]);
    assert.deepEqual(rows[2].row.cellRange('email'), { start: { line: 5, character: 3 }, end: { line: 5, character: 17 } });
    assert.deepEqual(rows.flatMap((r) => r.problems), []);
  });

  it('takes ";" as the delimiter when it splits the header into more columns (Excel in many locales)', async () => {
    const source = await openData(d.write('p.csv', 'name;email;amount\nAnn;ann@example.org;1,50\n'));
    assert.deepEqual(source.columns, ['name', 'email', 'amount']);
    assert.deepEqual({ ...(await all(source))[0].row.values }, { name: 'Ann', email: 'ann@example.org', amount: '1,50' });
  });

  it('names a row whose field count does not match the header, a duplicate column, and an empty file', async () => {
    const source = await openData(d.write('p.csv', 'name,email,name\nAnn,ann@example.org\n'));
    assert.match(source.problems[0].message, /names "name" twice/);
    const [row] = await all(source);
    assert.match(row.problems[0].message, /row 1 has 2 fields, the header names 3/);
    const empty = await openData(d.write('e.csv', ''));
    assert.match(empty.problems[0].message, /empty/);
  });

  it('stops with the line of a broken quote, and refuses text that is not UTF-8', async () => {
    const broken = await openData(d.write('b.csv', 'name,email\nAnn,ann@example.org\n"Bob,bob@example.org\n'));
    await assert.rejects(all(broken), (err: { problem?: { message: string } }) => /not valid CSV/.test(err.problem?.message ?? ''));
    const latin1 = await openData(d.write('l.csv', Buffer.concat([Buffer.from('name,email\nJos'), Buffer.from([0xe9]), Buffer.from(',j@example.org\n')])));
    assert.match(latin1.problems.map((p) => p.message).join(), /not UTF-8/, 'found while reading the header (the file is one chunk)');
    assert.deepEqual(await all(latin1), []);
  });

  it('reads JSON arrays of objects (numbers and booleans as text, null as empty) with each row\u2019s place', async () => {
    const file = d.write('p.json', '[\n  {"name": "Ann", "email": "ann@example.org", "n": 1.5, "vip": true},\n  {"name": "Bob", "email": "bob@example.org", "n": null}\n]\n');
    const source = await openData(file);
    assert.deepEqual(source.columns, ['name', 'email', 'n', 'vip']);
    const rows = await all(source);
    assert.deepEqual(rows.map((r) => ({ ...r.row.values })), [
      { name: 'Ann', email: 'ann@example.org', n: '1.5', vip: 'true' },
      { name: 'Bob', email: 'bob@example.org', n: '' },
    ]);
    assert.equal(rows[1].row.range.start.line, 2);
    assert.deepEqual(rows[1].row.cellRange('email'), { start: { line: 2, character: 18 }, end: { line: 2, character: 25 } });
  });

  it('says what is wrong with JSON that is not an array of flat objects', async () => {
    const bad = await openData(d.write('b.json', '[{"name": "Ann",}]'));
    assert.match(bad.problems[0].message, /not valid JSON/);
    assert.deepEqual(await all(bad), []);
    const object = await openData(d.write('o.json', '{"name": "Ann"}'));
    assert.match(object.problems[0].message, /array of objects/);
    const nested = await openData(d.write('n.json', '[{"name": {"first": "Ann"}}, "x"]'));
    assert.match(nested.problems[0].message, /row 2 is a single value/);
    const [first] = await all(nested);
    assert.match(first.problems[0].message, /row 1, column name: a value is text/);
  });
});

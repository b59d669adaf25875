import * as assert from 'node:assert/strict';
import { scanMessage } from '../../../src/core/message';

describe('message scanner', () => {
  it('reads fields with exact ranges for name, colon, value and each folded line', () => {
    const text = 'From: a@example.com\r\nSubject: one\r\n  two\r\n\tthree\r\n\r\nbody\r\n';
    const s = scanMessage(text);
    assert.equal(s.fields.length, 2);
    const subject = s.fields[1];
    assert.equal(subject.name, 'Subject');
    assert.equal(subject.key, 'subject');
    assert.equal(subject.value, ' one  two\tthree');
    assert.equal(subject.rawValue, ' one\r\n  two\r\n\tthree');
    assert.deepEqual(subject.nameRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } });
    assert.deepEqual(subject.colonRange, { start: { line: 1, character: 7 }, end: { line: 1, character: 8 } });
    assert.deepEqual(subject.valueRange, { start: { line: 1, character: 8 }, end: { line: 3, character: 6 } });
    assert.deepEqual(
      subject.lines.map((l) => l.range),
      [
        { start: { line: 1, character: 0 }, end: { line: 1, character: 12 } },
        { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } },
        { start: { line: 3, character: 0 }, end: { line: 3, character: 6 } },
      ],
    );
    assert.deepEqual(s.separator?.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } });
    assert.equal(text.slice(s.bodyOffset), 'body\r\n');
    assert.equal(s.bodyLine, 5);
    assert.deepEqual(s.lineEndings, { crlf: 6, lf: 0, cr: 0 });
  });

  it('counts CRLF, bare LF and bare CR each as one line for positions, like VS Code', () => {
    const s = scanMessage('A: 1\nB: 2\r\n\nbody\rmore');
    assert.deepEqual(
      s.fields.map((f) => [f.name, f.range.start.line]),
      [
        ['A', 0],
        ['B', 1],
      ],
    );
    assert.deepEqual(s.lineEndings, { crlf: 1, lf: 2, cr: 1 });
    assert.equal(s.firstBareLf, 4);
    assert.equal(s.firstBareCr, 16);
    assert.equal(s.bodyLine, 3);
    assert.deepEqual(s.positionAt(17), { line: 4, character: 0 });
  });

  it('ends header lines only at LF or CRLF: a bare CR in the header block belongs to its field', () => {
    const s = scanMessage('A: 1\rB: 2\r\nC: 3\r \r\n\r\nbody');
    assert.deepEqual(
      s.fields.map((f) => [f.name, f.value]),
      [
        ['A', ' 1\rB: 2'],
        ['C', ' 3\r '],
      ],
    );
    assert.equal(s.bareCrsInHeader, 2);
    assert.equal(s.firstHeaderBareCr, 4);
    assert.equal(s.firstBareCr, undefined);
    // Positions still break at every CR, so ranges match what the editor shows.
    assert.deepEqual(s.fields[0].range, { start: { line: 0, character: 0 }, end: { line: 1, character: 4 } });
    assert.deepEqual(s.fields[1].range, { start: { line: 2, character: 0 }, end: { line: 3, character: 1 } });
    assert.equal(s.bodyLine, 5);
    assert.deepEqual(s.lineEndings, { crlf: 3, lf: 0, cr: 2 });
  });

  it('a line that starts with a bare CR is not the blank line that ends the header', () => {
    const s = scanMessage('A: 1\r\n\rB: 2\r\n\r\nbody');
    assert.deepEqual(
      s.fields.map((f) => f.name),
      ['A', '\rB'],
    );
    assert.equal(s.text.slice(s.bodyOffset), 'body');
  });

  it('reads a message with no body, with or without a final line break', () => {
    for (const text of ['From: a@example.com\r\nTo: b@example.org', 'From: a@example.com\r\nTo: b@example.org\r\n']) {
      const s = scanMessage(text);
      assert.equal(s.fields.length, 2);
      assert.equal(s.hasBody, false);
      assert.equal(s.separator, undefined);
      assert.equal(s.bodyOffset, text.length);
    }
    const withSeparator = scanMessage('From: a@example.com\r\n\r\n');
    assert.ok(withSeparator.separator);
    assert.equal(withSeparator.hasBody, false);
  });

  it('keeps a line with no colon as a field without one (the missing blank line case)', () => {
    const s = scanMessage('From: a@example.com\nHello there\nmore\n');
    assert.deepEqual(
      s.fields.map((f) => [f.name, f.hasColon]),
      [
        ['From', true],
        ['Hello there', false],
        ['more', false],
      ],
    );
    assert.equal(s.hasBody, false);
  });

  it('notes a BOM: kept at offset 0 of a string, dropped from decoded bytes', () => {
    const fromString = scanMessage('\uFEFFFrom: a@example.com\r\n');
    assert.equal(fromString.bom, true);
    assert.equal(fromString.headerStart, 1);
    assert.equal(fromString.fields[0].name, 'From');
    assert.deepEqual(fromString.fields[0].nameRange.start, { line: 0, character: 1 });
    const fromBytes = scanMessage(Buffer.from('\uFEFFFrom: a@example.com\r\n', 'utf8'));
    assert.equal(fromBytes.bom, true);
    assert.equal(fromBytes.headerStart, 0);
    assert.equal(fromBytes.text.startsWith('From'), true);
  });

  it('decodes UTF-8 bytes, and falls back to Latin-1 byte for byte when they are not UTF-8', () => {
    const utf8 = scanMessage(Buffer.from('Subject: Grüße\r\n', 'utf8'));
    assert.equal(utf8.decoding, 'utf-8');
    assert.equal(utf8.fields[0].value, ' Grüße');
    const raw = Buffer.from([0x53, 0x3a, 0x20, 0xe9, 0xff, 0x0d, 0x0a]);
    const latin1 = scanMessage(raw);
    assert.equal(latin1.decoding, 'latin1');
    assert.equal(latin1.fields[0].value, ' \u00e9\u00ff');
    assert.deepEqual(Buffer.from(latin1.text, 'latin1'), raw);
  });

  it('counts columns in UTF-16 code units', () => {
    const s = scanMessage('Subject: 😀x\r\nTo: b@example.org\r\n');
    assert.deepEqual(s.fields[0].range.end, { line: 0, character: 12 });
  });

  it('does not throw on empty input or garbage', () => {
    assert.equal(scanMessage('').fields.length, 0);
    assert.equal(scanMessage(new Uint8Array()).fields.length, 0);
    const garbage = scanMessage(Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 13, 10, 10, 58, 58, 32, 9, 0x80]));
    assert.ok(garbage.lineStarts.length > 1);
  });

  it('records long lines, keeping every line over 998', () => {
    const text = 'A: 1\r\n\r\n' + ('y'.repeat(100) + '\r\n').repeat(300) + 'z'.repeat(1000) + '\r\n';
    const s = scanMessage(text);
    assert.equal(s.longLineCount, 301);
    assert.ok(s.longLines.some((l) => l.end - l.start === 1000));
  });
});

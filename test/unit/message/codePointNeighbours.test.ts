// Issue #16: the neighbours of each rule of codePoints.ts: every kind of code point that displays
// differently from what is sent next to the letters and spaces that are fine, a tab next to a line break,
// the first and last code point of each range escaped next to the ones just outside it.
import * as assert from 'node:assert/strict';
import { escapeControls, firstBreakingCodePoint, firstUnsafeCodePoint } from '../../../src/core/message/codePoints';

describe('code points: what displays differently from what is sent', () => {
  const unsafe: Array<[string, string, string]> = [
    ['\u0000', 'U+0000', 'a control character'],
    ['\u001f', 'U+001F', 'a control character'],
    ['\u007f', 'U+007F', 'a control character'],
    ['\u0085', 'U+0085', 'a control character'],
    ['\u009f', 'U+009F', 'a control character'],
    ['\u2028', 'U+2028', 'a line or paragraph separator'],
    ['\u2029', 'U+2029', 'a line or paragraph separator'],
    ['\u00a0', 'U+00A0', 'a space-like character'],
    ['\u3000', 'U+3000', 'a space-like character'],
    ['\ud800', 'U+D800', 'half of a surrogate pair, not a character'],
    ['\udfff', 'U+DFFF', 'half of a surrogate pair, not a character'],
    ['\u00ad', 'U+00AD', 'an invisible formatting character'],
    ['\u202e', 'U+202E', 'an invisible formatting character'],
    ['\u{e0001}', 'U+E0001', 'an invisible formatting character'],
    ['\ufffe', 'U+FFFE', 'a noncharacter'],
    ['\uffff', 'U+FFFF', 'a noncharacter'],
  ];
  for (const [ch, code, kind] of unsafe) {
    it(`finds ${code} (${kind}) where it stands, with or without spaces allowed`, () => {
      assert.deepEqual(firstUnsafeCodePoint(`ab${ch}cd${ch}`), { index: 2, code, kind });
      assert.deepEqual(firstUnsafeCodePoint(`a b${ch}`, true), { index: 3, code, kind });
    });
  }

  it('lets letters of any script, emoji and a surrogate pair through', () => {
    for (const text of ['', 'jörg', 'δοκιμή', '用户', 'θ😀', '\ud83d\ude00', 'a\u00ffb', '\ufffd', '\ufffc']) {
      assert.equal(firstUnsafeCodePoint(text), undefined, JSON.stringify(text));
    }
  });

  it('lets a space and a tab through only when spaces are allowed (quoted strings), never a no-break space', () => {
    assert.deepEqual(firstUnsafeCodePoint('a b'), { index: 1, code: 'U+0020', kind: 'a space-like character' });
    assert.deepEqual(firstUnsafeCodePoint('a\tb'), { index: 1, code: 'U+0009', kind: 'a control character' });
    assert.equal(firstUnsafeCodePoint('a b\tc', true), undefined);
    assert.deepEqual(firstUnsafeCodePoint(' \t\u00a0', true), { index: 2, code: 'U+00A0', kind: 'a space-like character' });
  });

  it('starts every search at the beginning of its text (the pattern is global)', () => {
    assert.deepEqual(firstUnsafeCodePoint('abcdef\u00a0'), { index: 6, code: 'U+00A0', kind: 'a space-like character' });
    assert.deepEqual(firstUnsafeCodePoint('\u00a0'), { index: 0, code: 'U+00A0', kind: 'a space-like character' });
    assert.deepEqual(firstBreakingCodePoint('abcdef\u0085'), { index: 6, code: 'U+0085', kind: 'a control character' });
    assert.deepEqual(firstBreakingCodePoint('\u0085'), { index: 0, code: 'U+0085', kind: 'a control character' });
  });
});

describe('code points: what breaks a line in some tools (display and group names)', () => {
  it('finds controls and line or paragraph separators, skipping tabs', () => {
    assert.deepEqual(firstBreakingCodePoint('a\tb\u0085c'), { index: 3, code: 'U+0085', kind: 'a control character' });
    assert.deepEqual(firstBreakingCodePoint('\t\u0001'), { index: 1, code: 'U+0001', kind: 'a control character' });
    assert.deepEqual(firstBreakingCodePoint('a\u2028'), { index: 1, code: 'U+2028', kind: 'a line or paragraph separator' });
    assert.deepEqual(firstBreakingCodePoint('a\u2029'), { index: 1, code: 'U+2029', kind: 'a line or paragraph separator' });
    assert.deepEqual(firstBreakingCodePoint('\u000d\u000a'), { index: 0, code: 'U+000D', kind: 'a control character' });
  });

  it('lets tabs, spaces, no-break spaces and invisible formatting characters through (they break no line)', () => {
    for (const text of ['', 'Ann Lee', 'a\tb', '\u00a0\u3000', '\u200b\u202e\u00ad', 'Zoë 😀']) {
      assert.equal(firstBreakingCodePoint(text), undefined, JSON.stringify(text));
    }
  });
});

describe('code points: text from the document made safe for a terminal', () => {
  it('escapes the first and last code point of each range, and leaves its neighbours', () => {
    assert.equal(escapeControls('\u0000\u0001\u001f'), '\\x00\\x01\\x1f');
    assert.equal(escapeControls(' ~'), ' ~');
    assert.equal(escapeControls('\u007f\u0080\u009b\u009f'), '\\x7f\\x80\\x9b\\x9f');
    assert.equal(escapeControls('\u00a0é'), '\u00a0é');
    assert.equal(escapeControls('\u2027\u2028\u2029\u202a'), '\u2027\\u{2028}\\u{2029}\u202a');
    assert.equal(escapeControls('a\u001b[31mred\r\nb'), 'a\\x1b[31mred\\x0d\\x0ab');
  });

  it('leaves text with nothing to escape as it is', () => {
    assert.equal(escapeControls('Ann <ann@x.example>, "Zoë" 😀'), 'Ann <ann@x.example>, "Zoë" 😀');
  });
});

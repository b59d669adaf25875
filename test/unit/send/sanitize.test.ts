// Issue #16: what a server's text may hold on its way to a terminal, sequence by sequence (ECMA-48 section
// 5: ESC sequences, CSI with parameter and intermediate bytes, the control strings OSC/DCS/SOS/PM/APC ended
// by BEL or ST, their C1 forms), each next to the plain text around it that must stay; then a seeded
// property: for any text, no control character, line break or bidi override comes out, and text without
// them comes out unchanged.
import * as assert from 'node:assert/strict';
import { sanitizeForDisplay } from '../../../src/core/send/sanitize';

const ESC = '\u001b';
const BEL = '\u0007';
const ST = `${ESC}\\`;
const SHOWN = '\uFFFD';

describe('sanitizeForDisplay', () => {
  const cases: [string, string, string][] = [
    ['CSI colour around a word', `a${ESC}[1;31mred${ESC}[0mz`, 'aredz'],
    ['CSI with private parameters', `a${ESC}[?25lb`, 'ab'],
    ['CSI with every parameter byte (0x30-0x3f)', `a${ESC}[0123456789:;<=>?Hb`, 'ab'],
    ['CSI with an intermediate byte (DECSCUSR)', `a${ESC}[1 qb`, 'ab'],
    ['CSI with several intermediates', `a${ESC}[1!"#$%&'()*+,-./~b`, 'ab'],
    ['CSI final bytes at both ends of their range', `a${ESC}[1@b${ESC}[2~c`, 'abc'],
    ['CSI cut off at the end of the text', `a${ESC}[12;`, 'a'],
    ['OSC ended by BEL (window title)', `a${ESC}]0;owned${BEL}b`, 'ab'],
    ['OSC ended by ST (hyperlink)', `a${ESC}]8;;http://evil.example${ST}link${ESC}]8;;${ST}b`, 'alinkb'],
    ['OSC cut off at the end of the text', `a${ESC}]0;owned`, 'a'],
    ['OSC cut by another ESC sequence', `a${ESC}]0;t${ESC}[2Jb`, 'ab'],
    ['DCS string', `a${ESC}Pq#0;2;0;0;0${ST}b`, 'ab'],
    ['SOS string', `a${ESC}Xhidden${ST}b`, 'ab'],
    ['PM string', `a${ESC}^hidden${BEL}b`, 'ab'],
    ['APC string', `a${ESC}_hidden${ST}b`, 'ab'],
    ['two-character escape (RIS)', `a${ESC}cb`, 'ab'],
    ['two-character escape with a space', `a${ESC} Fb`, 'aFb'],
    ['a lone ESC at the end', `ab${ESC}`, 'ab'],
    ['C1 CSI with parameters, intermediates and a final byte', `a\u009b?1;2 qb`, 'ab'],
    ['C1 CSI cut off', `a\u009b12`, 'a'],
    ['C1 DCS ended by C1 ST', `a\u0090dcs\u009cb`, 'ab'],
    ['C1 OSC ended by BEL', `a\u009d0;title${BEL}b`, 'ab'],
    ['C1 PM ended by ESC ST', `a\u009ehidden${ST}b`, 'ab'],
    ['C1 APC cut off', `a\u009fhidden`, 'a'],
    ['CRLF is one space', 'a\r\nb', 'a b'],
    ['each other line break is a space', 'a\rb\nc\u2028d\u2029e', 'a b c d e'],
    ['LF then CR is two', 'a\n\rb', 'a  b'],
    ['tab is a space', 'a\tb', 'a b'],
    ['C0 controls and DEL are shown', `a\u0000b${BEL}c\u001fd\u007fe`, `a${SHOWN}b${SHOWN}c${SHOWN}d${SHOWN}e`],
    ['C1 controls at both ends of the range are shown', 'a\u0080b\u0085c\u009cd', `a${SHOWN}b${SHOWN}c${SHOWN}d`],
    ['bidi embeddings, overrides and isolates are shown', 'a\u202ab\u202ec\u2066d\u2069e', `a${SHOWN}b${SHOWN}c${SHOWN}d${SHOWN}e`],
    ['their neighbours stay', 'a\u00a0b\u2027cd\u2065e\u2070f\u202f', 'a\u00a0b\u2027cd\u2065e\u2070f\u202f'],
    ['ordinary text stays', 'Jérôme 密码 € [x] ]0; ~', 'Jérôme 密码 € [x] ]0; ~'],
  ];
  for (const [what, input, expected] of cases) {
    it(`${what}: ${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, () => {
      assert.equal(sanitizeForDisplay(input), expected);
    });
  }

  /** mulberry32, seeded: the failing input names its round. */
  function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  const HOSTILE = [ESC, '[', ']', 'P', '_', '^', 'X', '\u009b', '\u0090', '\u009c', '\u009d', BEL, '\\', '\r', '\n', '\t', '\u0000', '\u007f', '\u0085', '\u2028', '\u202e', '\u2067', '1', ';', ' ', 'm', 'a', 'é'];
  const PLAIN = ['a', 'Z', '0', ' ', '[', ']', ';', '\\', 'é', '€', '密', '\u00a0', '\u202f', '~', '😀'];

  it('for 3,000 generated texts (seed 1616): nothing that moves the cursor or splits the line comes out', () => {
    const next = random(1616);
    for (let round = 0; round < 3000; round++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 24) }, () => HOSTILE[Math.floor(next() * HOSTILE.length)]).join('');
      const out = sanitizeForDisplay(text);
      assert.doesNotMatch(out, FORBIDDEN, `round ${round}: ${JSON.stringify(text)} -> ${JSON.stringify(out)}`);
      assert.equal(sanitizeForDisplay(out), out, `round ${round}: a second pass changes ${JSON.stringify(out)}`);
    }
  });

  it('for 1,000 generated texts without controls (seed 61): the text comes out unchanged', () => {
    const next = random(61);
    for (let round = 0; round < 1000; round++) {
      const text = Array.from({ length: Math.floor(next() * 30) }, () => PLAIN[Math.floor(next() * PLAIN.length)]).join('');
      assert.equal(sanitizeForDisplay(text), text, `round ${round}`);
    }
  });
});

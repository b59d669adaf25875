// Issue #16: secret scrubbing must remove every copy of a secret in a line, in every form: raw, URL-encoded,
// and inside base64 at any alignment (an echoed AUTH PLAIN payload, a token inside some other blob).
// A seeded generator makes secrets, users and line shapes; k copies go in, none may come out.
import * as assert from 'node:assert/strict';
import { DialogueRedactor } from '../../../src/core/send/redact';

/** mulberry32: small, seeded, good enough to vary inputs reproducibly. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const text = (alphabet: string, lo: number, hi: number) => Array.from({ length: int(lo, hi) }, () => pick([...alphabet])).join('');
  return { next, int, pick, text };
}

const SECRET_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&*+-./:;=?@^_~ ()[]{}|,éß€密';
const SEPARATORS = [' ', ', ', ': ', '"', "'", '(', ')', '=', '', ' -- ', '\t', '/', '+'];
const FILLER = ['535', '5.7.8', 'Authentication', 'failed', 'for', 'AUTH PLAIN', 'you', 'sent', 'token', 'x', 'OK', 'queued', 'as', 'ABCD'];

const b64 = (s: string | Buffer) => Buffer.from(s as string).toString('base64');
const b64url = (s: string | Buffer) => b64(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Base64-looking runs of the output, decoded at each of the four starting offsets. */
function decodedRuns(text: string): Buffer[] {
  const out: Buffer[] = [];
  for (const run of text.match(/[A-Za-z0-9+/_-]{4,}={0,2}/g) ?? []) {
    for (let offset = 0; offset < 4; offset++) {
      const part = run.slice(offset);
      out.push(Buffer.from(part, 'base64'), Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    }
  }
  return out;
}

describe('secret scrubbing (property)', () => {
  it('k copies of a secret, in any form and line shape, go in; none come out', () => {
    const g = generator(0x5eed_2026);
    for (let round = 0; round < 600; round++) {
      const secret = g.text(SECRET_ALPHABET, 6, 40);
      const user = `${g.text('abcdefghij', 2, 8)}@${g.text('klmnopqrs', 2, 8)}.example`;
      const forms: (() => string)[] = [
        () => secret,
        () => encodeURIComponent(secret),
        () => b64(secret),
        () => b64(`\u0000${user}\u0000${secret}`),
        () => b64(`${user}\u0000${user}\u0000${secret}`),
        () => b64(`user=${user}\u0001auth=Bearer ${secret}\u0001\u0001`),
        () => b64(`${user}:${secret}`),
        // Inside some other payload, at every alignment.
        () => b64(g.text('qwertyuiop=;:', 0, 7) + secret + g.text('asdfghjkl&', 0, 7)),
        () => b64url(g.text('zxcvbnm', 0, 5) + secret + g.text('zxcvbnm', 0, 5)),
      ];
      const k = g.int(1, 6);
      const parts: string[] = [g.pick(FILLER)];
      const inserted: string[] = [];
      for (let i = 0; i < k; i++) {
        const form = g.pick(forms)();
        inserted.push(form);
        parts.push(g.pick(SEPARATORS), form, g.pick(SEPARATORS), g.next() < 0.5 ? g.pick(FILLER) : '');
      }
      const line = parts.join('');
      const secretKind = g.next() < 0.5 ? 'password' : 'accessToken';
      const redactor = new DialogueRedactor(user, { [secretKind]: secret });
      for (const [name, out] of [
        ['scrub', redactor.scrub(line)],
        ['shown', redactor.shown(line)],
      ] as const) {
        const where = `round ${round} (${name}): secret ${JSON.stringify(secret)}, line ${JSON.stringify(line)} -> ${JSON.stringify(out)}`;
        assert.ok(!out.includes(secret), `raw secret left: ${where}`);
        for (const form of inserted) assert.ok(!out.includes(form), `a form left (${form}): ${where}`);
        const needle = Buffer.from(secret, 'utf8');
        assert.ok(!decodedRuns(out).some((d) => d.includes(needle)), `secret inside base64 left: ${where}`);
        assert.ok(out.includes('<redacted>'), `nothing marked: ${where}`);
      }
    }
  });

  it('leaves lines without the secret as they were (no over-eager blanking of ordinary text)', () => {
    const g = generator(42);
    const redactor = new DialogueRedactor('ann@example.com', { password: 'Tr0ub4dor&3-horse' });
    for (let i = 0; i < 200; i++) {
      const line = Array.from({ length: g.int(1, 12) }, () => g.pick(FILLER)).join(g.pick([' ', ', ']));
      assert.equal(redactor.scrub(line), line);
    }
  });
});

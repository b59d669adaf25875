// Blind copies stay blind: whatever the document (any casing, folded values, groups, Resent- fields, composed
// or plain), no Bcc-like field reaches the bytes every recipient receives, while every blind address still
// gets an RCPT TO. A seeded property test with a bounded count.
import * as assert from 'node:assert/strict';
import { prepareDocument } from '../../../src/core/document/analyze';
import { prepareMessage } from '../../../src/core/message/prepare';

/** A small deterministic generator (mulberry32) so a failure names its seed. */
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

const NAMES = ['Bcc', 'BCC', 'bcc', 'bCc', 'Resent-Bcc', 'RESENT-BCC', 'resent-bcc'];

describe('blind copies never reach the bytes', () => {
  it('Resent-Bcc is removed like Bcc (a resend\'s blind copies are not this message\'s recipients)', () => {
    const text = 'From: ann@example.com\r\nTo: bob@example.org\r\nResent-From: ann@example.com\r\nResent-Bcc: eve@example.net\r\nSubject: s\r\n\r\nHi\r\n';
    const result = prepareMessage(text, { now: new Date(0) });
    assert.ok(result.ok, JSON.stringify(result.problems));
    assert.doesNotMatch(result.message.raw.toString('latin1'), /bcc|eve@example\.net/i);
    assert.deepEqual(result.message.envelope.to, ['bob@example.org']);
  });

  it('for 400 generated documents (seed 20261130), no Bcc-like field and no blind address is in the bytes', async () => {
    const next = random(20261130);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    for (let i = 0; i < 400; i++) {
      const blind = `blind${i}@hidden.example`;
      const name = pick(NAMES);
      const value = pick([blind, `Secret <${blind}>`, `undisclosed: ${blind};`, `\r\n ${blind}`, `x${i}@a.example,\r\n\t${blind}`]);
      const eol = pick(['\r\n', '\n']);
      const lines = ['From: ann@example.com', 'To: bob@example.org', `${name}: ${value}`, 'Subject: generated'];
      if (next() < 0.3) lines.splice(1, 0, `${pick(NAMES)}: second${i}@hidden.example`);
      const composed = next() < 0.3;
      if (composed) lines.push('Content-Type: text/markdown');
      const text = lines.join(eol) + eol + eol + `Body ${i}` + eol;
      const result = composed ? await prepareDocument(text, { now: new Date(0) }) : prepareMessage(text, { now: new Date(0) });
      if (!result.ok) continue; // a document the rules refuse sends nothing at all
      const header = result.message.raw.toString('latin1').split('\r\n\r\n')[0];
      assert.doesNotMatch(header, /^(resent-)?bcc\s*:/im, `document ${i}:\n${text}`);
      assert.ok(!result.message.raw.toString('latin1').includes('hidden.example'), `document ${i}: a blind address in the bytes:\n${text}`);
      if (!name.toLowerCase().startsWith('resent-')) assert.ok(result.message.envelope.to.includes(blind), `document ${i}: the blind address still gets its RCPT TO`);
    }
  });
});

// Issue #16: a property test with a seeded generator. For any generated document, the envelope never
// holds an address that is not exactly one of the addresses the headers show, and no CR, LF, comma,
// space or look-alike smuggling yields an extra RCPT TO. Check and prepare agree on every document.
import * as assert from 'node:assert/strict';
import { domainToASCII } from 'node:url';
import { deriveEnvelope, prepareMessage, scanMessage, validateMessage } from '../../../src/core/message';
import { prng } from './prng';

const SEED = 20261124;
const DOCUMENTS = 4000;

/** One address as a header shows it, and its envelope spelling when it has an honest one. */
interface Shown {
  text: string;
  /** The addr-specs a reader of the header sees (none for an address that cannot be sent as shown). */
  envelope: string[];
}

type Pick = <T>(list: readonly T[]) => T;

function shownAddress(pick: Pick, random: () => number, n: number): Shown {
  const host = pick(['ok.example', 'mail.ok.example', 'OK.Example']);
  const sendable: Array<() => Shown> = [
    () => ({ text: `u${n}@${host}`, envelope: [`u${n}@${host}`] }),
    () => ({ text: `Name ${n} <u${n}@${host}>`, envelope: [`u${n}@${host}`] }),
    () => ({ text: `"N${n}, evil${n}@bad.example" <u${n}@${host}>`, envelope: [`u${n}@${host}`] }),
    () => ({ text: `u${n}@${host} (evil${n}@bad.example, x)`, envelope: [`u${n}@${host}`] }),
    () => ({ text: `"u${n}"@${host}`, envelope: [`u${n}@${host}`] }),
    () => ({ text: `"u${n}..x"@${host}`, envelope: [`"u${n}..x"@${host}`] }),
    () => ({ text: `u${n}(c)@(d)${host}`, envelope: [`u${n}@${host}`] }),
    () => ({ text: `u${n}@bücher${n}.example`, envelope: [`u${n}@${domainToASCII(`bücher${n}.example`)}`] }),
    () => ({ text: `jörg${n}@${host}`, envelope: [`jörg${n}@${host}`] }),
    () => ({ text: `u${n}@[192.0.2.${n % 250}]`, envelope: [`u${n}@[192.0.2.${n % 250}]`] }),
    () => ({ text: `G${n}: u${n}@${host}, v${n}@${host};`, envelope: [`u${n}@${host}`, `v${n}@${host}`] }),
  ];
  const unsendable: Array<() => Shown> = [
    // Shown, but with no honest envelope form: these must never reach RCPT TO in any spelling.
    () => ({ text: `u${n}@bank.example%2Eattacker.é`, envelope: [] }),
    () => ({ text: `u${n}\u00a0x@${host}`, envelope: [] }),
    () => ({ text: `u${n}\u202ex@${host}`, envelope: [] }),
    () => ({ text: `u${n}@[IPv6:fe80::1%eth0]`, envelope: [] }),
    () => ({ text: `u${n}@ｅｘａｍｐｌｅ.com`, envelope: [] }),
    // A quoted space is shown exactly; were it ever sent, it would be sent as shown.
    () => ({ text: `"u ${n}"@${host}`, envelope: [`"u ${n}"@${host}`] }),
  ];
  return pick(random() < 0.1 ? unsendable : sendable)();
}

/** Separators between addresses, plain and hostile. None of them may add a recipient. */
const SEPARATORS = [', ', ',', ';', ' , , ', ',\r\n ', '\r\n , ', ',\n '];
const SMUGGLING = [
  '\rBcc: evil@bad.example, ',
  '\r evil@bad.example, ',
  '\r\n evil@bad.example\r, ',
  '>\r\n RCPT TO:<evil@bad.example>, ',
  '\r\nRCPT TO:<evil@bad.example>\r\n ',
  '\u2028evil@bad.example, ',
  '\u0085Bcc: evil@bad.example, ',
  '\u00a0evil@bad.example, ',
  ' (evil@bad.example) , ',
  '\u0000, evil@bad.example, ',
  ', "evil@bad.example" , ',
  '%0d%0aBcc:evil@bad.example, ',
  '\r\n\r\nBcc: evil@bad.example\r\n',
  '\nevil@bad.example, ',
];

function canonical(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

function generate(random: () => number): { doc: string; rcpt: Set<string>; from: Set<string> } {
  const pick: Pick = (list) => list[Math.floor(random() * list.length)];
  let n = Math.floor(random() * 1000);
  const rcpt = new Set<string>();
  const from = new Set<string>();
  const list = (into: Set<string>, count: number): string => {
    let text = '';
    for (let k = 0; k < count; k++) {
      const shown = shownAddress(pick, random, n++);
      for (const e of shown.envelope) into.add(canonical(e));
      // Smuggling is glued to the address before it; after a group's ";" a new entry starts, where
      // "%0d%0aBcc: evil@bad.example," is a plain group that shows its member.
      const glued = !text.endsWith(';');
      if (k > 0) text += glued && random() < 0.08 ? pick(SMUGGLING) : pick(SEPARATORS);
      text += shown.text;
    }
    if (!text.endsWith(';') && random() < 0.05) text += pick(SMUGGLING);
    return text;
  };
  const lines = [`From: ${list(from, 1)}`];
  if (random() < 0.1) lines.push(`Sender: ${list(from, 1)}`);
  for (const field of ['To', 'Cc', 'Bcc']) {
    if (random() < (field === 'To' ? 0.9 : 0.4)) lines.push(`${field}: ${list(rcpt, 1 + Math.floor(random() * 4))}`);
  }
  lines.push('Subject: property', 'Date: Mon, 23 Nov 2026 09:15:00 +0000', 'Message-ID: <p@ok.example>');
  return { doc: lines.join('\r\n') + '\r\n\r\nbody\r\n', rcpt, from };
}

describe('envelope property: only the addresses the headers show, nothing smuggled', function () {
  this.timeout(120_000);

  it(`${DOCUMENTS} seeded documents`, () => {
    const random = prng(SEED);
    let sent = 0;
    for (let i = 0; i < DOCUMENTS; i++) {
      const { doc, rcpt, from } = generate(random);
      const context = `document ${i} (seed ${SEED}): ${JSON.stringify(doc)}`;
      const prepared = prepareMessage(doc, { smtpUtf8: true });
      const checkFails = validateMessage(doc, { smtpUtf8: true }).some((p) => p.severity === 'error');
      assert.equal(checkFails, !prepared.ok, `check and prepare disagree on ${context}`);
      const derived = deriveEnvelope(scanMessage(doc));
      for (const envelope of [prepared.ok ? prepared.message.envelope : undefined, derived.ok ? derived.envelope : undefined]) {
        if (!envelope) continue;
        assert.doesNotMatch(JSON.stringify(envelope), /bad\.example|attacker/, context);
        assert.ok(from.has(canonical(envelope.from)), `MAIL FROM ${envelope.from} is not a shown sender: ${context}`);
        const seen = new Set<string>();
        for (const address of envelope.to) {
          const key = canonical(address);
          assert.ok(rcpt.has(key), `RCPT TO ${JSON.stringify(address)} is not an address the headers show: ${context}`);
          assert.ok(!seen.has(key), `RCPT TO ${address} twice: ${context}`);
          seen.add(key);
        }
        assert.ok(envelope.to.length <= rcpt.size, context);
      }
      if (prepared.ok) sent++;
    }
    // Enough documents survive the noise for the property to say something.
    assert.ok(sent > DOCUMENTS / 10, `only ${sent} of ${DOCUMENTS} documents could be sent`);
  });
});

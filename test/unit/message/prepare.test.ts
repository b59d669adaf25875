import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { codes, prepareMessage } from '../../../src/core/message';
import { fixture } from '../../support/paths';
import { message } from './helpers';

const casesDir = fixture('message', 'prepare');
const now = new Date('2026-11-23T09:30:00Z');

describe('prepareMessage: the exact bytes to send', () => {
  for (const name of readdirSync(casesDir)) {
    it(`fixture ${name}: byte-exact output and envelope`, () => {
      const dir = join(casesDir, name);
      const options = JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8'));
      const bytes = readFileSync(join(dir, 'input.eml'));
      const input = options.bytes ? bytes : bytes.toString('utf8');
      const result = prepareMessage(input, { ...options, now: options.now ? new Date(options.now) : undefined });
      assert.ok(result.ok, JSON.stringify(result.problems));
      const expected = readFileSync(join(dir, 'expected.eml'));
      assert.equal(result.message.raw.toString('latin1'), expected.toString('latin1'));
      assert.ok(result.message.raw.equals(expected));
      assert.equal(result.message.size, expected.length);
      const envelope = JSON.parse(readFileSync(join(dir, 'expected-envelope.json'), 'utf8'));
      assert.deepEqual(
        {
          ...result.message.envelope,
          needsSmtpUtf8: result.message.needsSmtpUtf8,
          has8BitBody: result.message.has8BitBody,
          messageId: result.message.messageId,
        },
        envelope,
      );
    });
  }

  it('uses CRLF everywhere: no bare CR or LF is left', () => {
    const result = prepareMessage('From: a@example.com\nTo: b@example.org\r\nSubject: x\r\n\nline\rline\nline\r\n');
    assert.ok(result.ok);
    const text = result.message.raw.toString('latin1');
    assert.equal(text.replace(/\r\n/g, '').match(/[\r\n]/), null);
  });

  it('removes every Bcc field but keeps its addresses in the envelope', () => {
    const result = prepareMessage(message({ Bcc: 'x@example.net,\r\n y@example.net' }));
    assert.ok(result.ok);
    assert.doesNotMatch(result.message.raw.toString(), /bcc|x@example\.net|y@example\.net/i);
    assert.deepEqual(result.message.envelope.to, ['bob@example.org', 'x@example.net', 'y@example.net']);
  });

  it('gives the same document the same Message-ID, and a different document another', () => {
    const doc = message({ 'Message-ID': null, Date: null });
    const first = prepareMessage(doc, { now });
    const retry = prepareMessage(doc, { now: new Date('2027-01-01T00:00:00Z') });
    const other = prepareMessage(doc.replace('Hello.', 'Hello!'), { now });
    assert.ok(first.ok && retry.ok && other.ok);
    assert.match(first.message.messageId, /^<[0-9a-f]{32}@example\.com>$/);
    assert.equal(retry.message.messageId, first.message.messageId);
    assert.notEqual(other.message.messageId, first.message.messageId);
    assert.match(first.message.raw.toString(), /\r\nDate: Mon, 23 Nov 2026 09:30:00 \+0000\r\n/);
  });

  it('takes the Message-ID domain from options.messageIdDomain when given', () => {
    const result = prepareMessage(message({ 'Message-ID': null }), { messageIdDomain: 'mx.example.net' });
    assert.ok(result.ok);
    assert.match(result.message.messageId, /@mx\.example\.net>$/);
  });

  it('keeps an existing Date and Message-ID untouched', () => {
    const doc = message();
    const result = prepareMessage(doc, { now });
    assert.ok(result.ok);
    assert.equal(result.message.raw.toString(), doc);
    assert.equal(result.message.messageId, '<m1@example.com>');
  });

  it('refuses a message with errors and says why', () => {
    const result = prepareMessage(message({ From: null, To: 'bad@@example.org' }));
    assert.equal(result.ok, false);
    const found = result.problems.map((p) => p.code);
    assert.ok(found.includes(codes.MISSING_FROM));
    assert.ok(found.includes(codes.ADDRESS_SYNTAX));
  });

  it('flags an 8-bit body for BODY=8BITMIME and a UTF-8 local part for SMTPUTF8', () => {
    const result = prepareMessage(message({ To: 'jörg@example.org' }, 'café\r\n'));
    assert.ok(result.ok);
    assert.equal(result.message.has8BitBody, true);
    assert.equal(result.message.needsSmtpUtf8, true);
  });

  it('encodes headers so that a real MIME parser reads back the original text', async () => {
    const subject = 'Grüße aus Köln – “quotes” and an emoji 😀 in a long subject that must be folded';
    const doc = message({ From: '"Müller, Jörg" <joerg@bücher.de>', Subject: subject });
    const result = prepareMessage(doc);
    assert.ok(result.ok);
    const raw = result.message.raw.toString('latin1');
    assert.equal(/[^\x00-\x7f]/.test(raw), false, 'the header is 7-bit');
    for (const line of raw.split('\r\n')) assert.ok(line.length <= 78, line);
    const parsed = await PostalMime.parse(result.message.raw);
    assert.equal(parsed.subject, subject);
    assert.equal(parsed.from?.name, 'Müller, Jörg');
    assert.equal(parsed.from && 'address' in parsed.from ? parsed.from.address : '', 'joerg@xn--bcher-kva.de');
  });

  it('never throws on garbage: it answers with problems', () => {
    for (const input of ['', '\u0000', ':::\r\n\r\n', Buffer.from([0xff, 0xfe, 0x00, 0x0a]), 'From: <>\n\n']) {
      const result = prepareMessage(input);
      assert.equal(result.ok, false);
      assert.ok(result.problems.some((p) => p.severity === 'error'));
    }
  });
});

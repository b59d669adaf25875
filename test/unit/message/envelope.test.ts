import * as assert from 'node:assert/strict';
import { codes, deriveEnvelope, envelopeAddressProblem, scanMessage } from '../../../src/core/message';
import { message } from './helpers';

const envelopeOf = (text: string, defaults = {}) => deriveEnvelope(scanMessage(text), defaults);

describe('envelope (RFC 5321 MAIL FROM / RCPT TO from the headers)', () => {
  it('takes MAIL FROM from From and RCPT TO from To, Cc and Bcc, deduplicated', () => {
    const r = envelopeOf(
      message({ To: 'Bob <bob@example.org>, carol@example.org', Cc: 'BOB@EXAMPLE.ORG, bob@Example.Org, dave@example.org', Bcc: 'eve@example.net' }),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.envelope, {
      from: 'alice@example.com',
      to: ['bob@example.org', 'carol@example.org', 'BOB@EXAMPLE.ORG', 'dave@example.org', 'eve@example.net'],
    });
    assert.equal(r.needsSmtpUtf8, false);
  });

  it('prefers Sender for MAIL FROM', () => {
    const r = envelopeOf(message({ From: 'a@example.com, b@example.com', Sender: 'secretary@example.com' }));
    assert.ok(r.ok);
    assert.equal(r.envelope.from, 'secretary@example.com');
  });

  it('refuses several From mailboxes without a Sender', () => {
    const r = envelopeOf(message({ From: 'a@example.com, b@example.com' }));
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((p) => p.code === codes.FROM_NEEDS_SENDER));
  });

  it('expands groups and ignores the empty group', () => {
    const r = envelopeOf(message({ To: 'undisclosed-recipients:;', Bcc: 'Team: a@example.org, b@example.org;' }));
    assert.ok(r.ok);
    assert.deepEqual(r.envelope.to, ['a@example.org', 'b@example.org']);
  });

  it('uses punycode domains and flags UTF-8 local parts as needing SMTPUTF8', () => {
    const idn = envelopeOf(message({ To: 'info@bücher.de' }));
    assert.ok(idn.ok);
    assert.deepEqual(idn.envelope.to, ['info@xn--bcher-kva.de']);
    assert.equal(idn.needsSmtpUtf8, false);
    const utf8 = envelopeOf(message({ To: 'jörg@example.org' }));
    assert.ok(utf8.ok);
    assert.equal(utf8.needsSmtpUtf8, true);
  });

  it('fills only what the document lacks from the profile defaults, ";" lists allowed', () => {
    const r = envelopeOf(message({ From: null, To: null }), {
      from: 'noreply@example.com',
      to: 'a@example.org; b@example.org',
      bcc: 'archive@example.com',
    });
    assert.ok(r.ok);
    assert.deepEqual(r.envelope, { from: 'noreply@example.com', to: ['a@example.org', 'b@example.org', 'archive@example.com'] });
    const kept = envelopeOf(message(), { from: 'noreply@example.com', to: 'other@example.org' });
    assert.ok(kept.ok);
    assert.deepEqual(kept.envelope, { from: 'alice@example.com', to: ['bob@example.org'] });
  });

  it('refuses a default that smuggles SMTP commands or extra recipients', () => {
    for (const to of ['a@example.org>\r\nRCPT TO:<evil@example.net', 'a@x.example b@y.example', 'a@example.org\nbcc: evil@example.net']) {
      const r = envelopeOf(message({ To: null }), { to });
      assert.equal(r.ok, false, to);
      assert.ok(r.problems.some((p) => p.code === codes.DEFAULTS_BAD_ADDRESS), JSON.stringify(r.problems));
    }
  });

  it('refuses a header value that would smuggle a recipient', () => {
    const r = envelopeOf('From: a@example.com\r\nTo: b@example.org>\r\n RCPT TO:<evil@example.net>\r\n\r\nx');
    assert.equal(r.ok, false);
    assert.ok(!JSON.stringify(r).includes('"evil@example.net"'));
  });

  it('refuses a quoted local part with characters that could change the SMTP command', () => {
    const r = envelopeOf(message({ To: '"a>b"@example.org' }));
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((p) => p.code === codes.ENVELOPE_BAD_ADDRESS));
    const plain = envelopeOf(message({ To: '"john.doe"@example.org' }));
    assert.ok(plain.ok);
    assert.deepEqual(plain.envelope.to, ['john.doe@example.org']);
  });

  it('reports no sender and no recipients', () => {
    const r = envelopeOf(message({ From: null, To: null }));
    assert.equal(r.ok, false);
    assert.deepEqual(r.problems.map((p) => p.code).sort(), [codes.ENVELOPE_NO_RECIPIENTS, codes.ENVELOPE_NO_SENDER].sort());
  });

  it('the last check refuses anything but one plain addr-spec', () => {
    assert.equal(envelopeAddressProblem('a@example.org'), undefined);
    assert.equal(envelopeAddressProblem('"a.b"@example.org'), undefined);
    for (const bad of ['a@x>\r\nRCPT TO:<b@y', 'a@x, b@y', 'a b@x', '<a@x>', 'a@x;b@y', 'ax', 'a@', '@x', 'a@b@c', 'a\u0000@x']) {
      assert.ok(envelopeAddressProblem(bad), bad);
    }
  });
});

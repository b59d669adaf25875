// Issue #16: the neighbours of the redactor's forms, after its rewrite (one list of user names, every
// needle built from it; the base64 cores as three slices). Where an initial response starts (any run of
// spaces after the mechanism), what ends a SASL exchange (a reply code is three digits and a space, a
// hyphen or the end, RFC 5321 section 4.2), which user names count (a raw profile may hold anything), the
// smallest secret's third core (empty, so it must find nothing), and the exported helpers without a user.
import * as assert from 'node:assert/strict';
import { DialogueRedactor, REDACTED, secretNeedles } from '../../../src/core/send/redact';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('DialogueRedactor: the forms it hides, and their neighbours', () => {
  describe('where an initial response starts', () => {
    it('any run of spaces between the mechanism and the response still marks the response as hidden', () => {
      const r = new DialogueRedactor('ann@example.com', { password: 's3cret-pass' });
      assert.equal(r.client(`AUTH PLAIN  ${b64('\u0000ann\u0000x')}`), `AUTH PLAIN ${REDACTED}`);
      assert.equal(r.client('AUTH LOGIN\tYW5u'), `AUTH LOGIN ${REDACTED}`);
    });

    it('spaces after the mechanism with nothing after them are no response', () => {
      const r = new DialogueRedactor('ann@example.com', { password: 's3cret-pass' });
      assert.equal(r.client('AUTH LOGIN  '), 'AUTH LOGIN');
      assert.equal(r.client('next line'), REDACTED, 'the exchange has started all the same');
    });
  });

  describe('what ends the exchange: a reply code other than 334', () => {
    for (const [reply, continues] of [
      ['334 UGFzc3dvcmQ6', true],
      ['334-more', true],
      ['334', true],
      ['3345 not a 334', false],
      ['3340', false],
      ['334x', false],
      ['235 2.7.0 ok', false],
    ] as const) {
      it(`${JSON.stringify(reply)} ${continues ? 'continues it' : 'ends it'}`, () => {
        const r = new DialogueRedactor('ann@example.com', { password: 's3cret-pass' });
        r.client('AUTH LOGIN');
        r.server(reply);
        assert.equal(r.client('MAIL FROM:<ann@example.com>'), continues ? REDACTED : 'MAIL FROM:<ann@example.com>');
      });
    }
  });

  describe('which user names count (the doctor passes a raw profile\'s)', () => {
    const password = 'Pa55-word';
    const plainPayload = (user: string) => b64(`\u0000${user}\u0000${password}`);

    it('a user name given at the start and one learnt later are both hidden, with their payloads', () => {
      const r = new DialogueRedactor('first@example.com', { password });
      r.addUser('second@example.com');
      for (const user of ['first@example.com', 'second@example.com']) {
        assert.equal(r.scrub(`echo ${b64(user)}`), `echo ${REDACTED}`, user);
        assert.equal(r.scrub(`echo ${plainPayload(user)}`), `echo ${REDACTED}`, user);
      }
    });

    it('no user, or one that is not text, leaves ordinary text alone and does not throw', () => {
      for (const user of [undefined, null, 4242, { name: 'ann' }, ['ann']]) {
        const r = new DialogueRedactor(user, { password });
        r.addUser(user);
        assert.equal(r.shown('250 2.1.0 dW5kZWZpbmVk ok'), '250 2.1.0 dW5kZWZpbmVk ok', String(user));
        assert.equal(r.scrub(`x ${b64(password)} y`), `x ${REDACTED} y`, 'the password itself is still hidden');
      }
    });

    it('a late user name does not forget the secrets already known', () => {
      const r = new DialogueRedactor(undefined, { password, related: ['refresh-Token-1'] });
      r.addUser('ann@example.com');
      assert.equal(r.scrub(`a ${password} b refresh-Token-1 c`), `a ${REDACTED} b ${REDACTED} c`);
      assert.equal(r.scrub(b64(`xx${password}`)), REDACTED);
    });
  });

  describe('the base64 cores of the smallest secret', () => {
    it('a 4-byte password leaves base64 runs that do not hold it alone (its third core is empty)', () => {
      const r = new DialogueRedactor(undefined, { password: 'k9!Q' });
      const innocent = b64('The quick brown fox jumps over the lazy dog');
      assert.equal(r.shown(`250 ${innocent}`), `250 ${innocent}`);
      // At the two alignments where one of its 3-byte groups lines up, it is found inside a longer payload.
      for (const prefix of ['', 'ab', 'abc', 'abcde']) {
        assert.equal(r.shown(b64(`${prefix}k9!Q and more`)), REDACTED, `prefix ${JSON.stringify(prefix)}`);
      }
    });

    it('a 5-byte password is found inside base64 at every alignment', () => {
      const r = new DialogueRedactor(undefined, { password: 'k9!Qz' });
      for (let pad = 0; pad < 6; pad++) {
        const encoded = b64(`${'p'.repeat(pad)}k9!Qz~tail`);
        assert.equal(r.shown(`echo ${encoded}`), `echo ${REDACTED}`, `pad ${pad}`);
      }
    });
  });

  describe('secretNeedles without a user', () => {
    it('holds the secret\'s own forms and no SASL payload built with a user', () => {
      const needles = secretNeedles(undefined, { password: 'Pa55-word' });
      assert.ok(needles.includes('Pa55-word'));
      assert.ok(needles.includes(b64('Pa55-word')));
      assert.ok(!needles.some((n) => Buffer.from(n, 'base64').toString('utf8').includes('undefined')));
      const withUser = secretNeedles('ann@example.com', { password: 'Pa55-word' });
      assert.ok(withUser.includes(b64('\u0000ann@example.com\u0000Pa55-word')));
      assert.ok(withUser.includes(b64('ann@example.com')));
    });
  });
});

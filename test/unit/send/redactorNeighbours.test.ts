// Issue #16: the neighbours of each redaction rule. The SASL exchange (RFC 4954 section 4): its
// continuation lines are hidden while the server answers 334 and shown again after any other reply; an
// AUTH without an initial response shows no placeholder. Length floors exactly at and one under 4. A user
// name learnt late (addUser). A secret split or joined by a control character. Every string of a nested
// value, and every level of the logger.
import * as assert from 'node:assert/strict';
import { DialogueRedactor, REDACTED, scrubSecrets, secretNeedles } from '../../../src/core/send/redact';
import type { Logger } from '../../../src/core/types';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('DialogueRedactor: the neighbours of each rule', () => {
  describe('the SASL exchange', () => {
    it('AUTH with an initial response: the mechanism stays, the response goes (any casing)', () => {
      const r = new DialogueRedactor('ann@example.com', { password: 's3cret-pass' });
      assert.equal(r.client(`auth plain ${b64('\u0000ann@example.com\u0000s3cret-pass')}`), `AUTH PLAIN ${REDACTED}`);
      assert.equal(r.client('AUTH XOAUTH2 dXNlcj1hbm4'), `AUTH XOAUTH2 ${REDACTED}`);
    });

    it('AUTH without an initial response shows no placeholder; the continuation lines are hidden while the server says 334', () => {
      const r = new DialogueRedactor('ann@example.com', { password: 's3cret-pass' });
      assert.equal(r.client('AUTH LOGIN'), 'AUTH LOGIN');
      assert.equal(r.server('334 VXNlcm5hbWU6'), '334 VXNlcm5hbWU6');
      assert.equal(r.client('bm90LWEtbmVlZGxl'), REDACTED, 'the user name line, even one the redactor does not know');
      assert.equal(r.server('334 UGFzc3dvcmQ6'), '334 UGFzc3dvcmQ6');
      assert.equal(r.client('anything at all'), REDACTED);
      assert.equal(r.server('334'), '334', 'a bare 334 continues the exchange too');
      assert.equal(r.client('still hidden'), REDACTED);
      assert.equal(r.server('235 2.7.0 Authentication successful'), '235 2.7.0 Authentication successful');
      assert.equal(r.client('MAIL FROM:<ann@example.com>'), 'MAIL FROM:<ann@example.com>', 'after the exchange, lines are shown again');
    });

    it('a refusal ends the exchange as well, and a line before any AUTH is only scrubbed', () => {
      const r = new DialogueRedactor('ann@example.com', { password: 's3cret-pass' });
      assert.equal(r.client('EHLO client.example'), 'EHLO client.example');
      assert.equal(r.client('XCLIENT LOGIN=s3cret-pass'), `XCLIENT LOGIN=${REDACTED}`);
      r.client('AUTH CRAM-MD5');
      r.server('334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZT4=');
      assert.equal(r.client('YW5uIGRpZ2VzdA=='), REDACTED);
      assert.equal(r.server('535 5.7.8 no'), '535 5.7.8 no');
      assert.equal(r.client('QUIT'), 'QUIT');
    });
  });

  describe('where an AUTH command starts and a 334 ends', () => {
    it('AUTH only at the start of a line, with any run of spaces after it', () => {
      const r = new DialogueRedactor(undefined, { password: 's3cret-pass' });
      assert.equal(r.client('NOOP about AUTH later'), 'NOOP about AUTH later', 'not an AUTH command: shown as it is');
      assert.equal(r.client('MAIL FROM:<a@example.com>'), 'MAIL FROM:<a@example.com>', 'and no exchange was started by it');
      assert.equal(r.client('AUTH  PLAIN  AGFubgBwdw=='), `AUTH PLAIN ${REDACTED}`);
    });

    it('only a reply that starts with 334 continues the exchange', () => {
      const r = new DialogueRedactor(undefined, { password: 's3cret-pass' });
      r.client('AUTH LOGIN');
      assert.equal(r.server('535 5.7.8 see 334 in the manual'), '535 5.7.8 see 334 in the manual');
      assert.equal(r.client('RSET'), 'RSET');
    });
  });

  describe('longest needle first (a secret that starts with another leaves no tail behind)', () => {
    it('a token that starts with the password is hidden whole', () => {
      const r = new DialogueRedactor(undefined, { password: 'abcd1234', accessToken: 'abcd1234-and-the-rest' });
      assert.equal(r.scrub('t abcd1234-and-the-rest p abcd1234'), `t ${REDACTED} p ${REDACTED}`);
    });

    it('also after a user name learnt late', () => {
      const r = new DialogueRedactor(undefined, { password: 'abcd1234', accessToken: 'abcd1234-and-the-rest' });
      r.addUser('late@example.com');
      assert.equal(r.scrub('t abcd1234-and-the-rest'), `t ${REDACTED}`);
    });
  });

  describe('length floors (very short values would blank ordinary words)', () => {
    it('a 4-character password is hidden in every form; a 3-character one is left alone', () => {
      const four = new DialogueRedactor(undefined, { password: 'abcd' });
      assert.equal(four.scrub('x abcd y abcd'), `x ${REDACTED} y ${REDACTED}`);
      assert.equal(four.scrub(`x ${b64('abcd')} y`), `x ${REDACTED} y`);
      const three = new DialogueRedactor(undefined, { password: 'abc' });
      assert.equal(three.scrub(`x abc ${b64('abc')} y`), `x abc ${b64('abc')} y`);
    });

    it('a URL-encoded password is hidden as such', () => {
      const r = new DialogueRedactor(undefined, { password: 'p@ss w/rd' });
      assert.equal(r.scrub('url smtp://me:p%40ss%20w%2Frd@host'), `url smtp://me:${REDACTED}@host`);
    });

    it('the base64 of a user name of 4 characters is hidden (the AUTH LOGIN user line), of 3 it is not', () => {
      assert.equal(new DialogueRedactor('anna', {}).scrub(`334 ${b64('anna')}`), `334 ${REDACTED}`);
      assert.equal(new DialogueRedactor('ann', {}).scrub(`334 ${b64('ann')}`), `334 ${b64('ann')}`);
    });

    it('an access token is hidden like a password, and the XOAUTH2 payload built with it', () => {
      const r = new DialogueRedactor('ann@example.com', { accessToken: 'ya29.token-value' });
      const payload = b64('user=ann@example.com\u0001auth=Bearer ya29.token-value\u0001\u0001');
      assert.equal(r.scrub(`Bearer ya29.token-value; 334 ${payload}`), `Bearer ${REDACTED}; 334 ${REDACTED}`);
    });
  });

  describe('a 4-character secret where no 3-byte group of its own is aligned', () => {
    // Base64 encodes 3-byte groups. A 4-byte secret starting at an offset of 1 (mod 3) in a payload has no
    // whole group to itself, so none of its base64 cores appear: only the exact SASL payload finds it.
    const forms: [string, string, string][] = [
      ['PLAIN (RFC 4616)', 'annab', '\u0000annab\u0000wxyz'],
      ['PLAIN with an authorisation identity', 'anna', 'anna\u0000anna\u0000wxyz'],
      ['XOAUTH2 (RFC 7628)', 'anna', 'user=anna\u0001auth=Bearer wxyz\u0001\u0001'],
      ['HTTP Basic', 'ann', 'ann:wxyz'],
    ];
    for (const [name, user, payload] of forms) {
      it(`${name}: the whole payload is hidden`, () => {
        assert.equal(payload.indexOf('wxyz') % 3, 1, 'the secret sits where no group of its own is aligned');
        const line = `535 ${b64(payload)}`;
        assert.equal(new DialogueRedactor(user, { password: 'wxyz' }).scrub(line), `535 ${REDACTED}`);
        const late = new DialogueRedactor(undefined, { password: 'wxyz' });
        late.addUser(user);
        assert.equal(late.scrub(line), `535 ${REDACTED}`, 'with the user learnt late');
      });
    }
  });

  describe('a user name learnt late', () => {
    it('addUser hides the PLAIN and Basic payloads built with it; an empty name adds nothing', () => {
      const r = new DialogueRedactor(undefined, { password: 'pw-longer-than-four' });
      const plain = b64('\u0000late@example.com\u0000pw-longer-than-four');
      const basic = b64('late@example.com:pw-longer-than-four');
      r.addUser('');
      r.addUser(undefined);
      assert.equal(r.scrub('pw-longer-than-four'), REDACTED, 'the password itself was hidden from the start');
      r.addUser('late@example.com');
      assert.equal(r.scrub(`535 ${plain} ${basic}`), `535 ${REDACTED} ${REDACTED}`);
      assert.equal(r.scrub(`334 ${b64('late@example.com')}`), `334 ${REDACTED}`);
    });
  });

  describe('shown: secrets, then controls, then secrets again', () => {
    it('a secret joined by a tab (sanitising makes it a space) is still hidden', () => {
      const r = new DialogueRedactor(undefined, { password: 'correct horse' });
      assert.equal(r.shown('x correct\thorse y'), `x ${REDACTED} y`);
    });

    it('a secret that itself holds a control character is hidden before sanitising changes it', () => {
      const r = new DialogueRedactor(undefined, { password: 'ab\tcdef' });
      assert.equal(r.shown('x ab\tcdef y'), `x ${REDACTED} y`);
    });

    it('shows undefined and null as empty text and other values as text', () => {
      const r = new DialogueRedactor(undefined, { password: 'secret-1234' });
      assert.equal(r.shown(undefined), '');
      assert.equal(r.shown(null), '');
      assert.equal(r.shown(42), '42');
      assert.equal(r.shown(new Error('bad secret-1234')), `Error: bad ${REDACTED}`);
    });

    it('shownDeep: every string of an outcome-like value, nine levels deep; numbers, booleans and null kept', () => {
      const r = new DialogueRedactor(undefined, { password: 'secret-1234' });
      let deep: unknown = 'leak secret-1234\u001b[2J';
      for (let i = 0; i < 8; i++) deep = { inner: deep };
      const value = { status: 'failed', code: 535, temporary: false, none: null, list: ['a secret-1234', 7], deep };
      const shown = r.shownDeep(value);
      let cursor: unknown = shown.deep;
      for (let i = 0; i < 8; i++) cursor = (cursor as { inner: unknown }).inner;
      assert.equal(cursor, `leak ${REDACTED}`);
      assert.deepEqual({ ...shown, deep: undefined }, { status: 'failed', code: 535, temporary: false, none: null, list: [`a ${REDACTED}`, 7], deep: undefined });
      assert.ok(Array.isArray(shown.list));
    });

    it('the logger hides secrets at every level, each on its own level', () => {
      const r = new DialogueRedactor(undefined, { password: 'secret-1234' });
      const got: string[] = [];
      const target: Logger = {
        trace: (m) => got.push(`trace ${m}`),
        debug: (m) => got.push(`debug ${m}`),
        info: (m) => got.push(`info ${m}`),
        warn: (m) => got.push(`warn ${m}`),
        error: (m) => got.push(`error ${m}`),
      };
      const log = r.logger(target);
      log.trace('t secret-1234');
      log.debug('d secret-1234');
      log.info('i secret-1234');
      log.warn('w secret-1234');
      log.error('e secret-1234');
      assert.deepEqual(got, ['trace t', 'debug d', 'info i', 'warn w', 'error e'].map((s) => `${s} ${REDACTED}`));
    });
  });

  describe('the exported helpers', () => {
    it('secretNeedles: every form once, longest first', () => {
      const needles = secretNeedles('ann@example.com', { password: 'pass word!' });
      assert.equal(new Set(needles).size, needles.length);
      for (let i = 1; i < needles.length; i++) assert.ok(needles[i - 1].length >= needles[i].length, `${needles[i - 1]} before ${needles[i]}`);
      for (const form of ['pass word!', 'pass%20word!', b64('pass word!'), b64('ann@example.com:pass word!'), b64('ann@example.com')]) assert.ok(needles.includes(form), form);
    });

    it('scrubSecrets: every copy of a needle, raw or inside a base64 run; other text kept', () => {
      assert.equal(scrubSecrets('a needle b needle c', ['needle']), `a ${REDACTED} b ${REDACTED} c`);
      const needles = secretNeedles(undefined, { password: 'pass word!' });
      assert.equal(scrubSecrets(`x ${b64('AB pass word! CD')} y`, needles), `x ${REDACTED} y`, 'the whole run, at any alignment');
      assert.equal(scrubSecrets('nothing here', ['needle']), 'nothing here');
      assert.equal(scrubSecrets('nothing here', []), 'nothing here');
    });
  });
});

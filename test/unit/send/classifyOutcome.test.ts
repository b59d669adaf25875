// Outcome classification, rule by rule with its neighbours (issue #16): what a person is told (stage,
// temporary or not, the reason) and whether the message may have been delivered. The errors are shaped as
// nodemailer's SMTPConnection makes them (`_formatError`: `code` the type, `originalCode` the system
// error's code, `response` and `responseCode` from the server's reply, `command` in flight); the facts are
// what the session records. The wire that produces them is proven against real servers in
// stageReports.test.ts, faults.test.ts and deadlines.test.ts; here every branch is held next to the
// one beside it, without waiting on a socket.
import * as assert from 'node:assert/strict';
import { classifyError, describeRejections, rejectionsOf, type Classified, type NodemailerError, type Phase } from '../../../src/core/send/classify';
import type { DialogueState } from '../../../src/core/send/deadlines';
import { freshFacts, type SessionFacts } from '../../../src/core/send/session';
import type { SmtpProfile } from '../../../src/core/profiles/profile';

const PROFILE: SmtpProfile = { name: 'work', host: 'mail.example.net', port: 587, security: 'starttls' };

/** As nodemailer's `_formatError` builds it: the reply is appended to the message and its code parsed. */
function nmError(message: string, fields: { code?: string; originalCode?: string; response?: string; command?: string; timeoutType?: string } = {}): NodemailerError {
  const err = new Error(fields.response ? `${message}: ${fields.response}` : message) as NodemailerError;
  Object.assign(err, fields);
  const code = fields.response ? Number(/^\d+/.exec(fields.response)?.[0]) : NaN;
  if (code) err.responseCode = code;
  return err;
}

function facts(extra: Partial<SessionFacts> = {}): SessionFacts {
  return { ...freshFacts(), ...extra };
}

/** Past the greeting and EHLO of a server that offers STARTTLS. */
function greeted(extra: Partial<SessionFacts> = {}): SessionFacts {
  return facts({ greeting: '220 mail.example.net ESMTP', ehloLines: ['250-mail.example.net', '250 STARTTLS'], offersStartTls: true, state: 'ehlo', lastClientCommand: 'EHLO', peerAddress: '192.0.2.7', ...extra });
}

/** In the middle of a message's transaction, after AUTH PLAIN. */
function sending(extra: Partial<SessionFacts> = {}): SessionFacts {
  return greeted({ state: 'mail', lastClientCommand: 'MAIL', authMechanism: 'PLAIN', ...extra });
}

function classify(err: unknown, phase: Phase, f: SessionFacts, profile: SmtpProfile = PROFILE): Classified {
  return classifyError(err, phase, f, profile);
}

const DROP = () => nmError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' });

describe('outcome classification', () => {
  describe('after the final dot, with no reply: unknown, never retried (RFC 5321 section 4.1.1.4)', () => {
    const ended = () => sending({ state: 'final-reply', lastClientCommand: 'DATA', dataAccepted: true, messageEnded: true });
    const unknownReason = /after the whole message was sent, before the server confirmed it: it may or may not have been delivered, so it is not sent again$/;

    it('a drop (FIN or RST): unknown, "dropped"', () => {
      for (const err of [DROP(), nmError('read ECONNRESET', { code: 'ESOCKET', originalCode: 'ECONNRESET', command: 'CONN' })]) {
        const c = classify(err, 'send', ended());
        assert.equal(c.unknown, true);
        assert.equal(c.stage, 'data');
        assert.equal(c.temporary, true);
        assert.equal(c.reply, undefined);
        assert.match(c.reason, /^the connection dropped after the whole message/);
        assert.match(c.reason, unknownReason);
      }
    });

    it('an idle timeout next to the drop: unknown, "timed out"', () => {
      const c = classify(nmError('Timeout', { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' }), 'send', ended());
      assert.equal(c.unknown, true);
      assert.match(c.reason, /^the connection timed out after the whole message was sent/);
      assert.match(c.reason, unknownReason);
    });

    it('the final-reply deadline: unknown, with the deadline in tenths of a second', () => {
      for (const [ms, shown] of [
        [400, '0.4 s'],
        [1260, '1.3 s'],
        [600_000, '600 s'],
      ] as const) {
        const c = classify(nmError('deadline', { code: 'ETIMEDOUT', timeoutType: 'DEADLINE' }), 'send', { ...ended(), expired: { state: 'final-reply', ms } });
        assert.equal(c.unknown, true);
        assert.match(c.reason, new RegExp(`^the connection got no reply within ${shown.replace('.', '\\.')} after the whole message was sent`));
      }
    });

    it('a deadline with no record of which one: still unknown, not a crash', () => {
      const c = classify(nmError('deadline', { code: 'ETIMEDOUT', timeoutType: 'DEADLINE' }), 'send', ended());
      assert.equal(c.unknown, true);
      assert.match(c.reason, /^the connection got no reply within 0 s after/);
    });

    it('cancelled while waiting for the final reply: still unknown, never "not sent"', () => {
      const c = classify(nmError('cancelled', { code: 'ECANCELLED' }), 'send', ended());
      assert.equal(c.unknown, true);
      assert.equal(c.cancelled, undefined);
    });

    it('the neighbour with a reply after the dot: a definite answer, the reply kept and trimmed', () => {
      const refused = classify(nmError('Message failed', { code: 'EMESSAGE', response: '554 5.7.1 spam detected \r\n', command: 'DATA' }), 'send', ended());
      assert.equal(refused.unknown, undefined);
      assert.equal(refused.stage, 'data');
      assert.equal(refused.temporary, false);
      assert.equal(refused.reply, '554 5.7.1 spam detected');
      assert.equal(refused.reason, 'the server rejected the message after receiving it: 554 5.7.1 spam detected');
      const later = classify(nmError('Message failed', { code: 'EMESSAGE', response: '451 4.3.0 try later', command: 'DATA' }), 'send', ended());
      assert.equal(later.temporary, true);
      assert.equal(later.unknown, undefined);
    });

    it('the neighbour before the dot: a drop while the message was being sent is not delivered', () => {
      const c = classify(DROP(), 'send', sending({ state: 'transfer', lastClientCommand: 'DATA', dataAccepted: true }));
      assert.equal(c.unknown, undefined);
      assert.equal(c.stage, 'data');
      assert.equal(c.temporary, true);
      assert.equal(c.reason, 'the connection was cut while the message was being sent; the server did not get all of it, so it was not delivered');
    });
  });

  describe('cancelled', () => {
    it('names the stage it was cancelled in, temporary, not sent', () => {
      for (const [state, stage] of [
        ['auth', 'auth'],
        ['rcpt', 'rcpt'],
        ['ehlo', 'greeting'],
      ] as const) {
        const c = classify(nmError('The operation was aborted', { code: 'ECANCELLED' }), 'send', sending({ state }));
        assert.deepEqual(c, { stage, temporary: true, cancelled: true, reason: 'cancelled; the message was not sent' });
      }
    });
  });

  describe('a stage deadline', () => {
    const deadline = () => nmError('deadline', { code: 'ETIMEDOUT', timeoutType: 'DEADLINE' });

    it('connecting: the stage and where, with the deadline', () => {
      const c = classify(deadline(), 'connect', facts({ expired: { state: 'connect', ms: 400 } }));
      assert.deepEqual(c, { stage: 'connect', temporary: true, reason: 'connecting to mail.example.net:587 did not complete within 0.4 s' });
    });

    it('taking the message: not delivered, the end was never sent', () => {
      const c = classify(deadline(), 'send', sending({ state: 'transfer', dataAccepted: true, expired: { state: 'transfer', ms: 2000 } }));
      assert.deepEqual(c, {
        stage: 'data',
        temporary: true,
        reason: 'the server did not take the message within 2 s (it reads too slowly); the end of the message was never sent, so it was not delivered',
      });
    });

    // Every other state: its stage and its words; "nothing was delivered" only when a message was on its way.
    const table: [DialogueState, string, string][] = [
      ['greeting', 'greeting', 'its greeting'],
      ['ehlo', 'greeting', 'its answer to EHLO'],
      ['starttls', 'tls', 'STARTTLS and the TLS handshake'],
      ['auth', 'auth', 'the AUTH exchange'],
      ['mail', 'mail', 'its answer to MAIL FROM'],
      ['rcpt', 'rcpt', 'its answer to RCPT TO'],
      ['data', 'data', 'its answer to DATA'],
      ['rset', 'mail', 'its answer to RSET'],
      ['quit', 'mail', 'its answer to QUIT'],
    ];
    for (const [state, stage, words] of table) {
      it(`${state}: stage ${stage}, "${words}"`, () => {
        // No peer address: the stage still comes from the state (only `connect` is "connecting").
        for (const peerAddress of [undefined, '192.0.2.7']) {
          const f = (phase: Phase) => facts({ state, peerAddress, greeting: '220 hi', expired: { state, ms: 1500 }, ...(phase === 'send' ? { lastClientCommand: 'MAIL' } : {}) });
          const during = classify(deadline(), 'connect', f('connect'));
          assert.deepEqual(during, {
            stage,
            temporary: true,
            reason: `the server did not finish ${words} within 1.5 s (it answers too slowly, or a byte at a time); the connection was closed`,
          });
          assert.equal(classify(deadline(), 'auth', f('auth')).reason, during.reason);
          const onItsWay = classify(deadline(), 'send', f('send'));
          assert.equal(onItsWay.stage, stage);
          assert.equal(onItsWay.reason, `${during.reason} and nothing was delivered`);
        }
      });
    }

    it('the neighbours: a deadline error with no record falls through; a record with another error does not count', () => {
      const noRecord = classify(deadline(), 'connect', facts({ peerAddress: '192.0.2.7', state: 'greeting' }));
      assert.equal(noRecord.stage, 'greeting');
      assert.match(noRecord.reason, /never sent its greeting/);
      const refused = classify(nmError('connect ECONNREFUSED 192.0.2.7:587', { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }), 'connect', facts({ expired: { state: 'connect', ms: 400 } }));
      assert.match(refused.reason, /connection refused/);
    });
  });

  describe('sending (after the session is set up)', () => {
    it('too large for the SIZE the server announced: permanent, with the limit', () => {
      const c = classify(nmError('Message size larger than allowed 1000', { code: 'EMESSAGE', command: 'MAIL FROM' }), 'send', sending());
      assert.deepEqual(c, { stage: 'mail', temporary: false, reason: 'the message is larger than the server accepts (limit 1000 bytes, from its SIZE); nothing was sent' });
    });

    it('the neighbours of "too large": another MAIL FROM error, or the words at another command', () => {
      const requireTls = classify(nmError('Server does not support REQUIRETLS extension (RFC 8689)', { code: 'EREQUIRETLS', command: 'MAIL FROM' }), 'send', sending());
      assert.equal(requireTls.reason, 'the server refused the sender (MAIL FROM)');
      assert.equal(requireTls.temporary, true, 'no reply: nothing says it is final');
      const otherCode = classify(nmError('Message size larger than allowed 1000', { code: 'EENVELOPE', command: 'MAIL FROM' }), 'send', sending());
      assert.match(otherCode.reason, /^the server refused the sender/);
      const notMail = classify(nmError('Message size larger than allowed 1000', { code: 'EMESSAGE', response: '552 too big', command: 'DATA' }), 'send', sending());
      assert.match(notMail.reason, /^the server refused DATA: 552 too big$/);
      const otherWords = classify(nmError('Message size is fine', { code: 'EMESSAGE', command: 'MAIL FROM' }), 'send', sending());
      assert.match(otherWords.reason, /^the server refused the sender/);
    });

    it('the sender refused: the reply, temporary only for 4xx, exactly at the edges', () => {
      for (const [code, temporary] of [
        [399, false],
        [400, true],
        [451, true],
        [499, true],
        [500, false],
        [553, false],
      ] as const) {
        const c = classify(nmError('Mail command failed', { code: 'EENVELOPE', response: `${code} sender refused`, command: 'MAIL FROM' }), 'send', sending());
        assert.equal(c.stage, 'mail');
        assert.equal(c.temporary, temporary, `${code}`);
        assert.equal(c.reply, `${code} sender refused`);
        assert.equal(c.reason, `the server refused the sender (MAIL FROM): ${code} sender refused`);
      }
    });

    it("the sender refused with a provider's known reply: its advice, for a password and for a token", () => {
      const ms = '550 5.7.30 Basic authentication is not supported for Client Submission';
      const c = classify(nmError('Mail command failed', { code: 'EENVELOPE', response: ms, command: 'MAIL FROM' }), 'send', sending());
      assert.match(c.reason, /^the server refused the sender \(MAIL FROM\): 550 5\.7\.30 Basic authentication is not supported for Client Submission\. Microsoft 365 has basic authentication/);
      const gmail = '535 5.7.8 Username and Password not accepted';
      const withPassword = classify(nmError('Mail command failed', { code: 'EENVELOPE', response: gmail, command: 'MAIL FROM' }), 'send', sending());
      assert.match(withPassword.reason, /\. Gmail does not take your Google account password/);
      for (const authMechanism of ['XOAUTH2', 'OAUTHBEARER'] as const) {
        const withToken = classify(nmError('Mail command failed', { code: 'EENVELOPE', response: gmail, command: 'MAIL FROM' }), 'send', sending({ authMechanism }));
        assert.match(withToken.reason, /\. Gmail refused the access token/, authMechanism);
      }
      const noAuth = classify(nmError('Mail command failed', { code: 'EENVELOPE', response: gmail, command: 'MAIL FROM' }), 'send', sending({ authMechanism: undefined }));
      assert.match(noAuth.reason, /\. Gmail does not take your Google account password/);
    });

    describe('recipients refused', () => {
      const rejection = (recipient: string | undefined, response: string | undefined, message = 'Recipient command failed') => {
        const e = nmError(message, { code: 'EENVELOPE', ...(response ? { response } : {}), command: 'RCPT TO' });
        if (recipient !== undefined) e.recipient = recipient;
        return e;
      };
      const allRejected = (...rejected: NodemailerError[]) => {
        const err = nmError("Can't send mail - all recipients were rejected", { code: 'EENVELOPE', response: rejected[rejected.length - 1]?.response, command: 'RCPT TO' });
        err.rejectedErrors = rejected;
        return err;
      };

      it('the only recipient: named with its reply, permanent for 5xx', () => {
        const c = classify(allRejected(rejection('carol@example.net', '550 5.1.1 no such user  ')), 'send', sending({ state: 'rcpt' }));
        assert.deepEqual(c, { stage: 'rcpt', temporary: false, reply: '550 5.1.1 no such user', reason: 'the server refused the recipient: carol@example.net (550 5.1.1 no such user)' });
      });

      it('every recipient: temporary only when every refusal is 4xx', () => {
        const greylisted = classify(allRejected(rejection('a@example.net', '450 4.2.0 greylisted'), rejection('b@example.net', '451 4.3.0 later')), 'send', sending());
        assert.equal(greylisted.temporary, true);
        assert.equal(greylisted.reply, '450 4.2.0 greylisted', 'the first refusal');
        assert.equal(greylisted.reason, 'the server refused every recipient: a@example.net (450 4.2.0 greylisted); b@example.net (451 4.3.0 later)');
        const mixed = classify(allRejected(rejection('a@example.net', '450 4.2.0 greylisted'), rejection('b@example.net', '550 5.1.1 unknown')), 'send', sending());
        assert.equal(mixed.temporary, false, 'one permanent refusal: trying again cannot reach everyone');
        const mixedOtherOrder = classify(allRejected(rejection('b@example.net', '550 5.1.1 unknown'), rejection('a@example.net', '450 4.2.0 greylisted')), 'send', sending());
        assert.equal(mixedOtherOrder.temporary, false);
      });

      it('not "all recipients": "a recipient"; no list: the reply, or nothing', () => {
        const one = nmError('Recipient command failed', { code: 'EENVELOPE', response: '452 4.5.3 too many recipients', command: 'RCPT TO' });
        const c = classify(one, 'send', sending());
        assert.deepEqual(c, { stage: 'rcpt', temporary: true, reply: '452 4.5.3 too many recipients', reason: 'the server refused a recipient: 452 4.5.3 too many recipients' });
        const permanent = classify(nmError('Recipient command failed', { code: 'EENVELOPE', response: '550 no', command: 'RCPT TO' }), 'send', sending());
        assert.equal(permanent.temporary, false);
        const bare = classify(nmError('Recipient command failed', { code: 'EENVELOPE', command: 'RCPT TO' }), 'send', sending());
        assert.deepEqual(bare, { stage: 'rcpt', temporary: true, reply: undefined, reason: 'the server refused a recipient' });
      });

      it('a refusal with no reply and no address: its message, and "?"', () => {
        const err = allRejected(rejection(undefined, undefined, ' Recipient refused by policy '));
        assert.deepEqual(rejectionsOf(err), [{ address: '?', reply: 'Recipient refused by policy' }]);
        assert.deepEqual(rejectionsOf(undefined), []);
        assert.deepEqual(rejectionsOf({}), []);
        const c = classify(err, 'send', sending());
        assert.equal(c.reason, 'the server refused the recipient: ? (Recipient refused by policy)');
        assert.equal(c.temporary, false, 'a refusal without a 4xx is not temporary');
      });

      it('a long list is cut after five, exactly', () => {
        const list = (n: number) => Array.from({ length: n }, (_, i) => ({ address: `r${i + 1}@example.net`, reply: `550 no ${i + 1}` }));
        assert.equal(describeRejections(list(1)), 'r1@example.net (550 no 1)');
        assert.equal(describeRejections(list(5)), list(5).map((r) => `${r.address} (${r.reply})`).join('; '));
        assert.equal(describeRejections(list(6)), `${list(5).map((r) => `${r.address} (${r.reply})`).join('; ')}; and 1 more`);
        assert.equal(describeRejections(list(9)), `${list(5).map((r) => `${r.address} (${r.reply})`).join('; ')}; and 4 more`);
        assert.equal(describeRejections([]), '');
      });
    });

    it('DATA refused before the message, or the message rejected after it', () => {
      const refused = classify(nmError('Data command failed', { code: 'EENVELOPE', response: '554 5.5.1 no valid recipients', command: 'DATA' }), 'send', sending({ state: 'data', lastClientCommand: 'DATA' }));
      assert.deepEqual(refused, { stage: 'data', temporary: false, reply: '554 5.5.1 no valid recipients', reason: 'the server refused DATA: 554 5.5.1 no valid recipients' });
      // DATA answered with 250 instead of 354: not an error code, and not temporary.
      const odd = classify(nmError('Data command failed', { code: 'EENVELOPE', response: '250 ok', command: 'DATA' }), 'send', sending({ state: 'data', lastClientCommand: 'DATA' }));
      assert.equal(odd.temporary, false);
      const noReply = classify(nmError('Data command failed', { code: 'EENVELOPE', command: 'DATA' }), 'send', sending({ state: 'data', dataAccepted: true }));
      assert.equal(noReply.reason, 'the server refused DATA');
      assert.equal(noReply.temporary, true);
    });

    it('the connection lost before any message: the stage, the last command, the reply; nothing delivered', () => {
      const afterRcpt = classify(DROP(), 'send', sending({ state: 'rcpt', lastClientCommand: 'RCPT' }));
      assert.deepEqual(afterRcpt, { stage: 'rcpt', temporary: true, reply: undefined, reason: 'the connection was lost after RCPT; nothing was delivered' });
      const closing = classify(nmError('Server closed the connection', { code: 'ECONNECTION', response: '421 4.3.2 shutting down', command: 'CONN' }), 'send', sending({ state: 'mail' }));
      assert.deepEqual(closing, { stage: 'mail', temporary: true, reply: '421 4.3.2 shutting down', reason: 'the connection was lost after MAIL: 421 4.3.2 shutting down; nothing was delivered' });
      const noCommand = classify(DROP(), 'send', facts({ greeting: '220 hi', state: 'rset' }));
      assert.equal(noCommand.reason, 'the connection was lost during the session; nothing was delivered');
    });
  });

  describe('AUTH', () => {
    const refusal = (response: string) => nmError('Invalid login', { code: 'EAUTH', response, command: 'AUTH PLAIN' });

    it('a refusal: permanent for 5xx, temporary for 4xx, exactly at the edges', () => {
      for (const [code, temporary] of [
        [334, false],
        [399, false],
        [400, true],
        [454, true],
        [499, true],
        [500, false],
        [535, false],
      ] as const) {
        const c = classify(refusal(`${code} no`), 'auth', greeted({ state: 'auth', authMechanism: 'PLAIN' }));
        assert.equal(c.stage, 'auth');
        assert.equal(c.temporary, temporary, `${code}`);
        assert.equal(c.reply, `${code} no`);
      }
    });

    it('an unknown refusal: the hint for a password, or for a token', () => {
      const password = classify(refusal('535 nope'), 'auth', greeted({ state: 'auth', authMechanism: 'LOGIN' }));
      assert.equal(password.reason, 'authentication failed: 535 nope (check the user and password; many providers need an app password or authorisation code)');
      for (const authMechanism of ['XOAUTH2', 'OAUTHBEARER'] as const) {
        const token = classify(refusal('535 nope'), 'auth', greeted({ state: 'auth', authMechanism }));
        assert.equal(token.reason, 'authentication failed: 535 nope (the access token was refused: it may have expired or been revoked, or lack the scope for sending mail)');
      }
      const unnamed = classify(refusal('535 nope'), 'auth', greeted({ state: 'auth' }));
      assert.match(unnamed.reason, /check the user and password/);
    });

    it("a known provider's reply on several lines: one line, and its advice instead of the hint", () => {
      const reply = '535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials';
      const password = classify(refusal(reply), 'auth', greeted({ state: 'auth', authMechanism: 'PLAIN' }));
      assert.equal(password.reply, reply);
      assert.match(password.reason, /^authentication failed: 535-5\.7\.8 Username and Password not accepted\. For more information, go to 535 5\.7\.8 https:\/\/support\.google\.com\/mail\/\?p=BadCredentials\. Gmail does not take/);
      assert.doesNotMatch(password.reason, /check the user and password/);
      const token = classify(refusal(reply), 'auth', greeted({ state: 'auth', authMechanism: 'XOAUTH2' }));
      assert.match(token.reason, /\. Gmail refused the access token/);
    });

    it('refused without a reply (EAUTH from nodemailer itself): permanent, no reply text', () => {
      const c = classify(nmError('Missing credentials for "PLAIN"', { code: 'EAUTH', command: 'API' }), 'auth', greeted({ state: 'auth', authMechanism: 'PLAIN' }));
      assert.deepEqual(c, { stage: 'auth', temporary: false, reply: undefined, reason: 'authentication failed (check the user and password; many providers need an app password or authorisation code)' });
    });

    it('the neighbour: the connection lost during AUTH, temporary', () => {
      assert.deepEqual(classify(DROP(), 'auth', greeted({ state: 'auth' })), { stage: 'auth', temporary: true, reply: undefined, reason: 'the connection was lost during AUTH' });
      const withReply = nmError('Server closed the connection', { code: 'ECONNECTION', command: 'CONN' });
      withReply.response = '421 bye';
      assert.equal(classify(withReply, 'auth', greeted({ state: 'auth' })).reason, 'the connection was lost during AUTH: 421 bye');
    });
  });

  describe('connecting and setting up the session', () => {
    const connect = (err: NodemailerError, f: SessionFacts = facts(), profile: SmtpProfile = PROFILE) => classify(err, 'connect', f, profile);

    it('DNS: the host named; temporary only for EAI_AGAIN', () => {
      const reason = 'the host name "mail.example.net" could not be resolved (DNS): check its spelling';
      const notFound = connect(nmError('getaddrinfo ENOTFOUND mail.example.net', { code: 'EDNS', originalCode: 'ENOTFOUND', command: 'CONN' }));
      assert.deepEqual(notFound, { stage: 'connect', temporary: false, reason });
      assert.deepEqual(connect(nmError('getaddrinfo EAI_AGAIN mail.example.net', { code: 'EDNS', originalCode: 'EAI_AGAIN', command: 'CONN' })), { stage: 'connect', temporary: true, reason });
      assert.deepEqual(connect(nmError('no address', { code: 'EDNS', command: 'CONN' })), { stage: 'connect', temporary: false, reason });
      // The system codes alone are enough, whatever nodemailer's type.
      assert.equal(connect(nmError('x', { code: 'ESOCKET', originalCode: 'ENOTFOUND' })).reason, reason);
      assert.deepEqual(connect(nmError('x', { code: 'ESOCKET', originalCode: 'EAI_AGAIN' })), { stage: 'connect', temporary: true, reason });
    });

    it('refused, or a connect timeout: temporary, with where', () => {
      assert.deepEqual(connect(nmError('connect ECONNREFUSED', { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' })), {
        stage: 'connect',
        temporary: true,
        reason: 'nothing accepts connections at mail.example.net:587 (connection refused): is the server running and the port right?',
      });
      assert.deepEqual(connect(nmError('Connection timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' })), {
        stage: 'connect',
        temporary: true,
        reason: 'connecting to mail.example.net:587 timed out: a firewall may drop the traffic (many networks block outbound port 25)',
      });
    });

    it('connected, no greeting: the hint fits the security mode and the port', () => {
      const silent = (profile: SmtpProfile, err = nmError('Greeting never received', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' })) => connect(err, facts({ peerAddress: '192.0.2.7' }), profile);
      const base = (p: SmtpProfile) => `connected to ${p.host}:${p.port}, but the server never sent its greeting`;
      const tls = { ...PROFILE, port: 465, security: 'tls' as const };
      assert.deepEqual(silent(tls), { stage: 'greeting', temporary: true, reason: base(tls) });
      const on465 = { ...PROFILE, port: 465 };
      assert.equal(silent(on465).reason, `${base(on465)}: port 465 usually expects implicit TLS, not STARTTLS`);
      assert.equal(silent(PROFILE).reason, `${base(PROFILE)}: if the port expects implicit TLS, choose that security mode`);
      // An idle timeout of another kind before the greeting says the same.
      assert.equal(silent(PROFILE, nmError('Timeout', { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' })).stage, 'greeting');
      assert.equal(silent(PROFILE, nmError('Greeting never received', { timeoutType: 'GREETING_TIMEOUT' })).reason, silent(PROFILE).reason);
    });

    it('no greeting, a TLS failure instead (implicit TLS): permanent, stage tls', () => {
      for (const err of [
        nmError('boom', { code: 'ETLS', command: 'CONN' }),
        nmError('boom', { code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }),
        nmError('write EPROTO SSL routines', { code: 'ESOCKET' }),
        nmError('a TLS alert', { code: 'ESOCKET' }),
        nmError('unable to get the certificate', { code: 'ESOCKET' }),
        nmError('ssl3_get_record:wrong version number', { code: 'ESOCKET' }),
      ]) {
        const c = connect(err, facts({ peerAddress: '192.0.2.7' }));
        assert.equal(c.stage, 'tls', err.message);
        assert.equal(c.temporary, false, err.message);
      }
    });

    it('no greeting, a refusal or a close: the greeting stage', () => {
      const refused = connect(nmError('Invalid greeting', { code: 'EPROTOCOL', response: '554 5.7.1 go away', command: 'CONN' }), facts({ peerAddress: '192.0.2.7' }));
      assert.deepEqual(refused, { stage: 'greeting', temporary: false, reply: '554 5.7.1 go away', reason: 'the server refused the session at its greeting: 554 5.7.1 go away' });
      const busy = connect(nmError('Invalid greeting', { code: 'EPROTOCOL', response: '421 busy', command: 'CONN' }), facts());
      assert.equal(busy.temporary, true);
      const closed = connect(DROP(), facts({ peerAddress: '192.0.2.7' }));
      assert.deepEqual(closed, { stage: 'greeting', temporary: true, reason: "the connection closed before the server's greeting (Connection closed unexpectedly)" });
    });

    it('a greeting that refuses (4xx temporary, 5xx not); a 220 is not a refusal', () => {
      for (const [greeting, temporary] of [
        ['421 4.7.0 too busy', true],
        ['554 5.7.1 no service', false],
      ] as const) {
        const c = connect(DROP(), facts({ greeting, state: 'ehlo' }));
        assert.deepEqual(c, { stage: 'greeting', temporary, reply: greeting, reason: `the server refused the session at its greeting: ${greeting}` });
      }
      const fine = connect(DROP(), facts({ greeting: '220 hello 554', state: 'ehlo' }));
      assert.match(fine.reason, /^the connection was lost while setting up the session/);
    });

    it('STARTTLS required and not offered: refused before AUTH or MAIL; its neighbours are not', () => {
      const noStartTls = { greeting: '220 hi', ehloLines: ['250-mail.example.net', '250 SIZE 1000'], offersStartTls: false, state: 'ehlo' as const, lastClientCommand: 'EHLO' };
      const err = nmError('Server does not support STARTTLS', { code: 'ETLS' });
      const c = connect(err, facts(noStartTls));
      assert.deepEqual(c, { stage: 'tls', temporary: false, reply: undefined, reason: 'the server does not offer STARTTLS and this profile requires it; nothing was sent (no AUTH, no MAIL)' });
      // Offered: some other TLS failure.
      assert.doesNotMatch(connect(err, facts({ ...noStartTls, offersStartTls: true })).reason, /does not offer STARTTLS/);
      // STARTTLS only if offered: not this refusal.
      assert.doesNotMatch(connect(err, facts(noStartTls), { ...PROFILE, security: 'starttls-optional' }).reason, /does not offer STARTTLS/);
      // No EHLO answer seen yet: nothing is known about what it offers.
      assert.doesNotMatch(connect(err, facts({ ...noStartTls, ehloLines: [] })).reason, /does not offer STARTTLS/);
    });

    describe('during STARTTLS', () => {
      const inStartTls = () => greeted({ state: 'starttls', lastClientCommand: 'STARTTLS' });

      it('refused with a reply (RFC 3207 section 4: 454 is temporary)', () => {
        const busy = connect(nmError('Error upgrading connection with STARTTLS', { code: 'ETLS', response: '454 4.7.0 TLS not available', command: 'STARTTLS' }), inStartTls());
        assert.deepEqual(busy, { stage: 'tls', temporary: true, reply: '454 4.7.0 TLS not available', reason: 'the server refused STARTTLS: 454 4.7.0 TLS not available' });
        const never = connect(nmError('Error upgrading connection with STARTTLS', { code: 'ETLS', response: '554 no', command: 'STARTTLS' }), inStartTls());
        assert.equal(never.temporary, false);
      });

      it('a certificate problem: permanent, with the advice', () => {
        const c = connect(nmError('Error initiating TLS - self-signed certificate', { code: 'ETLS', command: 'STARTTLS' }), inStartTls());
        assert.equal(c.stage, 'tls');
        assert.equal(c.temporary, false);
        assert.match(c.reason, /^the server's certificate is not trusted/);
      });

      it('a drop during the handshake: temporary, nothing sent', () => {
        const reason = 'the connection closed during the TLS set-up, right after STARTTLS (the server, or something between, cut it); nothing was sent';
        for (const err of [
          nmError('read ECONNRESET', { code: 'ETLS', originalCode: 'ECONNRESET' }),
          // The code alone is enough, whatever the words.
          nmError('boom', { code: 'ETLS', originalCode: 'ECONNRESET' }),
          nmError('write EPIPE', { code: 'ESOCKET', originalCode: 'EPIPE' }),
          nmError('x', { code: 'ECONNECTION' }),
          nmError('Client network socket disconnected before secure TLS connection was established', { code: 'ETLS' }),
          nmError('Connection closed unexpectedly', { code: 'ETLS' }),
          nmError('socket hang up', { code: 'ETLS' }),
          nmError('Error initiating TLS - read ECONNRESET', { code: 'ETLS' }),
        ]) {
          assert.deepEqual(connect(err, inStartTls()), { stage: 'tls', temporary: true, reason }, err.message);
        }
      });

      it('anything else: a permanent handshake failure', () => {
        const c = connect(nmError('Error initiating TLS - no shared cipher', { code: 'ETLS', command: 'STARTTLS' }), inStartTls());
        assert.deepEqual(c, { stage: 'tls', temporary: false, reply: undefined, reason: 'the TLS handshake failed (Error initiating TLS - no shared cipher)' });
      });
    });

    it('which errors are certificate problems (each form of the words and codes)', () => {
      // After EHLO (not in STARTTLS), a non-ETLS error is a TLS failure only when it names a certificate problem.
      const after = (err: NodemailerError) => connect(err, greeted());
      // Each form alone, so that each one counts on its own.
      for (const [message, originalCode] of [
        ['a certificate problem', undefined],
        ['cert expired', undefined],
        ['self signed', undefined],
        ['self-signed', undefined],
        ['unable to verify the first leaf', undefined],
        ["Host: x. is not in the cert's altnames", undefined],
        ['wrong version number', undefined],
        ['unknown protocol', undefined],
        ['packet length too long', undefined],
        ['boom', 'ERR_SSL_DECRYPTION_FAILED'],
        ['boom', 'ERR_TLS_HANDSHAKE_TIMEOUT'],
        ['boom', 'CERT_HAS_EXPIRED'],
      ] as const) {
        const c = after(nmError(message, { code: 'ESOCKET', ...(originalCode ? { originalCode } : {}) }));
        assert.equal(c.stage, 'tls', `${message} ${originalCode ?? ''}`);
        assert.equal(c.temporary, false);
      }
      // Not a certificate problem: the connection lost after EHLO.
      const lost = after(nmError('read ECONNRESET', { code: 'ESOCKET', originalCode: 'ECONNRESET' }));
      assert.deepEqual(lost, { stage: 'greeting', temporary: true, reply: undefined, reason: 'the connection was lost after EHLO: read ECONNRESET' });
      for (const message of ['selfsigned', 'unable-to-verify', 'ERR_SSLX']) {
        assert.equal(after(nmError(message, { code: 'ESOCKET', originalCode: `X${message}` })).stage, 'greeting', message);
      }
    });

    it("what a TLS failure says: untrusted, another host's, expired, not TLS at all, or the plain error", () => {
      const tlsFailure = (message: string, originalCode?: string, profile: SmtpProfile = PROFILE) => connect(nmError(message, { code: 'ETLS', ...(originalCode ? { originalCode } : {}) }), greeted(), profile).reason;
      for (const [message, originalCode] of [
        ['self signed certificate', undefined],
        ['self-signed certificate', undefined],
        ['unable to verify the first certificate', undefined],
        ['unable to get local issuer certificate', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
        ['x', 'SELF_SIGNED_CERT_IN_CHAIN'],
        ['x', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
      ] as const) {
        assert.equal(
          tlsFailure(message, originalCode),
          `the server's certificate is not trusted (${message}): trust its CA with a CA file, rather than turning certificate checks off`,
          `${message} ${originalCode ?? ''}`,
        );
      }
      assert.equal(tlsFailure('x', 'UNABLE_TO_GET_ISSUER_CERT'), "the server's certificate is not trusted (x): trust its CA with a CA file, rather than turning certificate checks off");
      assert.equal(
        tlsFailure("Hostname/IP does not match certificate's altnames:\n  Host: mail.example.net.", 'ERR_TLS_CERT_ALTNAME_INVALID'),
        `the server's certificate is not for "mail.example.net" (Hostname/IP does not match certificate's altnames: Host: mail.example.net.)`,
      );
      assert.match(tlsFailure('wrong hostname'), /^the server's certificate is not for "mail\.example\.net"/);
      assert.match(tlsFailure('x', 'ERR_TLS_CERT_ALTNAME_INVALID'), /is not for/);
      assert.equal(tlsFailure('certificate has expired', 'CERT_HAS_EXPIRED'), "the server's certificate has expired");
      assert.equal(tlsFailure('x', 'CERT_HAS_EXPIRED'), "the server's certificate has expired");
      const implicit = { ...PROFILE, port: 465, security: 'tls' as const };
      for (const message of ['ssl3_get_record:wrong version number', 'packet length too long', 'unknown protocol']) {
        assert.equal(tlsFailure(message, undefined, implicit), 'the server at port 465 did not answer TLS: it probably expects STARTTLS (usually port 587 or 25), not implicit TLS', message);
        assert.equal(tlsFailure(message), 'the TLS handshake failed: the server did not speak TLS', message);
      }
      assert.equal(tlsFailure('Error initiating TLS -   no\n  shared cipher\n'), 'the TLS handshake failed (Error initiating TLS - no shared cipher)');
    });

    it('a refusal after the greeting names the command; without one, the session', () => {
      const ehlo = connect(nmError('Invalid response', { code: 'EPROTOCOL', response: '550 5.7.1 not you', command: 'EHLO' }), greeted());
      assert.deepEqual(ehlo, { stage: 'greeting', temporary: false, reply: '550 5.7.1 not you', reason: 'the server refused EHLO: 550 5.7.1 not you' });
      const busy = connect(nmError('Invalid response', { code: 'EPROTOCOL', response: '421 later', command: 'EHLO' }), greeted({ lastClientCommand: undefined }));
      assert.deepEqual(busy, { stage: 'greeting', temporary: true, reply: '421 later', reason: 'the server refused the session: 421 later' });
    });

    it('the connection lost while setting up: the stage of the state, the last command, the error', () => {
      assert.deepEqual(connect(DROP(), greeted()), { stage: 'greeting', temporary: true, reply: undefined, reason: 'the connection was lost after EHLO: Connection closed unexpectedly' });
      assert.deepEqual(connect(DROP(), facts({ greeting: '220 hi', state: 'greeting' })), {
        stage: 'greeting',
        temporary: true,
        reply: undefined,
        reason: 'the connection was lost while setting up the session: Connection closed unexpectedly',
      });
    });

    it('no error object at all: still an outcome, never a crash', () => {
      for (const raw of [undefined, null]) {
        const c = classify(raw, 'connect', facts({ greeting: '220 hi', state: 'ehlo', lastClientCommand: 'EHLO' }));
        assert.equal(c.stage, 'greeting');
        assert.equal(c.temporary, true);
        assert.match(c.reason, /^the connection was lost after EHLO: /);
      }
    });
  });
});

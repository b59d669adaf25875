// The SMTP session itself (src/core/send/session.ts), driven directly against real peers on 127.0.0.1
// (issue #16): what the dialogue log shows, the facts the outcome classifier and the doctor read, the
// security choice (implicit TLS, STARTTLS required / optional / none, the certificate), the AUTH choice and
// login, the stage deadlines, cancellation, and closing. Each rule next to its neighbour: the latest EHLO
// next to the first, a SASL line next to a command, a command's fresh deadline next to a stage's shared one.
import * as assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { generate } from 'selfsigned';
import { DEFAULT_TIMEOUTS, type SmtpProfile, type SmtpSecret, type SmtpTimeouts } from '../../../src/core/profiles/profile';
import { DialogueRedactor } from '../../../src/core/send/redact';
import {
  authLink,
  chooseAuth,
  closeSession,
  connect,
  freshFacts,
  login,
  offeredAuth,
  openSession,
  StageClock,
  untilDone,
  type Session,
  type SessionOptions,
} from '../../../src/core/send/session';
import type { Logger } from '../../../src/core/types';
import { scriptedSmtp, startRawServer, testCertificate, type TestCertificate } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor } from './helpers';
import { sessionPeers } from './sessionPeers';

const infoLines = (log: { lines: string[] }) => log.lines.filter((l) => l.startsWith('info ')).map((l) => l.slice('info '.length));

/** The reply of scriptedSmtp to EHLO with these keywords. */
const scriptedEhlo = (keywords: string[]) => ['250-scripted', ...keywords.map((k) => `250-${k}`), '250 8BITMIME'];

describe('the SMTP session (session.ts)', function () {
  // Each test takes well under a second on a busy machine; a short limit keeps a broken session (one that
  // never settles) from holding the suite, and a mutation run, for long.
  this.timeout(5_000);
  const { raw, smtp, track } = sessionPeers();
  const open = (profile: SmtpProfile, secret: SmtpSecret = {}, options?: SessionOptions | Logger) => {
    const opened = openSession(profile, secret, options);
    track(opened.session);
    return opened;
  };
  const connected = async (profile: SmtpProfile, secret: SmtpSecret = {}, options?: SessionOptions | Logger): Promise<Session> => {
    const { session } = open(profile, secret, options);
    await connect(session);
    return session;
  };
  /** The rejection of a promise (fails if it resolves). */
  const rejection = async (promise: Promise<unknown>): Promise<Error & Record<string, unknown>> => {
    try {
      await promise;
    } catch (err) {
      return err as Error & Record<string, unknown>;
    }
    assert.fail('expected a rejection');
  };
  /** Runs one SMTP transaction of the fixture on an open session. */
  const sendOn = (session: Session) => {
    const { message } = prepareFixture();
    return untilDone<{ response?: string }>(session, (done) => session.connection.send({ from: message.envelope.from, to: message.envelope.to } as never, message.raw as never, (err, info) => done(err, info as never)));
  };

  describe('the dialogue log and the facts', () => {
    it('a plain connection: every line as C:/S:, the peer, and the facts the classifier reads, exactly', async () => {
      const server = await raw({ ehlo: ['AUTH PLAIN LOGIN', 'STARTTLS'] });
      const log = collectingLogger();
      // Older callers pass the logger itself rather than { logger }.
      const session = await connected(profileFor(server.port, { ehloName: 'client.example' }), {}, log);
      assert.deepEqual(session.facts, {
        ehloLines: scriptedEhlo(['AUTH PLAIN LOGIN', 'STARTTLS']),
        offersStartTls: true,
        dataAccepted: false,
        messageEnded: false,
        state: 'ehlo',
        greeting: '220 scripted ESMTP',
        lastClientCommand: 'EHLO',
        peerAddress: '127.0.0.1',
      });
      assert.deepEqual(infoLines(log), ['S: 220 scripted ESMTP', 'C: EHLO client.example', ...scriptedEhlo(['AUTH PLAIN LOGIN', 'STARTTLS']).map((l) => `S: ${l}`)]);
      assert.ok(log.lines.includes(`debug Connection established to 127.0.0.1:${server.port}`), log.text());
      // nodemailer's other entries (which may name the user) only at trace.
      assert.ok(log.lines.includes('trace SMTP handshake finished'), log.text());
      assert.deepEqual(authLink(session), { encrypted: false, peerAddress: '127.0.0.1' });
      assert.deepEqual(offeredAuth(session.facts), ['PLAIN', 'LOGIN']);
    });

    it('before anything is seen: no EHLO lines, nothing offered, nothing sent, state connect', async () => {
      const expected = { ehloLines: [], offersStartTls: false, dataAccepted: false, messageEnded: false, state: 'connect' };
      assert.deepEqual(freshFacts(), expected);
      const server = await raw({});
      assert.deepEqual(open(profileFor(server.port)).session.facts, expected);
    });

    it('each line of a whole send is logged in the state it put the dialogue in', async () => {
      const server = await raw({});
      const seen: string[] = [];
      const current: { session?: Session } = {};
      const record = (level: string) => (m: string) => void seen.push(`${current.session?.facts.state} ${level} ${m}`);
      const logger: Logger = { trace: () => undefined, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
      const session = (current.session = open(profileFor(server.port, { ehloName: 'states.example' }), {}, { logger }).session);
      await connect(session);
      await sendOn(session);
      const dialogue = seen.map((l) => l.replace(/^(\S+ \S+ C: RCPT TO:).*$/, '$1').replace(/<message, \d+ bytes>/, '<message>').replace(/:\d+$/, ':PORT'));
      assert.deepEqual(dialogue, [
        'greeting debug Connection established to 127.0.0.1:PORT',
        'ehlo info S: 220 scripted ESMTP',
        'ehlo info C: EHLO states.example',
        ...scriptedEhlo(['SIZE 10000000']).map((l) => `ehlo info S: ${l}`),
        `mail info C: MAIL FROM:<${prepareFixture().message.envelope.from}>`,
        'mail info S: 250 OK',
        ...['', '', '', ''].flatMap(() => ['rcpt info C: RCPT TO:', 'rcpt info S: 250 OK']),
        'data info C: DATA',
        'transfer info S: 354 go ahead',
        'final-reply info C: <message>',
        'final-reply info C: .',
        'final-reply info S: 250 OK',
      ]);
    });

    it('a drop in the middle keeps what was known: the stage it stopped at and the peer; nothing listening: no peer', async () => {
      const server = await raw({ on: { RCPT: (s) => void s.destroy() } });
      const session = await connected(profileFor(server.port));
      await rejection(sendOn(session));
      assert.equal(session.facts.state, 'rcpt');
      assert.equal(session.facts.peerAddress, '127.0.0.1');
      const gone = await startRawServer(() => undefined);
      const port = gone.port;
      await gone.close();
      const { session: refused } = open(profileFor(port));
      await rejection(connect(refused));
      assert.equal(refused.facts.state, 'connect');
      assert.equal(refused.facts.peerAddress, undefined);
    });

    it('a reset while idle (between steps) does not crash the process: the session just ends', async () => {
      let serverSide: Socket | undefined;
      const server = await raw((socket) => {
        serverSide = socket;
        scriptedSmtp({})(socket);
      });
      const session = await connected(profileFor(server.port));
      const ended = new Promise((r) => session.connection.once('end', r));
      serverSide!.resetAndDestroy();
      await ended;
      assert.equal(session.connection.destroyed, true);
    });

    it('{ logger } and a logger given directly log the same lines; with neither, the session still runs', async () => {
      const server = await raw({});
      const direct = collectingLogger();
      const wrapped = collectingLogger();
      await connected(profileFor(server.port, { ehloName: 'same.example' }), {}, direct);
      await connected(profileFor(server.port, { ehloName: 'same.example' }), {}, { logger: wrapped });
      assert.deepEqual(infoLines(wrapped), infoLines(direct));
      assert.ok(infoLines(direct).includes('C: EHLO same.example'));
      const silent = await connected(profileFor(server.port), {});
      assert.equal(silent.facts.greeting, '220 scripted ESMTP');
    });

    it('a redactor given by the caller is the one that shows the dialogue (it knows secrets the session was not given)', async () => {
      const server = await raw({ greeting: '220 mx ESMTP greeting-s3cret-ab' });
      const log = collectingLogger();
      const shared = new DialogueRedactor(undefined, { password: 'greeting-s3cret-ab' });
      const { session } = open(profileFor(server.port), {}, { logger: log, redactor: shared });
      assert.equal(session.redactor, shared);
      await connect(session);
      assert.ok(infoLines(log).includes('S: 220 mx ESMTP <redacted>'), log.text());
      assert.doesNotMatch(log.text(), /greeting-s3cret/);
    });

    it('STARTTLS is offered only by a keyword of its own: not inside another keyword, not as a prefix; any case', async () => {
      const notOffered = await raw({ ehlo: ['X-NOTE 250 STARTTLS', 'STARTTLSX'] });
      assert.equal((await connected(profileFor(notOffered.port))).facts.offersStartTls, false);
      const lower = await raw({ ehlo: ['starttls'] });
      assert.equal((await connected(profileFor(lower.port))).facts.offersStartTls, true);
    });

    it('only the latest EHLO reply counts: after STARTTLS the offers are the encrypted session\'s (RFC 3207 section 4.2)', async () => {
      const cert = await testCertificate();
      // smtp-server offers STARTTLS before it (and AUTH as "250-"), not after it (AUTH then ends the list).
      const server = await smtp({ certificate: cert, auth: { user: 'ann', password: 'pw-after-tls' } });
      const log = collectingLogger();
      const session = await connected(profileFor(server.port, { security: 'starttls', caFile: cert.certFile }), {}, { logger: log });
      const ehlos = infoLines(log).filter((l) => l.startsWith('C: EHLO'));
      assert.equal(ehlos.length, 2, 'EHLO before and after STARTTLS');
      const before = infoLines(log).slice(infoLines(log).indexOf(ehlos[0]) + 1, infoLines(log).indexOf('C: STARTTLS'));
      assert.ok(before.some((l) => /^S: 250[ -]STARTTLS/.test(l)), before.join('\n'));
      assert.equal(session.facts.ehloLines.filter((l) => /Nice to meet you/.test(l)).length, 1, session.facts.ehloLines.join('\n'));
      const afterTls = infoLines(log).slice(infoLines(log).lastIndexOf(ehlos[1]) + 1).filter((l) => l.startsWith('S: 250'));
      assert.deepEqual(session.facts.ehloLines, afterTls.map((l) => l.slice(3)));
      assert.ok(!session.facts.ehloLines.some((l) => /STARTTLS/.test(l)), session.facts.ehloLines.join('\n'));
      assert.deepEqual(offeredAuth(session.facts), ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2']);
      assert.equal(session.facts.offersStartTls, true, 'the first EHLO offered it');
      assert.equal(session.facts.state, 'ehlo');
      assert.equal(authLink(session).encrypted, true);
    });

    it('a server that refuses EHLO: HELO is the greeting command, and its reply is not an EHLO list', async () => {
      const server = await raw({ on: { EHLO: (s) => void s.write('502 5.5.1 no EHLO here\r\n') } });
      const log = collectingLogger();
      const session = await connected(profileFor(server.port, { ehloName: 'old.example' }), {}, log);
      assert.ok(infoLines(log).includes('C: HELO old.example'), log.text());
      assert.equal(session.facts.state, 'ehlo');
      assert.equal(session.facts.lastClientCommand, 'HELO');
      assert.deepEqual(session.facts.ehloLines, []);
      assert.deepEqual(offeredAuth(session.facts), []);
    });

    it('one message: MAIL, RCPT, DATA, the 354, the message and its dot, the final reply', async () => {
      const server = await raw({});
      const log = collectingLogger();
      const session = await connected(profileFor(server.port), {}, log);
      const info = await sendOn(session);
      assert.match(info.response ?? '', /^250 OK/);
      const lines = infoLines(log);
      const data = lines.indexOf('C: DATA');
      assert.ok(data > 0 && lines.filter((l) => l.startsWith('C: RCPT TO:')).length === 4, lines.join('\n'));
      assert.equal(lines[data + 1], 'S: 354 go ahead');
      assert.match(lines[data + 2], /^C: <message, \d+ bytes>$/);
      assert.ok(Number(/\d+/.exec(lines[data + 2])![0]) >= prepareFixture().message.raw.length);
      assert.deepEqual(lines.slice(data + 3), ['C: .', 'S: 250 OK']);
      assert.equal(session.facts.state, 'final-reply');
      assert.equal(session.facts.dataAccepted, true);
      assert.equal(session.facts.messageEnded, true);
      assert.equal(session.facts.lastClientCommand, 'DATA');
    });

    it('a greeting that refuses the session: the dialogue is past the greeting (the classifier\'s "greeting" stage), no EHLO sent', async () => {
      const server = await raw({ greeting: '554 5.3.2 not accepting mail' });
      const log = collectingLogger();
      const { session } = open(profileFor(server.port), {}, log);
      await rejection(connect(session));
      assert.equal(session.facts.greeting, '554 5.3.2 not accepting mail');
      assert.equal(session.facts.state, 'ehlo');
      assert.ok(!infoLines(log).some((l) => l.startsWith('C: ')), log.text());
    });

    it('a close before the greeting: nodemailer\'s warning is kept in the log', async () => {
      const server = await raw((socket) => socket.end());
      const log = collectingLogger();
      const { session } = open(profileFor(server.port), {}, log);
      await rejection(connect(session));
      assert.ok(log.lines.includes('debug Connection closed unexpectedly'), log.text());
    });

    it('no greeting within the greeting deadline: the deadline names the greeting stage', async () => {
      const server = await raw({ greeting: null });
      const { session } = open(profileFor(server.port, { timeouts: { greetingMs: 60_000, socketMs: 60_000, greetingDeadlineMs: 150 } }));
      const err = await rejection(connect(session));
      assert.equal(err.message, 'Deadline of 150 ms passed (greeting)');
      assert.deepEqual(session.facts.expired, { state: 'greeting', ms: 150 });
      assert.equal(session.facts.peerAddress, '127.0.0.1');
    });

    it('a final reply that happens to hold "354" is still the final reply', async () => {
      const server = await raw({ afterDot: (s) => void s.write('250 2.0.0 OK 354 bytes, id 354\r\n') });
      const session = await connected(profileFor(server.port));
      await sendOn(session);
      assert.equal(session.facts.state, 'final-reply');
      assert.equal(session.facts.messageEnded, true);
    });

    for (const [verb, state] of [
      ['MAIL', 'mail'],
      ['RCPT', 'rcpt'],
      ['DATA', 'data'],
    ] as const) {
      it(`${verb} refused: the session says it stopped at ${state}, before any message`, async () => {
        const server = await raw({ on: { [verb]: (s: Socket) => void s.write('550 5.7.1 no\r\n') } });
        const session = await connected(profileFor(server.port));
        await rejection(sendOn(session));
        assert.equal(session.facts.state, state);
        assert.equal(session.facts.lastClientCommand, verb);
        assert.equal(session.facts.dataAccepted, false);
        assert.equal(session.facts.messageEnded, false);
      });
    }

    it('a 354 is "go ahead" only as the answer to DATA', async () => {
      const server = await raw({ on: { RCPT: (s) => void s.write('354 odd answer to RCPT\r\n') } });
      const session = await connected(profileFor(server.port));
      await sendOn(session).catch(() => undefined);
      assert.equal(session.facts.dataAccepted, false);
      assert.notEqual(session.facts.state, 'transfer');
    });
  });

  describe('the security choice', () => {
    it('security: none never upgrades, even when STARTTLS is offered', async () => {
      const server = await smtp({});
      const log = collectingLogger();
      const session = await connected(profileFor(server.port, { security: 'none' }), {}, log);
      assert.equal(session.connection.secure, false);
      assert.equal(session.facts.offersStartTls, true);
      assert.equal(session.facts.tls, undefined);
      assert.ok(!infoLines(log).includes('C: STARTTLS'));
      assert.doesNotMatch(log.text(), /TLS: /);
    });

    it('starttls-optional upgrades when STARTTLS is offered', async () => {
      const cert = await testCertificate();
      const server = await smtp({ certificate: cert });
      const session = await connected(profileFor(server.port, { security: 'starttls-optional', caFile: cert.certFile }));
      assert.equal(session.connection.secure, true);
      assert.match(session.facts.tls?.protocol ?? '', /^TLSv1\.[23]$/);
    });

    it('starttls (required) against a server that does not offer it: the connection fails, nothing after EHLO', async () => {
      const server = await raw({});
      const log = collectingLogger();
      const { session } = open(profileFor(server.port, { security: 'starttls' }), {}, log);
      await rejection(connect(session));
      assert.ok(!infoLines(log).some((l) => /^C: (AUTH|MAIL)/.test(l)), log.text());
      // nodemailer's error entry (a permanent reply) is kept, at trace.
      assert.ok(log.lines.some((l) => /^trace .*502 not implemented/.test(l)), log.text());
    });

    it('454 to STARTTLS: the session stopped at starttls', async () => {
      const server = await raw({ ehlo: ['STARTTLS'], on: { STARTTLS: (s) => void s.write('454 4.7.0 TLS not available\r\n') } });
      const log = collectingLogger();
      const { session } = open(profileFor(server.port, { security: 'starttls' }), {}, log);
      await rejection(connect(session));
      // nodemailer's warning (a temporary reply) is kept, at trace.
      assert.ok(log.lines.some((l) => /^trace .*454 4\.7\.0 TLS not available/.test(l)), log.text());
      assert.equal(session.facts.state, 'starttls');
      assert.equal(session.facts.lastClientCommand, 'STARTTLS');
    });

    it('implicit TLS from the first byte: the certificate and the TLS version in the facts and the log', async () => {
      const cert = await testCertificate();
      const server = await smtp({ secure: true, certificate: cert });
      const log = collectingLogger();
      const session = await connected(profileFor(server.port, { security: 'tls', caFile: cert.certFile }), {}, log);
      const tls = session.facts.tls;
      assert.ok(tls, 'TLS facts recorded');
      assert.match(tls.protocol, /^TLSv1\.[23]$/);
      assert.match(tls.cipher, /^(TLS_|ECDHE)/);
      assert.equal(tls.subject, 'localhost');
      assert.equal(tls.issuer, 'localhost');
      assert.match(tls.validTo ?? '', /\d{4} GMT$/);
      assert.ok(infoLines(log).includes(`TLS: ${tls.protocol}, ${tls.cipher}; certificate localhost issued by localhost, valid to ${tls.validTo}`), log.text());
      assert.ok(log.lines.includes(`debug Secure connection established to 127.0.0.1:${server.port}`), log.text());
      assert.deepEqual(authLink(session), { encrypted: true, peerAddress: '127.0.0.1' });
    });

    it('implicit TLS against a plain server: the connection fails', async () => {
      const server = await raw({});
      const { session } = open(profileFor(server.port, { security: 'tls', timeouts: { connectMs: 2000, greetingMs: 1000, socketMs: 2000 } }));
      await rejection(connect(session));
      assert.equal(session.facts.tls, undefined);
    });

    describe('certificate names in the log', () => {
      const certWith = async (attrs: { name: string; value: string }[]): Promise<TestCertificate> => {
        // EC keys: generated in a millisecond, where RSA takes seconds on a busy machine.
        const pems = await generate(attrs, { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as never);
        return { key: pems.private, cert: pems.cert, certFile: '' };
      };
      const tlsLine = async (certificate: TestCertificate) => {
        const server = await smtp({ secure: true, certificate });
        const log = collectingLogger();
        // Not verified: these certificates name no host; what is shown is the point here.
        const session = await connected(profileFor(server.port, { security: 'tls', verifyCertificate: false }), {}, log);
        return { line: infoLines(log).find((l) => l.startsWith('TLS: ')) ?? '', tls: session.facts.tls! };
      };

      it('no common name: the organisation; several common names: all of them; neither: "?"', async () => {
        const org = await tlsLine(await certWith([{ name: 'organizationName', value: 'Example Org' }]));
        assert.equal(org.tls.subject, 'Example Org');
        assert.match(org.line, /; certificate Example Org issued by Example Org, valid to .+ GMT$/);
        const two = await tlsLine(await certWith([
          { name: 'commonName', value: 'a.example' },
          { name: 'commonName', value: 'b.example' },
        ]));
        assert.equal(two.tls.subject, 'a.example, b.example');
        const none = await tlsLine(await certWith([{ shortName: 'OU', value: 'Unit' } as never]));
        assert.equal(none.tls.subject, undefined);
        assert.match(none.line, /; certificate \? issued by \?, valid to .+ GMT$/);
      });
    });

    it('the certificate is verified unless the profile says verifyCertificate: false', async () => {
      const server = await smtp({});
      const { session } = open(profileFor(server.port, { security: 'starttls' }));
      await rejection(connect(session));
      assert.equal(session.connection.secure, false);
      const unverified = await connected(profileFor(server.port, { security: 'starttls', verifyCertificate: false }));
      assert.equal(unverified.connection.secure, true);
    });

    it('a CA file that cannot be read is reported, none given is no error', async () => {
      const server = await raw({});
      const missing = open(profileFor(server.port, { caFile: '/nonexistent/mailsmith-ca.pem' }));
      assert.match(missing.caError ?? '', /cannot read the CA file "\/nonexistent\/mailsmith-ca\.pem"/);
      const none = open(profileFor(server.port));
      assert.ok(!('caError' in none), JSON.stringify(Object.keys(none)));
      const cert = await testCertificate();
      assert.ok(!('caError' in open(profileFor(server.port, { caFile: cert.certFile }))));
    });

    it('the profile\'s own timeouts apply, the others keep their defaults', async () => {
      const server = await raw({ greeting: null });
      const { session } = open(profileFor(server.port, { timeouts: { greetingMs: 200 } }));
      const started = Date.now();
      const err = await rejection(connect(session));
      assert.equal(err.code, 'ETIMEDOUT', String(err));
      assert.ok(Date.now() - started < 10_000);
    });
  });

  describe('login', () => {
    /** smtp-server that keeps every AUTH attempt as it saw it. */
    const authServer = async () => {
      const seen: { method: string; username?: string; password?: string | null; accessToken?: string }[] = [];
      const server = await smtp({
        starttls: false,
        auth: { user: 'ann', password: 'pw-1234', accessToken: 'tok-5678' },
        extra: {
          onAuth(auth, _session, callback) {
            seen.push({ method: auth.method, username: auth.username, ...(auth.method === 'CRAM-MD5' ? {} : { password: auth.password }), ...(auth.accessToken ? { accessToken: auth.accessToken } : {}) });
            const ok = auth.method === 'CRAM-MD5' ? auth.validatePassword('pw-1234') : auth.method === 'XOAUTH2' ? auth.accessToken === 'tok-5678' : auth.password === 'pw-1234';
            callback(ok ? null : Object.assign(new Error('no'), { responseCode: 535 }), ok ? { user: auth.username } : undefined);
          },
        },
      });
      return { server, seen };
    };

    for (const mechanism of ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] as const) {
      it(`${mechanism}: the server gets the user and the credential, the session records the mechanism and the AUTH state`, async () => {
        const { server, seen } = await authServer();
        const secret = mechanism === 'XOAUTH2' ? { accessToken: 'tok-5678' } : { password: 'pw-1234' };
        const profile = profileFor(server.port, { user: 'ann' });
        const log = collectingLogger();
        const session = await connected(profile, secret, log);
        await login(session, profile, secret, mechanism);
        assert.equal(seen.length, 1);
        assert.equal(seen[0].method, mechanism);
        assert.equal(seen[0].username, 'ann');
        if (mechanism === 'XOAUTH2') assert.equal(seen[0].accessToken, 'tok-5678');
        else if (mechanism !== 'CRAM-MD5') assert.equal(seen[0].password, 'pw-1234');
        assert.equal(session.facts.authMechanism, mechanism);
        // The AUTH replies are not EHLO lines: what the server offered stays readable (send.ts checks SMTPUTF8 after AUTH).
        assert.deepEqual(offeredAuth(session.facts), ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2']);
        assert.ok(session.facts.ehloLines.some((l) => /^250[ -]SMTPUTF8$/.test(l)), session.facts.ehloLines.join('\n'));
        assert.equal(session.facts.state, 'auth');
        assert.equal(session.facts.lastClientCommand, 'AUTH');
        assert.doesNotMatch(log.text(), /pw-1234|tok-5678/);
        // After AUTH, commands move the dialogue on again.
        await sendOn(session);
        assert.equal(session.facts.state, 'final-reply');
        assert.equal(session.facts.lastClientCommand, 'DATA');
      });
    }

    it('PLAIN with no password: refused before anything reaches the server, never some placeholder sent', async () => {
      const { server, seen } = await authServer();
      const profile = profileFor(server.port, { user: 'ann' });
      const log = collectingLogger();
      const session = await connected(profile, {}, log);
      const err = await rejection(login(session, profile, {}, 'PLAIN'));
      assert.equal(err.code, 'EAUTH', String(err));
      assert.deepEqual(seen, []);
      assert.ok(!infoLines(log).some((l) => l.startsWith('C: AUTH')), log.text());
    });

    it('XOAUTH2 with a password but no token: the token sent is empty (the server refuses it), never the password', async () => {
      const server = await raw({ ehlo: ['AUTH XOAUTH2'], on: { AUTH: (s) => void s.write('535 5.7.8 no\r\n') } });
      const profile = profileFor(server.port, { user: 'ann' });
      const session = await connected(profile, { password: 'pw-1234' });
      await rejection(login(session, profile, { password: 'pw-1234' }, 'XOAUTH2'));
      const initial = /^AUTH XOAUTH2 (\S+)\r$/m.exec(server.bytes())?.[1] ?? '';
      assert.equal(Buffer.from(initial, 'base64').toString('utf8'), 'user=ann\u0001auth=Bearer \u0001\u0001');
    });

    it('OAUTHBEARER names the profile\'s host and port to the server (RFC 7628 section 3.1)', async () => {
      const server = await raw({ ehlo: ['AUTH OAUTHBEARER'], on: { AUTH: (s) => void s.write('235 2.7.0 accepted\r\n') } });
      const profile = profileFor(server.port, { user: 'ann@example.com' });
      const session = await connected(profile, { accessToken: 'tok-bearer' });
      await login(session, profile, { accessToken: 'tok-bearer' }, 'OAUTHBEARER');
      const initial = /^AUTH OAUTHBEARER (\S+)\r$/m.exec(server.bytes())?.[1] ?? '';
      assert.equal(Buffer.from(initial, 'base64').toString('utf8'), `n,a=ann@example.com,\u0001host=127.0.0.1\u0001port=${server.port}\u0001auth=Bearer tok-bearer\u0001\u0001`);
      assert.equal(session.facts.authMechanism, 'OAUTHBEARER');
    });

    it('a SASL line that reads like a command (a user name whose base64 is "MAIL") keeps the AUTH state', async () => {
      const user = '0\u0002\u000b';
      assert.equal(Buffer.from(user).toString('base64'), 'MAIL');
      let step = 0;
      const server = await raw({
        ehlo: ['AUTH LOGIN'],
        on: { AUTH: (s) => (s.write('334 VXNlcm5hbWU6\r\n'), 'continue') },
        onContinuation: (s) => {
          step++;
          if (step === 1) return (s.write('334 UGFzc3dvcmQ6\r\n'), 'continue');
          s.write('235 2.7.0 accepted\r\n');
          return undefined;
        },
      });
      const profile = profileFor(server.port, { user });
      const log = collectingLogger();
      const session = await connected(profile, { password: 'pw-sasl' }, log);
      await login(session, profile, { password: 'pw-sasl' }, 'LOGIN');
      assert.match(server.bytes(), /\r\nMAIL\r\n/, 'the user line went out as "MAIL"');
      assert.equal(session.facts.state, 'auth');
      assert.equal(session.facts.lastClientCommand, 'AUTH');
      assert.deepEqual(infoLines(log).slice(-6), ['C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: <redacted>', 'S: 334 UGFzc3dvcmQ6', 'C: <redacted>', 'S: 235 2.7.0 accepted']);
    });
  });

  describe('choosing the AUTH mechanism', () => {
    const local = { encrypted: false, peerAddress: '127.0.0.1' };
    const remoteClear = { encrypted: false, peerAddress: '192.0.2.7' };
    const remoteTls = { encrypted: true, peerAddress: '192.0.2.7' };
    const p = (extra: Partial<SmtpProfile> = {}) => profileFor(25, { user: 'ann@example.com', ...extra });
    const ALL = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER'];

    it('auto with a password: PLAIN, then LOGIN, then CRAM-MD5, whatever order the server lists them in; PLAIN when none is known', () => {
      const cases: [string[], string][] = [
        [['CRAM-MD5', 'LOGIN', 'PLAIN'], 'PLAIN'],
        [['CRAM-MD5', 'LOGIN'], 'LOGIN'],
        [['CRAM-MD5'], 'CRAM-MD5'],
        [['XOAUTH2'], 'PLAIN'],
        [['GSSAPI', 'NTLM'], 'PLAIN'],
      ];
      for (const [offered, expected] of cases) {
        assert.deepEqual(chooseAuth(p(), { password: 'pw' }, offered, local), { ok: true, mechanism: expected }, offered.join(' '));
        assert.deepEqual(chooseAuth(p({ auth: 'auto' }), { password: 'pw' }, offered, local), { ok: true, mechanism: expected }, `auto: ${offered.join(' ')}`);
      }
    });

    it('auto with a token only: OAUTHBEARER when offered, else XOAUTH2; a password and a token: the password', () => {
      assert.deepEqual(chooseAuth(p(), { accessToken: 't' }, ['XOAUTH2', 'OAUTHBEARER'], remoteTls), { ok: true, mechanism: 'OAUTHBEARER' });
      assert.deepEqual(chooseAuth(p(), { accessToken: 't' }, ['PLAIN', 'XOAUTH2'], remoteTls), { ok: true, mechanism: 'XOAUTH2' });
      assert.deepEqual(chooseAuth(p(), { accessToken: 't' }, ['PLAIN'], remoteTls), { ok: true, mechanism: 'XOAUTH2' });
      assert.deepEqual(chooseAuth(p(), { password: 'pw', accessToken: 't' }, ALL, remoteTls), { ok: true, mechanism: 'PLAIN' });
    });

    it('a mechanism named in the profile is used as named, offered or not', () => {
      for (const auth of ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER'] as const) {
        assert.deepEqual(chooseAuth(p({ auth }), { password: 'pw', accessToken: 't' }, ['GSSAPI'], remoteTls), { ok: true, mechanism: auth }, auth);
      }
    });

    it('no AUTH offered: refused, and the reason says so', () => {
      for (const link of [local, remoteTls]) {
        const choice = chooseAuth(p(), { password: 'pw' }, [], link);
        assert.deepEqual(choice, { ok: false, why: 'none-offered', reason: 'the server offers no AUTH, but this profile has a user: refusing to send unauthenticated' });
      }
    });

    it('clear text to another machine: refused before anything else, naming what would have leaked', () => {
      const reason = (what: string) =>
        `the session is not encrypted and 127.0.0.1 is not this machine: AUTH would send ${what} in clear text, so it was refused and nothing was sent. Use a profile that requires TLS (STARTTLS required, or implicit TLS)`;
      const cases: [Partial<SmtpProfile>, SmtpSecret, string][] = [
        [{}, { password: 'pw' }, 'the password (or a digest of it)'],
        [{ auth: 'CRAM-MD5' }, { password: 'pw' }, 'the password (or a digest of it)'],
        [{}, { accessToken: 't' }, 'the access token'],
        [{}, { password: 'pw', accessToken: 't' }, 'the password (or a digest of it)'],
        [{ auth: 'XOAUTH2' }, { password: 'pw', accessToken: 't' }, 'the access token'],
        [{ auth: 'OAUTHBEARER' }, { password: 'pw', accessToken: 't' }, 'the access token'],
        [{ auth: 'PLAIN' }, { accessToken: 't' }, 'the access token'],
      ];
      for (const [extra, secret, what] of cases) {
        // Even with no AUTH offered: the clear-text reason comes first.
        for (const offered of [ALL, []]) {
          assert.deepEqual(chooseAuth(p(extra), secret, offered, remoteClear), { ok: false, why: 'clear-text', reason: reason(what) }, JSON.stringify([extra, secret, offered]));
        }
      }
      assert.equal(chooseAuth(p(), { password: 'pw' }, ALL, local).ok, true);
      assert.equal(chooseAuth(p(), { password: 'pw' }, ALL, remoteTls).ok, true);
    });
  });

  describe('the EHLO AUTH line', () => {
    const offered = (...ehloLines: string[]) => offeredAuth({ ...freshFacts(), ehloLines });

    it('both separators (space, and the old "=" form), both line forms, any case and spacing, upper-cased', () => {
      assert.deepEqual(offered('250-mx', '250-AUTH PLAIN LOGIN', '250 8BITMIME'), ['PLAIN', 'LOGIN']);
      assert.deepEqual(offered('250-mx', '250 AUTH cram-md5'), ['CRAM-MD5']);
      assert.deepEqual(offered('250-mx', '250-AUTH=LOGIN PLAIN'), ['LOGIN', 'PLAIN']);
      assert.deepEqual(offered('250-mx', '250-auth  plain\tlogin  '), ['PLAIN', 'LOGIN']);
      assert.deepEqual(offered('250-mx', '250-AUTH PLAIN', '250-AUTH=XOAUTH2'), ['PLAIN'], 'the first AUTH line');
    });

    it('no mechanism: an empty list; lines that merely contain AUTH are not the AUTH line', () => {
      assert.deepEqual(offered(), []);
      assert.deepEqual(offered('250-mx', '250 AUTH '), []);
      assert.deepEqual(offered('250-mx', '250-AUTHENTICATION-NOTE X', '250-XAUTH PLAIN', '250 8BITMIME'), []);
      assert.deepEqual(offered('250-mx X-NOTE 250-AUTH PLAIN'), []);
      assert.deepEqual(offered('250AUTH PLAIN', '250_AUTH LOGIN'), []);
      assert.deepEqual(offered('220 AUTH PLAIN'), []);
    });
  });

  describe('the stage clock', () => {
    // The deadlines all have the same length here, so their timers share one Node timer list and fire
    // in the order they were armed: a clock armed before the reference timer fires before it, one re-armed
    // after it fires after it. The order, not a wall-clock reading, says whether a deadline was renewed.
    const D = 60;
    const clockUnderTest = () => {
      const facts = freshFacts();
      const events: string[] = [];
      let onClose: () => void = () => undefined;
      const closed = new Promise<void>((resolve) => (onClose = resolve));
      const same: SmtpTimeouts = { greetingDeadlineMs: D, setupDeadlineMs: D, authDeadlineMs: D, commandDeadlineMs: D, dataDeadlineMs: D, finalReplyDeadlineMs: D };
      const clock = new StageClock(facts, { ...DEFAULT_TIMEOUTS, ...same }, () => {
        events.push('closed');
        onClose();
      });
      const reference = () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            events.push('reference');
            resolve();
          }, D),
        );
      return { facts, events, clock, reference, closed };
    };

    it('a stage keeps one deadline across its states (EHLO, then STARTTLS): the time is not renewed', async () => {
      const t = clockUnderTest();
      t.clock.start();
      t.clock.enter('ehlo');
      const reference = t.reference();
      t.clock.enter('starttls');
      await reference;
      assert.deepEqual(t.events, ['closed', 'reference']);
      assert.deepEqual(t.facts.expired, { state: 'starttls', ms: D }, 'the state the dialogue was in when it fired');
      assert.equal(t.facts.state, 'starttls');
    });

    for (const [first, next] of [
      ['mail', 'rcpt'],
      ['rcpt', 'rcpt'],
      ['ehlo', 'auth'],
      ['data', 'transfer'],
      ['transfer', 'final-reply'],
    ] as const) {
      it(`${first} then ${next}: a fresh deadline`, async () => {
        const t = clockUnderTest();
        t.clock.start();
        t.clock.enter(first);
        const reference = t.reference();
        t.clock.enter(next);
        await reference;
        assert.deepEqual(t.events, ['reference']);
        await t.closed;
        assert.deepEqual(t.events, ['reference', 'closed']);
        assert.deepEqual(t.facts.expired, { state: next, ms: D });
      });
    }

    it('idle (no step waiting on the server): no deadline runs; starting a step arms nothing until the next state', async () => {
      const t = clockUnderTest();
      t.clock.enter('mail');
      await t.reference();
      t.clock.start();
      await t.reference();
      assert.deepEqual(t.events, ['reference', 'reference']);
      assert.equal(t.facts.expired, undefined);
      t.clock.enter('rcpt');
      await t.closed;
      assert.deepEqual(t.facts.expired, { state: 'rcpt', ms: D });
    });

    it('stop ends the running deadline, keeps the clock idle, and the next step starts a fresh stage', async () => {
      const t = clockUnderTest();
      t.clock.start();
      t.clock.enter('ehlo');
      t.clock.stop();
      t.clock.enter('mail');
      await t.reference();
      assert.deepEqual(t.events, ['reference']);
      t.clock.start();
      t.clock.enter('starttls');
      await t.reference();
      assert.deepEqual(t.events, ['reference', 'closed', 'reference'], 'armed again: stop forgot the stage');
      assert.deepEqual(t.facts.expired, { state: 'starttls', ms: D });
    });
  });

  describe('one step (untilDone)', () => {
    it('on a closed connection: fails at once, "Connection closed unexpectedly", and the step never runs', async () => {
      const server = await raw({});
      const session = await connected(profileFor(server.port));
      const ended = new Promise((r) => session.connection.once('end', r));
      session.connection.close();
      await ended;
      let ran = false;
      const err = await rejection(untilDone(session, () => (ran = true)));
      assert.equal(ran, false);
      assert.equal(err.message, 'Connection closed unexpectedly');
      assert.equal(err.code, 'ECONNECTION');
      assert.equal(err.command, 'CONN');
    });

    it('passes the step\'s value and the step\'s own error through', async () => {
      const server = await raw({});
      const session = await connected(profileFor(server.port));
      assert.equal(await untilDone<number>(session, (done) => done(null, 42)), 42);
      const own = new Error('the step failed');
      assert.equal(await rejection(untilDone(session, (done) => done(own))), own);
      assert.equal(await untilDone<number>(session, (done) => setImmediate(() => done(undefined, 7))), 7);
    });

    it('a reply held past its deadline: the step fails with the deadline, the stage and its length, the connection closed', async () => {
      const server = await raw({ on: { RSET: () => undefined } });
      const session = await connected(profileFor(server.port, { timeouts: { commandDeadlineMs: 150, socketMs: 60_000 } }));
      const err = await rejection(untilDone<void>(session, (done) => session.connection.reset((e) => done(e))));
      assert.equal(err.message, 'Deadline of 150 ms passed (rset)');
      assert.equal(err.code, 'ETIMEDOUT');
      assert.equal(err.timeoutType, 'DEADLINE');
      assert.deepEqual(session.facts.expired, { state: 'rset', ms: 150 });
      assert.equal(session.connection.destroyed, true);
      // And after it, the next step says the same, not "closed unexpectedly".
      assert.equal((await rejection(untilDone(session, () => undefined))).message, 'Deadline of 150 ms passed (rset)');
    });

    it('cancelled while the server holds a reply: the step fails as cancelled, at once', async () => {
      const controller = new AbortController();
      const server = await raw({ on: { RSET: () => controller.abort() } });
      const session = await connected(profileFor(server.port, { timeouts: { socketMs: 60_000 } }), {}, { signal: controller.signal });
      const err = await rejection(untilDone<void>(session, (done) => session.connection.reset((e) => done(e))));
      assert.equal(err.message, 'Cancelled');
      assert.equal(err.code, 'ECANCELLED');
      assert.equal(session.facts.cancelled, true);
      assert.equal(session.connection.destroyed, true);
    });

    it('cancelled after the final dot: the connection stays open for the server\'s reply, and the message counts as taken', async () => {
      const controller = new AbortController();
      const server = await raw({
        afterDot: (s) => {
          controller.abort();
          setImmediate(() => s.write('250 2.0.0 queued as AFTERDOT1\r\n'));
        },
      });
      const session = await connected(profileFor(server.port, { timeouts: { socketMs: 60_000 } }), {}, { signal: controller.signal });
      const info = await sendOn(session);
      assert.match(info.response ?? '', /queued as AFTERDOT1/);
      assert.equal(session.facts.cancelled, true);
      assert.equal(session.connection.destroyed, false);
    });

    it('a signal aborted before the session: marked cancelled from the start, and a failing step fails as cancelled', async () => {
      const server = await raw({});
      const { session } = open(profileFor(server.port), {}, { signal: AbortSignal.abort() });
      assert.equal(session.facts.cancelled, true);
      // Nothing closed the connection, so a step that succeeds still succeeds ...
      await connect(session);
      // ... and one that fails fails as cancelled.
      assert.equal((await rejection(untilDone(session, (done) => done(new Error('refused'))))).code, 'ECANCELLED');
    });

    it('a signal aborted after the session ended changes nothing', async () => {
      const controller = new AbortController();
      const server = await raw({});
      const session = await connected(profileFor(server.port), {}, { signal: controller.signal });
      const ended = new Promise((r) => session.connection.once('end', r));
      session.connection.close();
      await ended;
      controller.abort();
      assert.equal(session.facts.cancelled, undefined);
    });
  });

  describe('closing', () => {
    it('sends QUIT (the last state is quit), and closes the connection itself when the server never answers it', async () => {
      let serverSide: Socket | undefined;
      const server = await raw((socket) => {
        serverSide = socket;
        scriptedSmtp({ on: { QUIT: () => undefined } })(socket);
      });
      const session = await connected(profileFor(server.port, { timeouts: { socketMs: 60_000 } }));
      const closedByClient = new Promise<void>((resolve) => serverSide!.once('close', () => resolve()));
      closeSession(session);
      assert.equal(session.facts.state, 'quit');
      assert.equal(session.facts.lastClientCommand, 'QUIT');
      await closedByClient;
      assert.match(server.bytes(), /\r\nQUIT\r\n$/);
    });

    it('closing a session that is already closed does not throw', async () => {
      const server = await raw({});
      const session = await connected(profileFor(server.port));
      const ended = new Promise((r) => session.connection.once('end', r));
      session.connection.close();
      await ended;
      closeSession(session);
    });
  });
});

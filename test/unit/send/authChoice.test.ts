// The clear-text rule (review #10, item 5): no credential of any kind (PLAIN, LOGIN, CRAM-MD5, XOAUTH2,
// named in the profile or chosen by `auto`) leaves over an unencrypted connection to a host other than
// this machine. "This machine" means: the profile names a loopback host (localhost, 127.0.0.0/8, ::1,
// ::ffff:127.x) AND the connection reached a loopback address.
//
// The remote side is tested against this machine's own non-loopback address (a container's eth0, say):
// the traffic stays on the machine, but to the rule it is exactly a remote server, a non-loopback name
// reaching a non-loopback peer. The server there is what a STARTTLS-stripping attacker shows: no
// STARTTLS, every mechanism offered, any credential accepted; every byte the client sends is kept.
import * as assert from 'node:assert/strict';
import { clearTextCredentialsAllowed } from '../../../src/core/send/session';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import { runDoctor, sendMessage, type SendOutcome } from '../../../src/core/send';
import { credentialTrap, nonLoopbackAddress, startRawServer, startSmtpServer, testCertificate, type RawServer, type RunningServer } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor } from './helpers';

const USER = 'ann@example.com';
const PASSWORD = 'clear-Text-pa55word';
const TOKEN = 'ya29.clear-text-token-0123456789';

type Mechanism = NonNullable<SmtpProfile['auth']>;
const MECHANISMS: Mechanism[] = ['auto', 'PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'];

/** Every form of the credentials that must not cross the wire in clear. */
function credentialForms(): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [PASSWORD, TOKEN, b64(PASSWORD), b64(TOKEN), b64(`\u0000${USER}\u0000${PASSWORD}`), b64(`user=${USER}\u0001auth=Bearer ${TOKEN}\u0001\u0001`), b64(USER)];
}

const secretFor = (auth: Mechanism) => (auth === 'XOAUTH2' ? { accessToken: TOKEN } : { password: PASSWORD });

function assertRefusedInClear(outcome: SendOutcome, trap: RawServer, what: string) {
  assert.equal(outcome.status, 'failed', `${what}: ${JSON.stringify(outcome)}`);
  if (outcome.status === 'failed') {
    // security: none with a user to a remote host is refused before connecting; the others at AUTH.
    assert.ok(outcome.stage === 'auth' || outcome.stage === 'config', what);
    assert.match(outcome.reason, /clear text|without TLS/, what);
  }
  const wire = trap.bytes();
  assert.doesNotMatch(wire, /^AUTH\b/im, `${what}: no AUTH command reached the server`);
  assert.doesNotMatch(wire, /^MAIL\b/im, `${what}: nothing was sent unauthenticated either`);
  for (const form of credentialForms()) assert.ok(!wire.includes(form), `${what}: ${form} crossed the wire`);
}

describe('credentials in clear text', function () {
  this.timeout(15_000);
  const closers: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(s: T) => (closers.push(s), s);
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((s) => s.close()));
  });

  describe('to a remote host (this machine\'s non-loopback address)', () => {
    const remote = nonLoopbackAddress();
    before(function () {
      if (!remote) this.skip(); // a machine with loopback only has no "remote" address to listen on
    });

    for (const auth of MECHANISMS) {
      for (const security of ['starttls-optional', 'none'] as const) {
        it(`auth: ${auth}, security: ${security}, no STARTTLS offered: refused, no AUTH and no credential on the wire`, async () => {
          const trap = track(await startRawServer(credentialTrap(), remote));
          const log = collectingLogger();
          const profile = profileFor(trap.port, { host: remote!, security, user: USER, ...(auth === 'auto' ? {} : { auth }) });
          const outcome = await sendMessage(prepareFixture().message, profile, secretFor(auth), { logger: log });
          assertRefusedInClear(outcome, trap, `${auth}/${security}`);
          assert.doesNotMatch(log.text(), /C: AUTH/);
        });
      }
    }

    it('auth: auto with an access token only: refused as well (XOAUTH2 in clear would hand over the bearer token)', async () => {
      const trap = track(await startRawServer(credentialTrap(), remote));
      const outcome = await sendMessage(prepareFixture().message, profileFor(trap.port, { host: remote!, security: 'starttls-optional', user: USER }), { accessToken: TOKEN });
      assertRefusedInClear(outcome, trap, 'auto/token');
    });

    it('the doctor applies the same rule: AUTH fails with the reason, nothing crosses the wire', async () => {
      for (const auth of MECHANISMS) {
        const trap = track(await startRawServer(credentialTrap(), remote));
        const report = await runDoctor(profileFor(trap.port, { host: remote!, security: 'starttls-optional', user: USER, auth }), secretFor(auth));
        const step = report.steps.find((s) => s.id === 'auth');
        assert.equal(step?.status, 'fail', `${auth}: ${JSON.stringify(report.steps)}`);
        assert.match(step?.diagnosis ?? '', /clear text/);
        assert.doesNotMatch(trap.bytes(), /^AUTH\b/im, auth);
        for (const form of credentialForms()) assert.ok(!trap.bytes().includes(form), `${auth}: ${form} crossed the wire`);
      }
    });

    it('over TLS to the same remote host every mechanism is used as asked (the rule is about clear text only)', async () => {
      const cert = await testCertificate({ ip: [remote!] });
      for (const auth of ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] as const) {
        const server = track(await startSmtpServer({ host: remote, certificate: cert, auth: { user: USER, password: PASSWORD, accessToken: TOKEN } }));
        const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { host: remote!, security: 'starttls', caFile: cert.certFile, user: USER, auth }), secretFor(auth));
        assert.equal(outcome.status, 'sent', `${auth}: ${JSON.stringify(outcome)}`);
        assert.deepEqual(server.authMethods, [auth]);
      }
    });
  });

  describe('to this machine (loopback name and loopback peer)', () => {
    let server: RunningServer;
    beforeEach(async () => {
      server = track(await startSmtpServer({ starttls: false, auth: { user: USER, password: PASSWORD, accessToken: TOKEN } }));
    });

    for (const auth of MECHANISMS) {
      it(`auth: ${auth} in clear text to 127.0.0.1: used as asked`, async () => {
        const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { security: 'starttls-optional', user: USER, auth }), secretFor(auth));
        assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
        assert.deepEqual(server.authMethods, [auth === 'auto' ? 'PLAIN' : auth]);
      });
    }

    for (const host of ['localhost', '::ffff:127.0.0.1']) {
      it(`"${host}" is this machine too`, async () => {
        const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { host, security: 'starttls-optional', user: USER }), { password: PASSWORD });
        assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
        assert.equal(server.authMethods.length, 1);
      });
    }

    it('127.0.0.2 (the rest of 127.0.0.0/8) is this machine too', async function () {
      let other: RunningServer;
      try {
        other = track(await startSmtpServer({ host: '127.0.0.2', starttls: false, auth: { user: USER, password: PASSWORD } }));
      } catch {
        return this.skip(); // only Linux routes all of 127.0.0.0/8 to loopback by default
      }
      const outcome = await sendMessage(prepareFixture().message, profileFor(other.port, { host: '127.0.0.2', security: 'starttls-optional', user: USER }), { password: PASSWORD });
      assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    });
  });

  it('the rule needs both a loopback name and a loopback peer', () => {
    const cases: [string, string | undefined, boolean][] = [
      ['127.0.0.1', '127.0.0.1', true],
      ['localhost', '::1', true],
      ['localhost', '::ffff:127.0.0.1', true],
      ['[::1]', '::1', true],
      ['127.200.0.9', '127.200.0.9', true],
      // A loopback name that reached another machine (a resolver or hosts file pointing elsewhere).
      ['localhost', '192.0.2.10', false],
      ['localhost', undefined, false],
      // A network name, even one that happens to resolve to loopback today.
      ['mail.example.com', '127.0.0.1', false],
      ['192.0.2.10', '192.0.2.10', false],
      ['::ffff:10.0.0.1', '::ffff:10.0.0.1', false],
      ['0.0.0.0', '127.0.0.1', false],
      ['localhost.example.com', '127.0.0.1', false],
    ];
    for (const [host, peerAddress, allowed] of cases) assert.equal(clearTextCredentialsAllowed(host, { encrypted: false, peerAddress }), allowed, `${host} -> ${peerAddress}`);
    assert.equal(clearTextCredentialsAllowed('mail.example.com', { encrypted: true, peerAddress: '192.0.2.10' }), true, 'encrypted is always fine');
  });
});

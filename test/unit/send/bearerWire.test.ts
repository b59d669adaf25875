// XOAUTH2 and OAUTHBEARER on the wire, byte for byte: the initial responses against their published
// examples, what a scripted server on 127.0.0.1 really receives, the refusal exchange each mechanism
// prescribes (RFC 7628 section 3.2.3: the client answers the 334 error challenge with ^A; XOAUTH2: an empty
// line), and the dialogue log with every token form hidden.
import * as assert from 'node:assert/strict';
import { oauthBearerInitialResponse, xoauth2InitialResponse } from '../../../src/core/send/bearerAuth';
import { chooseAuth } from '../../../src/core/send/session';
import { describeOutcome, runDoctor, sendMessage } from '../../../src/core/send';
import { scriptedSmtp, startRawServer, type RawServer } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor } from './helpers';

describe('bearer token mechanisms on the wire', function () {
  this.timeout(10_000);
  const servers: RawServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('XOAUTH2: the initial response for user "user" and token "mF_9.B5f-4.1JqM" is the published one', () => {
    assert.equal(xoauth2InitialResponse('user', 'mF_9.B5f-4.1JqM'), 'dXNlcj11c2VyAWF1dGg9QmVhcmVyIG1GXzkuQjVmLTQuMUpxTQEB');
  });

  it('OAUTHBEARER: the initial response of RFC 7628 section 4.1, decoded and encoded', () => {
    const rfcExample =
      'bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9NTg3AWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB';
    const built = oauthBearerInitialResponse('user@example.com', 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==', 'server.example.com', 587);
    assert.equal(built, rfcExample);
    // The RFC's decoded form, with ^A written out.
    assert.equal(Buffer.from(built, 'base64').toString('utf8'), 'n,a=user@example.com,\u0001host=server.example.com\u0001port=587\u0001auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\u0001\u0001');
  });

  it('OAUTHBEARER escapes "," and "=" in the authorization identity (RFC 5801 section 4)', () => {
    const decoded = Buffer.from(oauthBearerInitialResponse('a,b=c@example.com', 'T0ken', 'h', 1), 'base64').toString('utf8');
    assert.ok(decoded.startsWith('n,a=a=2Cb=3Dc@example.com,\u0001'), decoded);
  });

  it('auto takes OAUTHBEARER when offered and XOAUTH2 otherwise, for a token; never in clear to another machine', () => {
    const profile = profileFor(25, { user: 'u@example.com' });
    const link = { encrypted: true, peerAddress: '127.0.0.1' };
    assert.deepEqual(chooseAuth(profile, { accessToken: 't0ken' }, ['PLAIN', 'XOAUTH2', 'OAUTHBEARER'], link), { ok: true, mechanism: 'OAUTHBEARER' });
    assert.deepEqual(chooseAuth(profile, { accessToken: 't0ken' }, ['LOGIN', 'XOAUTH2'], link), { ok: true, mechanism: 'XOAUTH2' });
    const remote = chooseAuth({ ...profile, host: 'smtp.example.com', auth: 'OAUTHBEARER' }, { accessToken: 't0ken' }, ['OAUTHBEARER'], { encrypted: false, peerAddress: '192.0.2.7' });
    assert.equal(remote.ok, false);
    assert.match(!remote.ok ? remote.reason : '', /access token in clear text/);
  });

  /** A server that offers both, answers AUTH with `reply`, and keeps every byte it got. */
  async function bearerServer(onAuth: 'accept' | 'refuse'): Promise<RawServer> {
    const server = await startRawServer(
      scriptedSmtp({
        ehlo: ['AUTH XOAUTH2 OAUTHBEARER'],
        on: {
          AUTH: (s) => {
            if (onAuth === 'accept') {
              s.write('235 2.7.0 Accepted\r\n');
              return undefined;
            }
            // RFC 7628 section 3.2.2: the error status as a base64 JSON challenge.
            s.write(`334 ${Buffer.from('{"status":"invalid_token","scope":"mail"}').toString('base64')}\r\n`);
            return 'continue';
          },
        },
        onContinuation: (s) => {
          s.write('535 5.7.8 Username and Password not accepted\r\n');
        },
      }),
    );
    servers.push(server);
    return server;
  }

  for (const mechanism of ['XOAUTH2', 'OAUTHBEARER'] as const) {
    const user = 'ann@example.com';
    const token = 'ya29.a0-wire-Token_0123456789';
    const expected = () => (mechanism === 'XOAUTH2' ? xoauth2InitialResponse(user, token) : oauthBearerInitialResponse(user, token, '127.0.0.1', port));
    let port = 0;

    it(`${mechanism}: the AUTH line on the wire is exactly the initial response, and the message goes`, async () => {
      const server = await bearerServer('accept');
      port = server.port;
      const log = collectingLogger();
      const { message } = prepareFixture();
      const outcome = await sendMessage(message, profileFor(server.port, { user, auth: mechanism }), { accessToken: token }, { logger: log });
      assert.equal(outcome.status, 'sent', describeOutcome(outcome));
      const authLines = server.bytes().split('\r\n').filter((l) => /^AUTH /.test(l));
      assert.deepEqual(authLines, [`AUTH ${mechanism} ${expected()}`]);
      assert.match(log.text(), new RegExp(`C: AUTH ${mechanism} <redacted>`));
      assert.ok(!log.text().includes(token) && !log.text().includes(expected()), log.text());
    });

    it(`${mechanism}: a refused token ends with the mechanism's own answer to the 334 challenge, one AUTH only, and a clear outcome`, async () => {
      const server = await bearerServer('refuse');
      port = server.port;
      const log = collectingLogger();
      const { message } = prepareFixture();
      const outcome = await sendMessage(message, profileFor(server.port, { user, auth: mechanism }), { accessToken: token }, { logger: log });
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.status === 'failed' && outcome.stage, 'auth');
      const lines = server.bytes().split('\r\n');
      const at = lines.findIndex((l) => l.startsWith('AUTH '));
      assert.equal(lines.filter((l) => l.startsWith('AUTH ')).length, 1, 'the same token is not tried twice');
      assert.equal(lines[at + 1], mechanism === 'OAUTHBEARER' ? 'AQ==' : '', 'the answer to the error challenge');
      assert.match(outcome.status === 'failed' ? outcome.reason : '', /535 5\.7\.8.*access token/);
      assert.match(log.text(), /S: 535 5\.7\.8/);
      // The client's answer to the challenge is hidden by protocol state like any SASL continuation.
      assert.doesNotMatch(log.text(), /C: AQ==/);
      assert.ok(!JSON.stringify(outcome).includes(token) && !log.text().includes(token));
    });

    it(`${mechanism}: the doctor authenticates the same way and reports the refusal`, async () => {
      const server = await bearerServer('refuse');
      port = server.port;
      const report = await runDoctor(profileFor(server.port, { user, auth: mechanism }), { accessToken: token });
      const auth = report.steps.find((s) => s.id === 'auth');
      assert.equal(auth?.status, 'fail');
      assert.match(auth?.diagnosis ?? '', /access token/);
      assert.ok(server.bytes().includes(`AUTH ${mechanism} ${expected()}\r\n`));
      assert.ok(!JSON.stringify(report).includes(token));
    });
  }
});

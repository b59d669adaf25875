// The clear-text AUTH rule must judge the mechanism that is actually used. nodemailer, left to choose,
// takes its own first preference (PLAIN) whatever order the server lists, so a server offering
// "AUTH CRAM-MD5 PLAIN" in clear text could otherwise receive the password as PLAIN.
import * as assert from 'node:assert/strict';
import { runDoctor, sendMessage } from '../../../src/core/send';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor } from './helpers';

describe('AUTH mechanism choice', function () {
  this.timeout(10_000);
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  // The IPv4-mapped spelling reaches 127.0.0.1 but is not loopback by name, as a remote host would not be.
  const remoteLooking = (port: number) => profileFor(port, { host: '::ffff:127.0.0.1', security: 'starttls-optional', user: 'ann' });

  it('in clear text to a non-local host, uses CRAM-MD5 when offered, never PLAIN, whatever the server lists first', async () => {
    server = await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'secret-pass-1' }, extra: { authMethods: ['CRAM-MD5', 'PLAIN', 'LOGIN'] } });
    const log = collectingLogger();
    const outcome = await sendMessage(prepareFixture().message, remoteLooking(server.port), { password: 'secret-pass-1' }, { logger: log });
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.deepEqual(server.authMethods, ['CRAM-MD5']);
    assert.doesNotMatch(log.text(), /C: AUTH (PLAIN|LOGIN)/);
  });

  it('in clear text to a non-local host offering only PLAIN and LOGIN (any order): refused, no AUTH line sent', async () => {
    server = await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'secret-pass-1' }, extra: { authMethods: ['LOGIN', 'PLAIN'] } });
    const log = collectingLogger();
    const outcome = await sendMessage(prepareFixture().message, remoteLooking(server.port), { password: 'secret-pass-1' }, { logger: log });
    assert.equal(outcome.status, 'failed');
    if (outcome.status === 'failed') {
      assert.equal(outcome.stage, 'auth');
      assert.match(outcome.reason, /clear text/);
    }
    assert.deepEqual(server.authMethods, []);
    assert.doesNotMatch(log.text(), /C: AUTH/);
  });

  it('the doctor makes the same choice: CRAM-MD5 passes in clear text, PLAIN is never tried', async () => {
    server = await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'secret-pass-1' }, extra: { authMethods: ['CRAM-MD5', 'PLAIN'] } });
    const report = await runDoctor(remoteLooking(server.port), { password: 'secret-pass-1' }, {});
    const auth = report.steps.find((s) => s.id === 'auth');
    assert.equal(auth?.status, 'pass', JSON.stringify(auth));
    assert.match(auth?.detail ?? '', /CRAM-MD5/);
    assert.deepEqual(server.authMethods, ['CRAM-MD5']);
  });

  it('on loopback in clear text, an explicit mechanism in the profile is the one used', async () => {
    server = await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'secret-pass-1' } });
    const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { user: 'ann', auth: 'LOGIN' }), { password: 'secret-pass-1' }, {});
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.deepEqual(server.authMethods, ['LOGIN']);
  });
});

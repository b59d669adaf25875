// The connection doctor against real servers: each step's verdict and diagnosis, and nothing sent.
import * as assert from 'node:assert/strict';
import { runDoctor, type DoctorReport } from '../../../src/core/send';
import { startRawServer, startSmtpServer, testCertificate } from '../../support/smtpServers';
import { collectingLogger, profileFor } from './helpers';

const status = (r: DoctorReport) => Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
const step = (r: DoctorReport, id: string) => r.steps.find((s) => s.id === id)!;

describe('connection doctor', function () {
  this.timeout(15_000);

  it('passes every step against STARTTLS + AUTH with a trusted CA, and sends nothing', async () => {
    const cert = await testCertificate();
    const server = await startSmtpServer({ certificate: cert, size: 5_000_000, auth: { user: 'ann', password: 'doctor-pass-1' } });
    try {
      const log = collectingLogger();
      const seen: string[] = [];
      const report = await runDoctor(profileFor(server.port, { security: 'starttls', caFile: cert.certFile, user: 'ann' }), { password: 'doctor-pass-1' }, { logger: log, onStep: (s) => seen.push(s.id) });
      assert.deepEqual(status(report), { dns: 'pass', tcp: 'pass', banner: 'pass', ehlo: 'pass', tls: 'pass', auth: 'pass', noop: 'pass', quit: 'pass' });
      assert.deepEqual(seen, ['dns', 'tcp', 'banner', 'ehlo', 'tls', 'auth', 'noop', 'quit'], 'steps are reported live, in order');
      assert.ok(report.ok);
      assert.match(step(report, 'tls').detail ?? '', /TLSv1\.[23]/);
      assert.ok(report.extensions.some((e) => /^SIZE 5000000/.test(e)), report.extensions.join(','));
      assert.doesNotMatch(log.text(), /C: (MAIL|RCPT|DATA)/);
      assert.equal(server.received.length, 0);
    } finally {
      await server.close();
    }
  });

  it('wrong port: TCP fails with "nothing listens", later steps skipped', async () => {
    const raw = await startRawServer(() => undefined);
    await raw.close();
    const report = await runDoctor(profileFor(raw.port), {});
    assert.equal(step(report, 'tcp').status, 'fail');
    assert.match(step(report, 'tcp').diagnosis ?? '', /Nothing listens on port/);
    for (const id of ['banner', 'ehlo', 'tls', 'auth', 'noop', 'quit']) assert.equal(step(report, id).status, 'skip', id);
    assert.equal(report.ok, false);
  });

  it('wrong password: AUTH fails and says to check the password', async () => {
    const cert = await testCertificate();
    const server = await startSmtpServer({ certificate: cert, auth: { user: 'ann', password: 'right' + '-one' } });
    try {
      const report = await runDoctor(profileFor(server.port, { security: 'starttls', caFile: cert.certFile, user: 'ann' }), { password: 'wrong-one' });
      assert.equal(step(report, 'tls').status, 'pass');
      assert.equal(step(report, 'auth').status, 'fail');
      assert.match(step(report, 'auth').diagnosis ?? '', /password/);
    } finally {
      await server.close();
    }
  });

  it('untrusted certificate: the TLS step fails with advice to trust a CA file', async () => {
    const server = await startSmtpServer({});
    try {
      const report = await runDoctor(profileFor(server.port, { security: 'starttls' }), {});
      assert.equal(step(report, 'banner').status, 'pass');
      assert.equal(step(report, 'tls').status, 'fail');
      assert.match(step(report, 'tls').diagnosis ?? '', /not trusted.*CA file/);
    } finally {
      await server.close();
    }
  });

  it('a host that does not resolve: DNS fails (the .invalid TLD never resolves, RFC 2606)', async () => {
    const report = await runDoctor(profileFor(2525, { host: 'no-such-host.invalid' }), {});
    assert.equal(step(report, 'dns').status, 'fail');
    assert.match(step(report, 'dns').diagnosis ?? '', /does not resolve/);
    assert.equal(step(report, 'tcp').status, 'skip');
  });
});

// The connection doctor against real servers on 127.0.0.1: each step reported live and in order, a
// plain-language diagnosis where one fails, the later steps skipped, and never a message sent.
import * as assert from 'node:assert/strict';
import { runDoctor, type DoctorReport, type DoctorStep } from '../../../src/core/send';
import { scriptedSmtp, startRawServer, startSmtpServer, testCertificate } from '../../support/smtpServers';
import { profileFor } from './helpers';

const ORDER = ['dns', 'tcp', 'banner', 'ehlo', 'tls', 'auth', 'noop', 'quit'];

function statuses(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.steps.map((s) => [s.id, s.status]));
}

describe('connection doctor', function () {
  this.timeout(10_000);

  it('reports every step live, in order, with the extensions and TLS facts, and sends nothing', async () => {
    const cert = await testCertificate();
    const server = await startSmtpServer({ auth: { user: 'ann', password: 'doc-pa55' }, certificate: cert, size: 1_000_000 });
    try {
      const live: DoctorStep[] = [];
      const report = await runDoctor(profileFor(server.port, { security: 'starttls', user: 'ann', caFile: cert.certFile }), { password: 'doc-pa55' }, { onStep: (s) => live.push(s) });
      assert.ok(report.ok, JSON.stringify(report.steps, null, 1));
      assert.deepEqual(
        report.steps.map((s) => s.id),
        ORDER,
      );
      assert.deepEqual(live, report.steps, 'onStep saw each step as it happened');
      assert.ok(report.extensions.some((e) => /^AUTH\b/.test(e)));
      const tls = report.steps.find((s) => s.id === 'tls');
      assert.match(tls?.detail ?? '', /TLSv1\.[23].*certificate localhost issued by localhost/);
      assert.match(report.steps.find((s) => s.id === 'ehlo')?.diagnosis ?? '', /Largest message 1,000,000 bytes/);
      assert.equal(server.received.length, 0);
    } finally {
      await server.close();
    }
  });

  it('STARTTLS required but not offered: TLS fails, AUTH and the rest are skipped', async () => {
    const server = await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'doc-pa55' } });
    try {
      const report = await runDoctor(profileFor(server.port, { security: 'starttls', user: 'ann' }), { password: 'doc-pa55' });
      assert.equal(report.ok, false);
      const s = statuses(report);
      assert.equal(s.tls, 'fail', JSON.stringify(report.steps, null, 1));
      assert.equal(s.auth, 'skip');
      assert.equal(s.quit, 'skip');
      assert.deepEqual(server.authMethods, [], 'no AUTH attempted in clear');
    } finally {
      await server.close();
    }
  });

  it('implicit TLS against a plain SMTP port: TLS fails with a diagnosis about the port or mode', async () => {
    const server = await startSmtpServer({ starttls: true });
    try {
      const report = await runDoctor(profileFor(server.port, { security: 'tls' }), {});
      const tls = report.steps.find((s) => s.status === 'fail');
      assert.ok(tls, JSON.stringify(report.steps, null, 1));
      assert.match(tls.diagnosis ?? '', /STARTTLS|465|587|port/i);
    } finally {
      await server.close();
    }
  });

  it('a server that never greets: the greeting step fails after the greeting timeout', async () => {
    const raw = await startRawServer(scriptedSmtp({ greeting: null }));
    try {
      const report = await runDoctor(profileFor(raw.port), {});
      const s = statuses(report);
      assert.equal(s.tcp, 'pass');
      assert.equal(s.banner, 'fail', JSON.stringify(report.steps, null, 1));
      assert.ok(report.steps.find((x) => x.id === 'banner')?.diagnosis);
    } finally {
      await raw.close();
    }
  });

  it('warns when the session stays in clear text under starttls-optional, and passes AUTH only to loopback', async () => {
    const server = await startSmtpServer({ starttls: false });
    try {
      const report = await runDoctor(profileFor(server.port, { security: 'starttls-optional' }), {});
      const tls = report.steps.find((s) => s.id === 'tls');
      assert.equal(tls?.status, 'warn');
      assert.match(tls?.diagnosis ?? '', /clear text/);
      assert.equal(statuses(report).auth, 'skip', 'no user, no AUTH');
    } finally {
      await server.close();
    }
  });
});

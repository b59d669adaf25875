// Review #10, item 10: a caFile that is not PEM was ignored silently and showed up only as "certificate not
// trusted". Now it is refused before connecting, saying what is wrong with it.
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOutcome, runDoctor, sendMessage } from '../../../src/core/send';
import { startSmtpServer, testCertificate, type RunningServer } from '../../support/smtpServers';
import { prepareFixture, profileFor } from './helpers';

describe('caFile', function () {
  this.timeout(10_000);
  let server: RunningServer;
  let connections = 0;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-ca-'));
    server = await startSmtpServer({ certificate: await testCertificate(), extra: { onConnect: (_s, cb) => (connections++, cb()) } });
  });
  after(() => server.close());
  beforeEach(() => (connections = 0));

  const cases: [string, () => Buffer | string, RegExp][] = [
    ['a text file', () => 'just some notes\n', /not a PEM certificate file: it holds no -----BEGIN CERTIFICATE----- block/],
    ['an empty file', () => '', /not a PEM certificate file/],
    ['a private key', () => '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n', /PEM data, but no certificate/],
    ['a certificate block that does not parse', () => '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n', /do not parse/],
  ];
  for (const [what, content, reason] of cases) {
    it(`${what}: refused before connecting, with a reason (send and doctor)`, async () => {
      const file = join(dir, `${what.replace(/\W+/g, '-')}.pem`);
      writeFileSync(file, content());
      const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { security: 'starttls', caFile: file }), {}, {});
      assert.equal(outcome.status, 'failed', describeOutcome(outcome));
      if (outcome.status === 'failed') {
        assert.equal(outcome.stage, 'config');
        assert.match(outcome.reason, reason);
        assert.doesNotMatch(outcome.reason, /not trusted/);
      }
      assert.equal(connections, 0, 'the send connected to nothing');
      const report = await runDoctor(profileFor(server.port, { security: 'starttls', caFile: file }), {});
      assert.match(report.steps.find((s) => s.status === 'fail')?.diagnosis ?? '', reason);
      assert.equal(server.received.length, 0);
    });
  }

  it('a DER certificate: refused, with how to convert it', async () => {
    const cert = await testCertificate();
    const der = join(dir, 'cert.der');
    writeFileSync(der, new X509Certificate(cert.cert).raw);
    const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { security: 'starttls', caFile: der }), {}, {});
    assert.equal(outcome.status === 'failed' && outcome.stage, 'config');
    assert.match(outcome.status === 'failed' ? outcome.reason : '', /DER.*openssl x509 -inform der/);
  });

  it('a PEM bundle with other text around the certificate is used', async () => {
    const cert = await testCertificate();
    const bundle = join(dir, 'bundle.pem');
    writeFileSync(bundle, `# our CA\nsubject=CN = localhost\n${cert.cert}\n`);
    const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { security: 'starttls', caFile: bundle }), {}, {});
    assert.equal(outcome.status, 'sent', describeOutcome(outcome));
  });
});

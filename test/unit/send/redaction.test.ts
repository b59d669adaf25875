// Credentials never reach the log or an error: not the password, not the token, not their base64 forms.
import * as assert from 'node:assert/strict';
import { describeOutcome, runDoctor, secretNeedles, sendMessage } from '../../../src/core/send';
import { startSmtpServer, testCertificate } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor } from './helpers';

const USER = 'ann.sender@example.com';
const PASSWORD = 'Tr0ub4dor&3-horse';
const TOKEN = 'ya29.a0AfH6SMBx-test-token-1234567890';

function forbidden(): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [
    PASSWORD,
    TOKEN,
    b64(PASSWORD),
    b64(TOKEN),
    b64(USER),
    b64(`\u0000${USER}\u0000${PASSWORD}`),
    b64(`user=${USER}\u0001auth=Bearer ${TOKEN}\u0001\u0001`),
    encodeURIComponent(PASSWORD),
  ];
}

function assertClean(text: string, where: string) {
  for (const needle of forbidden()) assert.ok(!text.includes(needle), `${where} holds a credential form: ${JSON.stringify(needle)}`);
}

describe('redaction of credentials', () => {
  for (const auth of ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] as const) {
    for (const right of [true, false]) {
      it(`AUTH ${auth} with ${right ? 'the right' : 'a wrong'} credential: log, outcome and error free of secrets`, async () => {
        const cert = await testCertificate();
        const server = await startSmtpServer({ certificate: cert, auth: { user: USER, password: PASSWORD, accessToken: TOKEN } });
        try {
          const { message } = prepareFixture();
          const log = collectingLogger();
          const secret = auth === 'XOAUTH2' ? { accessToken: right ? TOKEN : TOKEN + 'x' } : { password: right ? PASSWORD : PASSWORD + 'x' };
          const outcome = await sendMessage(message, profileFor(server.port, { security: 'starttls', caFile: cert.certFile, user: USER, auth }), secret, { logger: log });
          assert.equal(outcome.status, right ? 'sent' : 'failed', describeOutcome(outcome));
          assert.deepEqual(server.authMethods, [auth], 'the mechanism asked for was used');
          assert.match(log.text(), new RegExp(`C: AUTH ${auth}`));
          assertClean(log.text(), 'the log');
          // Whatever the client says in answer to a 334 challenge (CRAM-MD5's digest, LOGIN's user and
          // password) is hidden by protocol state, not only by matching known values.
          const dialogue = log.lines.map((l) => l.replace(/^\w+ /, ''));
          dialogue.forEach((line, i) => {
            if (/^S: 334/.test(line)) {
              const answer = dialogue.slice(i + 1).find((l) => l.startsWith('C: '));
              if (answer) assert.equal(answer, 'C: <redacted>', `answer to a challenge: ${answer}`);
            }
          });
          assertClean(JSON.stringify(outcome), 'the outcome');
          assertClean(describeOutcome(outcome), 'the description');
          // The doctor goes through AUTH too.
          const doctorLog = collectingLogger();
          const report = await runDoctor(profileFor(server.port, { security: 'starttls', caFile: cert.certFile, user: USER, auth }), secret, { logger: doctorLog });
          assert.equal(report.steps.find((s) => s.id === 'auth')?.status, right ? 'pass' : 'fail');
          assertClean(doctorLog.text() + JSON.stringify(report), 'the doctor');
        } finally {
          await server.close();
        }
      });
    }
  }

  it('covers every base64 form a SASL exchange can carry', () => {
    const needles = secretNeedles(USER, { password: PASSWORD });
    for (const form of forbidden().filter((f) => !f.includes(TOKEN) && f !== Buffer.from(TOKEN).toString('base64') && !f.startsWith(Buffer.from('user=').toString('base64').slice(0, 6))))
      assert.ok(needles.includes(form), `missing ${form}`);
  });
});

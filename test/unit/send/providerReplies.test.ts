// Replies big providers give to a sign-in they will not take, sent by a scripted server on 127.0.0.1 with the
// providers' own wording (multi-line where they send it so): the send outcome and the doctor both say what
// the reply means and what to do, with a password and with a token.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliver } from '../../../src/core/pipeline/deliver';
import { nextSteps } from '../../../src/core/report/nextSteps';
import { describeOutcome, runDoctor, sendMessage } from '../../../src/core/send';
import { adviceForReply } from '../../../src/core/send/providerReplies';
import { scriptedSmtp, startRawServer, type RawServer } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor } from './helpers';

interface Case {
  name: string;
  reply: string;
  /** The advice for a password. */
  password: RegExp;
  /** The advice for an access token (defaults to the password's). */
  token?: RegExp;
  temporary?: boolean;
}

const CASES: Case[] = [
  {
    name: 'Microsoft 535 5.7.139, SMTP AUTH disabled for the tenant',
    reply: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR02CA0001.eurprd02.prod.outlook.com]',
    password: /SMTP AUTH turned off for this mailbox or its whole tenant: an administrator must turn on "Authenticated SMTP".*then sign in with OAuth 2\.0/,
  },
  {
    name: 'Microsoft 535 5.7.139, basic authentication disabled (Outlook.com)',
    reply: '535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [BN9PR03CA0123.namprd03.prod.outlook.com]',
    password: /no longer accepts a password or an app password for SMTP.*September 2024.*sign in with OAuth 2\.0 instead \(auth: XOAUTH2 with oauth\.provider: microsoft/,
    token: /Microsoft refused the sign-in for this account.*"Authenticated SMTP"/,
  },
  {
    name: 'Microsoft 550 5.7.30, basic authentication not supported for client submission',
    reply: '550 5.7.30 Basic authentication is not supported for Client Submission.',
    password: /basic authentication \(a password\) turned off for SMTP client submission.*sign in with OAuth 2\.0 instead/,
  },
  {
    name: 'Gmail 535-5.7.8, username and password not accepted',
    reply: '535-5.7.8 Username and Password not accepted. For more information, go to\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-7a1b2c3d4e5f.6 - gsmtp',
    password: /Gmail does not take your Google account password here: use an app password \(it needs 2-Step Verification.*or OAuth 2\.0 \(auth: XOAUTH2 with oauth\.provider: google\)/,
    token: /Gmail refused the access token: it expired or was revoked, or it lacks the scope https:\/\/mail\.google\.com\/; sign in again/,
  },
  {
    name: 'Gmail 534-5.7.9, application-specific password required',
    reply: '534-5.7.9 Application-specific password required. For more information, go to\r\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor a1b2c3d4e5f6.7 - gsmtp',
    password: /Gmail wants an application-specific password.*create an app password/,
  },
  {
    name: '454 4.7.0, too many logins',
    reply: '454 4.7.0 Too many login attempts, please try again later. a1b2c3d4e5f6.7 - gsmtp',
    password: /too many sign-ins in a short time.*wait several minutes/,
    temporary: true,
  },
];

describe('provider replies to AUTH, explained', function () {
  this.timeout(10_000);
  const servers: RawServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function refusingServer(reply: string): Promise<RawServer> {
    const server = await startRawServer(
      scriptedSmtp({
        ehlo: ['AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER'],
        on: { AUTH: (s) => void s.write(`${reply}\r\n`) },
      }),
    );
    servers.push(server);
    return server;
  }

  for (const c of CASES) {
    for (const credential of ['password', 'token'] as const) {
      it(`${c.name}, with a ${credential}: the send outcome and the doctor say what to do`, async () => {
        const server = await refusingServer(c.reply);
        const secret = credential === 'password' ? { password: 'pa55-word-x' } : { accessToken: 'ya29.token-value-0123' };
        const profile = profileFor(server.port, { user: 'ann@example.com', auth: credential === 'password' ? 'PLAIN' : 'XOAUTH2' });
        const expected = credential === 'token' ? (c.token ?? c.password) : c.password;
        const { message } = prepareFixture();
        const outcome = await sendMessage(message, profile, secret, {});
        assert.equal(outcome.status, 'failed', describeOutcome(outcome));
        assert.equal(outcome.status === 'failed' && outcome.stage, 'auth');
        assert.equal(outcome.status === 'failed' && outcome.temporary, c.temporary ?? false);
        assert.match(outcome.status === 'failed' ? outcome.reason : '', expected);
        assert.match(outcome.status === 'failed' ? outcome.reason : '', new RegExp(c.reply.slice(0, 9).replace(/[.-]/g, '\\$&')), 'the reply itself is quoted');

        const report = await runDoctor(profile, secret);
        const auth = report.steps.find((s) => s.id === 'auth');
        assert.equal(auth?.status, 'fail');
        assert.match(auth?.diagnosis ?? '', expected);
      });
    }
  }

  it('550 5.7.30 to MAIL FROM after an accepted AUTH (where some tenants refuse it) is explained too', async () => {
    const server = await startRawServer(
      scriptedSmtp({
        ehlo: ['AUTH PLAIN'],
        on: {
          AUTH: (s) => void s.write('235 2.7.0 Authentication successful\r\n'),
          MAIL: (s) => void s.write('550 5.7.30 Basic authentication is not supported for Client Submission.\r\n'),
        },
      }),
    );
    servers.push(server);
    const { message } = prepareFixture();
    const outcome = await sendMessage(message, profileFor(server.port, { user: 'ann@example.com', auth: 'PLAIN' }), { password: 'pw-123456' }, {});
    assert.equal(outcome.status === 'failed' && outcome.stage, 'mail');
    assert.match(outcome.status === 'failed' ? outcome.reason : '', /sign in with OAuth 2\.0 instead/);
  });

  it('454 4.7.0 (too many sign-ins) is not answered with another sign-in at once: no renewal, one AUTH, and no "sign in" step', async () => {
    const server = await refusingServer('454 4.7.0 Too many login attempts, please try again later.');
    let renewals = 0;
    const secrets = { get: async () => ({ accessToken: 'ya29.token-value-0123' }), refresh: async () => (renewals++, { accessToken: 'ya29.token-value-4567' }) };
    const stateDir = mkdtempSync(join(tmpdir(), 'mailsmith-454-'));
    try {
      const { message } = prepareFixture();
      const profile = profileFor(server.port, { user: 'ann@example.com', auth: 'XOAUTH2' });
      const result = await deliver([{ message, source: 'team.eml' }], profile, { logger: collectingLogger(), stateDir, face: 'cli', secrets });
      assert.ok(result.ok);
      const outcome = result.delivered[0].outcome;
      assert.equal(outcome.status === 'failed' && outcome.temporary, true, JSON.stringify(outcome));
      assert.equal(renewals, 0);
      assert.equal(server.bytes().split('\r\n').filter((l) => l.startsWith('AUTH ')).length, 1);
      assert.deepEqual(nextSteps(outcome, { oauth: {} }), ['show-log']);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('an unknown refusal gets the general hint, and a lookalike code is not mistaken for a known one', () => {
    assert.equal(adviceForReply('535 5.7.1 Authentication failed', { token: false }), undefined);
    assert.equal(adviceForReply('535 5.7.1390 nothing of the kind', { token: false }), undefined);
    assert.equal(adviceForReply('454 4.7.00 odd', { token: false }), undefined);
  });
});

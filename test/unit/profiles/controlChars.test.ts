// Review #10, item 4: a profile value with CR/LF (or any other control character) wrote new header fields
// through `defaults.subject`, and could reach the SMTP dialogue through the other fields. Validation
// refuses control characters in every string field, so such a profile never sends.
import * as assert from 'node:assert/strict';
import { prepareMessage } from '../../../src/core/message';
import { profileFromObject, validateProfile, type SmtpProfile } from '../../../src/core/profiles';
import { validateMessageDefaults } from '../../../src/core/profiles/validate';
import { runDoctor, sendMessage } from '../../../src/core/send';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { FIXED_NOW, profileFor } from '../send/helpers';

const GOOD: SmtpProfile = {
  name: 'Work',
  host: 'smtp.example.com',
  port: 587,
  security: 'starttls',
  caFile: '/etc/ssl/work-ca.pem',
  user: 'me@example.com',
  passwordEnv: 'SMTP_PASSWORD',
  auth: 'auto',
  ehloName: 'laptop.example.com',
  defaults: { from: 'me@example.com', to: 'team@example.com', cc: 'cc@example.com', bcc: 'archive@example.com', subject: 'Status' },
  partialRecipients: 'reject',
};

const FIELDS = ['name', 'host', 'caFile', 'user', 'passwordEnv', 'auth', 'security', 'ehloName', 'partialRecipients', 'defaults.from', 'defaults.to', 'defaults.cc', 'defaults.bcc', 'defaults.subject'];

const BAD: [string, string][] = [
  ['CR LF', '\r\nX-Injected: yes'],
  ['a bare LF', '\nReply-To: evil@example.net'],
  ['a bare CR', '\rRCPT TO:<x@example.net>'],
  ['NUL', '\u0000'],
  ['a tab', '\t'],
  ['ESC (a terminal escape)', '\u001b[31m'],
  ['DEL', '\u007f'],
  ['a C1 next-line (U+0085)', '\u0085'],
  ['a C1 CSI (U+009B)', '\u009b2J'],
  ['a line separator (U+2028)', '\u2028'],
];

function withValue(field: string, suffix: string): SmtpProfile {
  const copy = JSON.parse(JSON.stringify(GOOD)) as Record<string, unknown>;
  const [top, sub] = field.split('.');
  if (sub) (copy[top] as Record<string, string>)[sub] += suffix;
  else copy[top] = String(copy[top]) + suffix;
  return copy as unknown as SmtpProfile;
}

describe('profiles: control characters', function () {
  this.timeout(10_000);

  it('a clean profile has no issue (the checks below are not what fails)', () => {
    assert.deepEqual(validateProfile(GOOD).filter((i) => i.severity === 'error'), []);
  });

  for (const field of FIELDS) {
    it(`${field}: every kind of control character is an error on that field`, () => {
      for (const [what, suffix] of BAD) {
        const issues = validateProfile(withValue(field, suffix)).filter((i) => i.field === field && i.severity === 'error');
        assert.ok(issues.some((i) => /control character|line break/i.test(i.message)), `${what} in ${field}: ${JSON.stringify(issues)}`);
      }
    });
  }

  it('nested fields of any depth are walked (timeouts, unknown keys)', () => {
    const issues = validateProfile({ ...GOOD, timeouts: { note: 'a\r\nb' } } as never);
    assert.ok(issues.some((i) => i.field === 'timeouts.note' && i.severity === 'error'));
  });

  it('the message names the character, and never echoes the raw value', () => {
    const [issue] = validateProfile(withValue('defaults.subject', '\r\nX-Injected: yes')).filter((i) => i.field === 'defaults.subject');
    assert.match(issue.message, /carriage return \(U\+000D\) at character 7/);
    assert.doesNotMatch(issue.message, /[\r\n]/);
  });

  it('a profile file with such a value is refused', () => {
    const parsed = profileFromObject(withValue('defaults.subject', '\r\nX-Injected: yes'));
    assert.equal(parsed.ok, false);
  });

  it('message defaults on their own (`prepare --defaults`) get the same check, fields named plainly', () => {
    const issues = validateMessageDefaults({ subject: 'Hi\r\nBcc: spy@example.net', from: 'me@example.com' });
    assert.deepEqual(issues.map((i) => [i.field, i.severity]), [['subject', 'error']]);
    assert.deepEqual(validateMessageDefaults({ subject: 'Hi', from: 'me@example.com' }), []);
  });

  describe('against a real server', () => {
    let server: RunningServer;
    let connections = 0;
    beforeEach(async () => {
      connections = 0;
      server = await startSmtpServer({ starttls: false, extra: { onConnect: (_s, cb) => (connections++, cb()) } });
    });
    afterEach(() => server.close());

    // The message lacks a Subject, so the profile's default is used, as `mailsmith send` prepares it: the
    // bytes carry the injected fields (unless the message core refuses them on its own, which it may: then
    // the plain message is sent). Either way the send must stop before any connection.
    const text = 'From: me@example.com\r\nTo: bob@example.org\r\n\r\nHello\r\n';
    const lacksSubject = prepareMessage(text, { now: FIXED_NOW });
    const preparedWith = (profile: Partial<SmtpProfile>) => {
      const withDefaults = prepareMessage(text, { now: FIXED_NOW, defaults: profile.defaults });
      return withDefaults.ok ? withDefaults.message : lacksSubject.ok ? lacksSubject.message : assert.fail('the plain message prepares');
    };

    for (const [field, value] of [
      ['defaults.subject', 'Hello\r\nReply-To: attacker@example.net\r\nX-Injected: yes'],
      ['user', 'ann\r\nRSET'],
      ['name', 'work\r\nX-Injected: yes'],
    ] as const) {
      it(`${field} with CR/LF: sendMessage fails at config, nothing is delivered, no connection is made`, async () => {
        const profile = profileFor(server.port) as unknown as Record<string, unknown>;
        const [top, sub] = field.split('.');
        if (sub) profile[top] = { [sub]: value };
        else profile[top] = value;
        const outcome = await sendMessage(preparedWith(profile), profile as unknown as SmtpProfile, { password: 'x-password-1' }, {});
        assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
        if (outcome.status === 'failed') {
          assert.equal(outcome.stage, 'config');
          assert.match(outcome.reason, /control character/);
        }
        assert.equal(server.received.length, 0, `delivered: ${server.received[0]?.raw.toString('latin1')}`);
        assert.equal(connections, 0, 'no connection was made');
      });
    }

    it('a value from ${env:NAME} with CR/LF is caught after expansion', async () => {
      assert.ok(lacksSubject.ok);
      const outcome = await sendMessage(lacksSubject.message, profileFor(server.port, { defaults: { subject: '${env:SUBJ}' } }), {}, { env: { SUBJ: 'Hi\r\nX-Injected: yes' } });
      assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
      if (outcome.status === 'failed') assert.equal(outcome.stage, 'config');
      assert.equal(server.received.length, 0);
    });

    it('the doctor refuses such a profile at its first step and contacts nothing', async () => {
      const report = await runDoctor(profileFor(server.port, { ehloName: 'a.example\r\nMAIL FROM:<x@example.net>' }), {});
      assert.equal(report.steps[0].status, 'fail');
      assert.match(report.steps[0].diagnosis ?? '', /control character/);
      assert.equal(connections, 0);
    });
  });
});

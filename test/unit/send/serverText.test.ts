// What a server says is shown, stored and logged: it must carry no credential (review #10, item 7: a
// server that quotes the client's AUTH payload in its reply) and no terminal escape sequence or control
// character (item 10: `doctor` and `send -v` printed them raw). Every reply leaves the core through one
// redacting function; these tests give it servers that echo credentials and send escapes at every place
// a reply can surface: outcome.reply, rejected[].reply, reason, the log, doctor details and extensions.
import * as assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describeOutcome, runDoctor, sendMessage } from '../../../src/core/send';
import { scriptedSmtp, startRawServer, type RawServer } from '../../support/smtpServers';
import { collectingLogger, prepareFixture, profileFor } from './helpers';

const USER = 'ann.echo@example.com';
const PASSWORD = 'Echo-Me-pa55w0rd!';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const PLAIN_PAYLOAD = b64(`\u0000${USER}\u0000${PASSWORD}`);
// The password inside some other base64 blob, at another alignment than the AUTH payload's.
const OTHER_BLOB = b64(`session=xy;pw=${PASSWORD};end`);
const ESCAPES = '\u001b]0;owned\u0007\u001b[2J\u001b[31mred\u009b1m\u0007\u0000';

/** Every string in a value, at any depth. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function assertShownSafely(value: unknown, where: string) {
  for (const text of strings(value)) {
    assert.ok(!text.includes(PASSWORD), `${where}: the password in ${JSON.stringify(text)}`);
    assert.ok(!text.includes(PLAIN_PAYLOAD), `${where}: the AUTH PLAIN payload in ${JSON.stringify(text)}`);
    for (const run of text.match(/[A-Za-z0-9+/=]{8,}/g) ?? []) {
      assert.ok(!Buffer.from(run, 'base64').toString('latin1').includes(PASSWORD), `${where}: the password inside base64 ${run}`);
    }
    assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f]/, `${where}: a control character in ${JSON.stringify(text)}`);
  }
}

/** A server that quotes the client's AUTH payload back and decorates every reply with escapes. */
function echoingServer(options: { acceptAuth: boolean; rejectRcpt?: string }) {
  return (socket: Socket) => {
    let heard = '';
    scriptedSmtp({
      greeting: `220 echo.example ESMTP ${ESCAPES}`,
      ehlo: [`AUTH PLAIN LOGIN`, `X-FANCY ${ESCAPES}`],
      on: {
        AUTH: (s, line) => {
          heard = line.split(' ')[2] ?? '';
          const decoded = Buffer.from(heard, 'base64').toString('utf8');
          if (options.acceptAuth) s.write(`235 2.7.0 welcome ${decoded.split('\u0000')[1] ?? ''}\r\n`);
          else s.write(`535 5.7.8 Authentication failed for ${heard} (you sent ${heard}, i.e. ${decoded}) ${OTHER_BLOB} ${ESCAPES}\r\n`);
        },
        MAIL: (s) => void s.write(`250 2.1.0 sender ok, by the way ${heard} ${ESCAPES}\r\n`),
        RCPT: (s, line) =>
          void s.write(options.rejectRcpt && line.includes(options.rejectRcpt) ? `550 5.1.1 unknown; your credentials were ${heard} ${ESCAPES}\r\n` : `250 2.1.5 ok ${heard}\r\n`),
      },
      afterDot: (s) => s.write(`250 2.0.0 queued as Q1 for ${heard} and ${OTHER_BLOB}, ${PASSWORD} ${PASSWORD} ${ESCAPES}\r\n`),
    })(socket);
  };
}

describe('server text that leaves the core', function () {
  this.timeout(10_000);
  let server: RawServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const profile = (port: number) => profileFor(port, { user: USER, auth: 'PLAIN' });

  it('a 535 that quotes the AUTH payload: outcome, reason, description and log hold neither it nor escapes', async () => {
    server = await startRawServer(echoingServer({ acceptAuth: false }));
    const log = collectingLogger();
    const outcome = await sendMessage(prepareFixture().message, profile(server.port), { password: PASSWORD }, { logger: log });
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    if (outcome.status === 'failed') {
      assert.equal(outcome.stage, 'auth');
      assert.match(outcome.reply ?? '', /^535 5\.7\.8 Authentication failed for <redacted>/, 'the reply is kept, only the secret is gone');
    }
    assertShownSafely(outcome, 'the outcome');
    assertShownSafely(describeOutcome(outcome), 'the description');
    assertShownSafely(log.lines, 'the log');
  });

  it('replies that quote it on the way to a sent message: outcome.reply, queue id and log are clean', async () => {
    server = await startRawServer(echoingServer({ acceptAuth: true }));
    const log = collectingLogger();
    const outcome = await sendMessage(prepareFixture().message, profile(server.port), { password: PASSWORD }, { logger: log });
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.match(outcome.reply ?? '', /^250 2\.0\.0 queued as Q1/);
    assertShownSafely(outcome, 'the outcome');
    assertShownSafely(describeOutcome(outcome), 'the description');
    assertShownSafely(log.lines, 'the log');
  });

  it('a refused recipient whose reply quotes it: rejected[].reply (kept in the sent history) is clean', async () => {
    server = await startRawServer(echoingServer({ acceptAuth: true, rejectRcpt: 'carol@' }));
    for (const partialRecipients of ['accept', 'reject'] as const) {
      const outcome = await sendMessage(prepareFixture().message, profileFor(server.port, { user: USER, auth: 'PLAIN', partialRecipients }), { password: PASSWORD }, {});
      assert.equal(outcome.status, partialRecipients === 'accept' ? 'partial' : 'failed', JSON.stringify(outcome));
      assert.ok('rejected' in outcome && outcome.rejected?.length === 1, JSON.stringify(outcome));
      assertShownSafely(outcome, `the outcome (${partialRecipients})`);
      assertShownSafely(describeOutcome(outcome), 'the description');
    }
  });

  it('the doctor: step details, diagnoses, extensions and its log are clean', async () => {
    for (const acceptAuth of [false, true]) {
      server = await startRawServer(echoingServer({ acceptAuth }));
      const log = collectingLogger();
      const report = await runDoctor(profile(server.port), { password: PASSWORD }, { logger: log });
      assert.equal(report.steps.find((s) => s.id === 'auth')?.status, acceptAuth ? 'pass' : 'fail', JSON.stringify(report.steps));
      assert.match(report.steps.find((s) => s.id === 'banner')?.detail ?? '', /^220 echo\.example ESMTP/);
      assert.ok(report.extensions.some((e) => e.startsWith('X-FANCY')));
      assertShownSafely(report, 'the report');
      assertShownSafely(log.lines, 'the doctor log');
      await server.close();
      server = undefined;
    }
  });
});

// What goes into RCPT TO, checked against a real smtp-server on 127.0.0.1: every address prepare
// accepts arrives as the very bytes of the envelope; the quoted local parts prepare refuses are the ones
// a server that splits the command at spaces or at "@" misreads.
import * as assert from 'node:assert/strict';
import { connect } from 'node:net';
import { domainToASCII } from 'node:url';
import { prepareMessage } from '../../../src/core/message';
import { describeOutcome, sendMessage } from '../../../src/core/send';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { collectingLogger, profileFor } from '../send/helpers';
import { message } from './helpers';

/** Sends raw command lines to a server and returns each reply (multi-line replies joined). */
async function dialogue(port: number, commands: string[]): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('latin1');
  let buffer = '';
  const waiters: Array<(reply: string) => void> = [];
  const replies: string[] = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // A reply ends with a line "NNN text" (a space after the code, not "-").
    for (let m = /^(\d{3}) [^\r\n]*\r\n/m.exec(buffer); m; m = /^(\d{3}) [^\r\n]*\r\n/m.exec(buffer)) {
      const reply = buffer.slice(0, m.index + m[0].length);
      buffer = buffer.slice(m.index + m[0].length);
      const waiter = waiters.shift();
      if (waiter) waiter(reply);
      else replies.push(reply);
    }
  });
  const next = (): Promise<string> => (replies.length ? Promise.resolve(replies.shift()!) : new Promise((resolve) => waiters.push(resolve)));
  try {
    await next(); // greeting
    const out: string[] = [];
    for (const command of commands) {
      socket.write(`${command}\r\n`);
      out.push(await next());
    }
    return out;
  } finally {
    socket.destroy();
  }
}

/** An address with its domain in one spelling: A-labels, IPv6 literals compressed (smtp-server rewrites both). */
function canonical(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  const ipv6 = /^\[IPv6:(.*)\]$/i.exec(domain);
  const spelled = ipv6 ? `[IPv6:${new URL(`http://[${ipv6[1]}]`).hostname.slice(1, -1)}]` : domain.startsWith('[') ? domain : domainToASCII(domain);
  return `${address.slice(0, at)}@${spelled}`;
}

describe('RCPT TO against a real smtp-server', function () {
  this.timeout(20_000);
  let server: RunningServer;
  before(async () => {
    server = await startSmtpServer({ starttls: false });
  });
  after(() => server.close());

  const sendable = [
    'plain@example.com',
    'user+tag@example.com',
    "o'brien@example.com",
    '"john.doe"@example.com', // unquoted for the envelope
    '"first:last"@example.com',
    '"first[1]"@example.com',
    'info@bücher.de',
    'jörg@example.org',
    'x@[192.0.2.1]',
    'x@[IPv6:2001:db8::1]',
    'Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>',
  ];

  it('every address prepare accepts arrives exactly as the envelope holds it', async () => {
    for (const to of sendable) {
      const prepared = prepareMessage(message({ To: to }), { smtpUtf8: true });
      assert.ok(prepared.ok, `${to}: ${JSON.stringify(prepared.problems)}`);
      const log = collectingLogger();
      const before = server.received.length;
      const outcome = await sendMessage(prepared.message, profileFor(server.port), {}, { logger: log });
      assert.equal(outcome.status, 'sent', `${to}: ${describeOutcome(outcome)}`);
      const [rcpt] = prepared.message.envelope.to;
      // The bytes on the wire: the dialogue log records each command as sent.
      assert.match(log.text(), new RegExp(`C: RCPT TO:<${rcpt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>`), to);
      // And the server read the same address (smtp-server shows IDN domains in Unicode).
      const got = server.received[before].to;
      assert.equal(got.length, 1);
      assert.equal(canonical(got[0]), canonical(rcpt), to);
    }
  });

  it('a quoted local part with a space is misread by a server that splits the command at spaces: refused by prepare', async () => {
    const [, , rcpt] = await dialogue(server.port, ['EHLO test', 'MAIL FROM:<a@example.com>', 'RCPT TO:<"john doe"@example.com>', 'QUIT']);
    assert.match(rcpt, /^5\d\d /, rcpt);
    const prepared = prepareMessage(message({ To: '"john doe"@example.com' }));
    assert.equal(prepared.ok, false);
    assert.ok(prepared.problems.some((p) => p.code === 'envelope-bad-address' && /space/.test(p.message)));
  });

  it('an "@" inside a quoted local part is misread by a server that splits at "@": refused by prepare', async () => {
    const [, , rcpt] = await dialogue(server.port, ['EHLO test', 'MAIL FROM:<a@example.com>', 'RCPT TO:<"a@b"@example.com>', 'QUIT']);
    assert.match(rcpt, /^5\d\d /, rcpt);
    assert.equal(prepareMessage(message({ To: '"a@b"@example.com' })).ok, false);
  });
});

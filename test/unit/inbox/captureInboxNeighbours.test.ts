// The capture inbox, rule by rule with its neighbours (issue #16): every loopback form accepted and bound
// there, and the forms next to them refused before anything is made; what it announces (its banner, SIZE,
// AUTH only when asked); what it stores, read back from the files; how it answers a message too large or
// one it cannot store; the busy port; the folder's mode; the certificate. Real inboxes on 127.0.0.1, a raw
// SMTP client for what a well-behaved client would never send.
import * as assert from 'node:assert/strict';
import { X509Certificate, createHmac, createPrivateKey } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCaptureInbox, type CaptureInbox, type CapturedMessage } from '../../../src/core/inbox';
import { CAPTURE_INBOX_BANNER } from '../../../src/core/inbox/captureInbox';
import { LOCAL_INBOX_PROFILE_NAME } from '../../../src/core/profiles/presets';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import { describeOutcome, sendMessage } from '../../../src/core/send';
import { tryConnect } from '../../support/smtpServers';
import { collectingLogger, prepareFixture } from '../send/helpers';
import { RawSmtpClient } from './rawSmtpClient';


function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}

const plain = (i: CaptureInbox): SmtpProfile => ({ ...i.profile, security: 'none', caFile: undefined });
const stored = (dir: string, ext = '.eml') => readdirSync(dir).filter((f) => f.endsWith(ext));

/** One message handed over by hand (no SIZE parameter: the inbox must count the bytes itself); its final reply. */
async function deliverRaw(port: number, data: string): Promise<string> {
  const client = await RawSmtpClient.open(port);
  try {
    await client.reply();
    await client.command('EHLO tester');
    await client.command('MAIL FROM:<a@example.com>');
    await client.command('RCPT TO:<b@example.org>');
    await client.command('DATA');
    client.write(`${data}.\r\n`);
    return await client.reply();
  } finally {
    client.close();
  }
}

/** Waits for a condition the inbox reaches on its own (a log line after a reset), not for a clock. */
async function until(condition: () => boolean, what: string, withinMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > withinMs) assert.fail(`never happened: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('local capture inbox: each rule and its neighbours', function () {
  this.timeout(30_000);
  let base: string;
  /** A folder whose certificate was made once, copied into each test's folder (making one takes seconds). */
  let template: string;
  let inboxes: CaptureInbox[] = [];
  const folder = (name = 'inbox') => {
    const dir = join(base, name);
    cpSync(template, dir, { recursive: true });
    return dir;
  };
  const start = async (options: Parameters<typeof startCaptureInbox>[0]) => {
    const inbox = await startCaptureInbox(options);
    inboxes.push(inbox);
    return inbox;
  };

  before(async () => {
    template = mkdtempSync(join(tmpdir(), 'mailsmith-inbox-template-'));
    await (await startCaptureInbox({ dir: template })).close();
  });
  after(() => rmSync(template, { recursive: true, force: true }));
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'mailsmith-inbox-rules-'));
  });
  afterEach(async () => {
    await Promise.all(inboxes.map((i) => i.close()));
    inboxes = [];
    rmSync(base, { recursive: true, force: true });
  });

  describe('loopback only', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '127.100.200.255', '::1']) {
      it(`${host}: accepted, and the socket itself is bound there`, async () => {
        const inbox = await start({ dir: folder() });
        await inbox.close();
        const bound = await start({ dir: folder('bound'), host });
        assert.equal(bound.host, host);
        assert.equal(bound.boundAddress, host);
        assert.equal(bound.profile.host, host);
        assert.equal(await tryConnect(host, bound.port), 'connected');
      });
    }

    it('localhost: accepted, bound to a loopback address', async () => {
      const inbox = await start({ dir: folder(), host: 'localhost' });
      assert.equal(inbox.host, 'localhost');
      assert.match(inbox.boundAddress ?? '', /^(127\.0\.0\.1|::1)$/);
    });

    const refused = [
      '0.0.0.0',
      '::',
      '',
      '128.0.0.1',
      '10.0.0.1',
      '127.0.0',
      '127..0.1',
      '127.0..1',
      '127.0.0.',
      '127.1000.0.1',
      '127.0.1000.1',
      '127.0.0.1000',
      '127.a.0.1',
      'x127.0.0.1',
      '127.0.0.1.nip.io',
      '127.0.0.1 ',
      '::10',
      '0::1',
      'localhost.example.com',
      'notlocalhost',
    ];
    it(`refused before anything is made: ${refused.map((h) => JSON.stringify(h)).join(', ')}`, async () => {
      for (const host of refused) {
        const dir = join(base, `refused-${refused.indexOf(host)}`);
        await assert.rejects(startCaptureInbox({ dir, host }), (err: Error) => err.message === `the capture inbox listens on loopback only, not on "${host}"`, host);
        assert.equal(existsSync(dir), false, `no folder made for ${JSON.stringify(host)}`);
      }
    });
  });

  describe('what it announces', () => {
    it('its banner and name, STARTTLS, SIZE of 25 MB by default, and no AUTH unless asked', async () => {
      const inbox = await start({ dir: folder() });
      const client = await RawSmtpClient.open(inbox.port);
      try {
        const greeting = await client.reply();
        assert.match(greeting, /^220 mailsmith\.capture\.local ESMTP /);
        assert.ok(greeting.endsWith(CAPTURE_INBOX_BANNER), greeting);
        assert.equal(CAPTURE_INBOX_BANNER, 'Mailsmith capture inbox: nothing leaves this machine');
        const ehlo = (await client.command('EHLO tester')).split('\r\n');
        assert.ok(ehlo.includes('250-STARTTLS'), ehlo.join(' | '));
        assert.ok(ehlo.some((l) => /^250[ -]SIZE 26214400$/.test(l)), ehlo.join(' | '));
        assert.ok(!ehlo.some((l) => /AUTH/.test(l)), ehlo.join(' | '));
        assert.match(await client.command('AUTH PLAIN AGRldgBpbmJveC1wYXNzLTc='), /^5\d\d /);
      } finally {
        client.close();
      }
    });

    it('the SIZE it was given; AUTH PLAIN LOGIN CRAM-MD5 when it requires AUTH', async () => {
      const inbox = await start({ dir: folder(), maxSize: 1000, auth: { user: 'dev', password: 'inbox-pass-7' } });
      const client = await RawSmtpClient.open(inbox.port);
      try {
        await client.reply();
        const ehlo = (await client.command('EHLO tester')).split('\r\n');
        assert.ok(ehlo.some((l) => /^250[ -]SIZE 1000$/.test(l)), ehlo.join(' | '));
        assert.ok(ehlo.some((l) => /^250[ -]AUTH PLAIN LOGIN CRAM-MD5$/.test(l)), ehlo.join(' | '));
      } finally {
        client.close();
      }
    });
  });

  describe('AUTH, when asked for it', () => {
    const auth = { user: 'dev', password: 'inbox-pass-7' };

    it('PLAIN, LOGIN and CRAM-MD5 with the right user and password send, over plain loopback too; each is stored', async () => {
      const dir = folder();
      const inbox = await start({ dir, auth });
      let sent = 0;
      for (const mechanism of ['PLAIN', 'LOGIN', 'CRAM-MD5'] as const) {
        for (const profile of [inbox.profile, plain(inbox)]) {
          const outcome = await sendMessage(prepareFixture().message, { ...profile, user: 'dev', auth: mechanism }, { password: 'inbox-pass-7' }, {});
          assert.equal(outcome.status, 'sent', `${mechanism} ${profile.security}: ${describeOutcome(outcome)}`);
          sent++;
        }
      }
      assert.equal(stored(dir).length, sent);
    });

    it('a wrong user, a wrong password, or no AUTH at all: refused, nothing stored', async () => {
      const dir = folder();
      const inbox = await start({ dir, auth });
      for (const mechanism of ['PLAIN', 'CRAM-MD5'] as const) {
        for (const [user, password] of [
          ['dev', 'inbox-pass-8'],
          ['deb', 'inbox-pass-7'],
        ]) {
          const outcome = await sendMessage(prepareFixture().message, { ...plain(inbox), user, auth: mechanism }, { password }, {});
          assert.equal(outcome.status, 'failed', `${mechanism} ${user}/${password}`);
          if (outcome.status === 'failed') assert.equal(outcome.stage, 'auth');
        }
      }
      const anonymous = await sendMessage(prepareFixture().message, plain(inbox), {}, {});
      assert.equal(anonymous.status, 'failed', describeOutcome(anonymous));
      assert.equal(stored(dir).length, 0);
    });

    it('CRAM-MD5 on the wire: the digest of the right password passes, of another does not', async () => {
      const inbox = await start({ dir: folder(), auth });
      const attempt = async (password: string) => {
        const client = await RawSmtpClient.open(inbox.port);
        try {
          await client.reply();
          await client.command('EHLO tester');
          const challenge = await client.command('AUTH CRAM-MD5');
          assert.match(challenge, /^334 /);
          const text = Buffer.from(challenge.slice(4), 'base64').toString('latin1');
          const digest = createHmac('md5', password).update(text).digest('hex');
          return await client.command(Buffer.from(`dev ${digest}`).toString('base64'));
        } finally {
          client.close();
        }
      };
      assert.match(await attempt('inbox-pass-7'), /^235 /);
      assert.match(await attempt('inbox-pass-x'), /^535 /);
    });
  });

  describe('what it stores', () => {
    it('the bytes, and beside them the envelope (a null sender, every recipient in order), size, time, not secure; the reply names the file', async () => {
      const dir = folder();
      const logger = collectingLogger();
      const seen: CapturedMessage[] = [];
      const inbox = await start({ dir, logger, onMessage: (m) => seen.push(m) });
      const client = await RawSmtpClient.open(inbox.port);
      const body = 'From: a@example.com\r\nTo: b@example.org\r\nSubject: bounce\r\n\r\nA delivery report.\r\n';
      let reply: string;
      try {
        await client.reply();
        await client.command('EHLO tester');
        assert.match(await client.command('MAIL FROM:<>'), /^250 /);
        assert.match(await client.command('RCPT TO:<b@example.org>'), /^250 /);
        assert.match(await client.command('RCPT TO:<a@example.net>'), /^250 /);
        assert.match(await client.command('DATA'), /^354 /);
        client.write(`${body}.\r\n`);
        reply = await client.reply();
      } finally {
        client.close();
      }
      const [eml] = stored(dir);
      assert.deepEqual(stored(dir), [eml]);
      const id = eml.replace(/\.eml$/, '');
      assert.equal(reply, `250 Message captured as ${id}`);
      assert.equal(readFileSync(join(dir, eml), 'latin1'), body);
      const envelopeFile = join(dir, `${id}.json`);
      const text = readFileSync(envelopeFile, 'utf8');
      const envelope = JSON.parse(text);
      assert.equal(text, `${JSON.stringify(envelope, null, 2)}\n`);
      assert.deepEqual(envelope, { from: '', to: ['b@example.org', 'a@example.net'], size: body.length, receivedAt: envelope.receivedAt, secure: false });
      // The name is the time it arrived (no ':' or '.', which some file systems refuse) and a random part.
      assert.match(envelope.receivedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(id.slice(0, 24), envelope.receivedAt.replace(/[:.]/g, '-'));
      assert.match(id.slice(24), /^-[0-9a-f]{8}$/);
      assert.deepEqual(seen, [{ file: join(dir, eml), envelopeFile, envelope: { from: '', to: ['b@example.org', 'a@example.net'] }, size: body.length, receivedAt: envelope.receivedAt }]);
      assert.ok(logger.lines.includes(`info Captured ${body.length} bytes from <> to b@example.org, a@example.net: ${join(dir, eml)}`), logger.text());
    });

    it('a sender is named in the log and the envelope', async () => {
      const dir = folder();
      const logger = collectingLogger();
      const inbox = await start({ dir, logger });
      const { message } = prepareFixture();
      const outcome = await sendMessage(message, inbox.profile, {}, {});
      assert.equal(outcome.status, 'sent', describeOutcome(outcome));
      const [json] = stored(dir, '.json');
      const envelope = JSON.parse(readFileSync(join(dir, json), 'utf8'));
      assert.equal(envelope.from, 'ann@example.com');
      assert.equal(envelope.secure, true);
      assert.equal(envelope.size, message.raw.length);
      assert.ok(logger.lines.some((l) => l.startsWith(`info Captured ${message.raw.length} bytes from ann@example.com to `)), logger.text());
    });

    it('it writes nothing to the process\'s own stdout or stderr: what it says goes to its logger', async () => {
      // The CLI prints JSON on stdout (`--json`) and the extension host's console is not the user's log: a
      // server library's own log lines (smtp-server's, when its logger is switched on) must not reach them.
      const written: string[] = [];
      const streams = [process.stdout, process.stderr];
      const originals = streams.map((stream) => stream.write);
      streams.forEach((stream) => {
        stream.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof stream.write;
      });
      const logger = collectingLogger();
      try {
        const inbox = await start({ dir: folder(), logger });
        const outcome = await sendMessage(prepareFixture().message, inbox.profile, {}, {});
        assert.equal(outcome.status, 'sent', describeOutcome(outcome));
      } finally {
        streams.forEach((stream, i) => (stream.write = originals[i]));
      }
      assert.deepEqual(written, []);
      assert.ok(logger.lines.some((l) => l.startsWith('info Captured ')), logger.text());
    });

    it('two messages in a second are two files', async () => {
      const dir = folder();
      const inbox = await start({ dir });
      for (let i = 0; i < 2; i++) assert.equal((await sendMessage(prepareFixture().message, plain(inbox), {}, {})).status, 'sent');
      assert.equal(stored(dir).length, 2);
      assert.equal(stored(dir, '.json').length, 2);
    });

    it('over its size limit: 552, nothing stored; exactly at it: stored', async () => {
      const dir = folder();
      const inbox = await start({ dir, maxSize: 1000 });
      const deliver = (body: string) => deliverRaw(inbox.port, body);
      const line = 'x'.repeat(98) + '\r\n';
      assert.match(await deliver(line.repeat(11)), /^552 .*Message exceeds the fixed maximum message size/);
      assert.equal(stored(dir).length, 0);
      assert.match(await deliver(line.repeat(10)), /^250 Message captured as /);
      assert.equal(stored(dir).length, 1);
    });

    it('cannot store: 451 (try again later, RFC 5321 section 4.2.3), the reason logged, and it keeps running', async () => {
      const dir = folder();
      const logger = collectingLogger();
      const inbox = await start({ dir, logger });
      rmSync(dir, { recursive: true, force: true });
      writeFileSync(dir, 'not a folder');
      assert.match(await deliverRaw(inbox.port, 'Subject: x\r\n\r\nbody\r\n'), /^451 .*Cannot store the message in the capture folder$/);
      assert.ok(logger.lines.some((l) => l.startsWith(`error Capture inbox: cannot store the message in ${dir}: `)), logger.text());
      assert.ok(!logger.lines.some((l) => l.startsWith('info Captured')), logger.text());
    });

    it('a client that resets in the middle of a message: logged as an error, and it keeps running', async () => {
      const dir = folder();
      const logger = collectingLogger();
      const inbox = await start({ dir, logger });
      const client = await RawSmtpClient.open(inbox.port);
      await client.reply();
      await client.command('EHLO tester');
      await client.command('MAIL FROM:<a@example.com>');
      client.socket.resetAndDestroy();
      await until(() => logger.lines.some((l) => /^error Capture inbox: .*ECONNRESET/.test(l)), 'the reset logged');
      assert.equal((await sendMessage(prepareFixture().message, plain(inbox), {}, {})).status, 'sent');
    });
  });

  describe('the folder', () => {
    it('an existing folder others can list: a warning; one only its user can read, or a new one: none', async function () {
      if (process.platform === 'win32') return this.skip(); // no POSIX modes
      const warning = (dir: string) => `warn The capture folder ${dir} can be listed by other users of this machine; the messages in it are readable by you only`;
      for (const [mode, warned] of [
        [0o755, true],
        [0o701, true],
        [0o710, true],
        [0o700, false],
      ] as const) {
        const dir = folder(`mode-${mode.toString(8)}`);
        chmodSync(dir, mode);
        const logger = collectingLogger();
        await start({ dir, logger });
        assert.equal(logger.lines.includes(warning(dir)), warned, `${mode.toString(8)}: ${logger.text()}`);
        assert.equal((statSync(dir).mode & 0o777).toString(8), mode.toString(8), 'an existing folder keeps its mode');
      }
      // A new folder (the inbox makes it, and a certificate in it).
      const fresh = join(base, 'fresh', 'inbox');
      const logger = collectingLogger();
      await start({ dir: fresh, logger });
      assert.ok(!logger.lines.some((l) => l.startsWith('warn ')), logger.text());
    });
  });

  describe('the port', () => {
    it('a free port asked for is the one it listens on, and the log names it', async () => {
      const probe = createServer();
      const port = await listen(probe, 0, '127.0.0.1');
      await new Promise((resolve) => probe.close(resolve));
      const dir = folder();
      const logger = collectingLogger();
      const inbox = await start({ dir, port, freePortIfBusy: true, logger });
      assert.equal(inbox.port, port);
      assert.ok(logger.lines.includes(`info Capture inbox listening on 127.0.0.1:${port}, storing messages in ${dir}`), logger.text());
      assert.ok(!logger.lines.some((l) => l.startsWith('warn ')), logger.text());
    });

    it('a busy port: refused (EADDRINUSE, nothing logged as an error) unless asked to take a free one, then another, and said', async () => {
      const busy = createServer();
      const port = await listen(busy, 0, '127.0.0.1');
      try {
        const logger = collectingLogger();
        await assert.rejects(startCaptureInbox({ dir: folder('strict'), port, logger }), (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE');
        assert.ok(!logger.lines.some((l) => l.startsWith('error ') || l.includes('listening')), logger.text());
        const moved = collectingLogger();
        const dir = folder('moved');
        const inbox = await start({ dir, port, freePortIfBusy: true, logger: moved });
        assert.notEqual(inbox.port, port);
        assert.equal(await tryConnect('127.0.0.1', inbox.port), 'connected');
        assert.equal(moved.lines[0], `warn port ${port} is busy; taking a free one`);
        assert.ok(moved.lines.includes(`info Capture inbox listening on 127.0.0.1:${inbox.port}, storing messages in ${dir}`), moved.text());
        assert.ok(!moved.lines.some((l) => l.startsWith('error ')), moved.text());
      } finally {
        await new Promise((resolve) => busy.close(resolve));
      }
    });

    it('a port that cannot be used at all is refused even when asked to take a free one: only a busy port moves', async () => {
      await assert.rejects(startCaptureInbox({ dir: folder(), port: 70_000, freePortIfBusy: true }), (err: NodeJS.ErrnoException) => err.code === 'ERR_SOCKET_BAD_PORT');
    });
  });

  describe('the profile and closing', () => {
    it('the profile sends to it over verified STARTTLS; with AUTH it names the user; after close nothing listens', async () => {
      const dir = folder();
      const inbox = await start({ dir });
      assert.deepEqual(inbox.profile, { name: LOCAL_INBOX_PROFILE_NAME, host: '127.0.0.1', port: inbox.port, security: 'starttls', caFile: join(dir, '.tls', 'cert.pem') });
      assert.equal(inbox.certificateFile, join(dir, '.tls', 'cert.pem'));
      // Both halves there: kept, so a profile that trusts it goes on working.
      assert.equal(readFileSync(inbox.certificateFile, 'utf8'), readFileSync(join(template, '.tls', 'cert.pem'), 'utf8'));
      assert.equal(readFileSync(join(dir, '.tls', 'key.pem'), 'utf8'), readFileSync(join(template, '.tls', 'key.pem'), 'utf8'));
      assert.equal(inbox.dir, dir);
      const withAuth = await start({ dir: folder('auth'), auth: { user: 'dev', password: 'pw-pw-pw-1' } });
      assert.equal(withAuth.profile.user, 'dev');
      assert.equal(Object.keys(withAuth.profile).includes('password'), false);
      await inbox.close();
      assert.equal(await tryConnect('127.0.0.1', inbox.port), 'ECONNREFUSED');
    });
  });

  describe('the certificate', () => {
    it('for 127.0.0.1 and localhost, a CA of its own, 2048-bit, five years', () => {
      const cert = new X509Certificate(readFileSync(join(template, '.tls', 'cert.pem')));
      assert.equal(cert.subject, 'CN=127.0.0.1');
      assert.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
      assert.equal(cert.ca, true);
      assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
      const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365 * 24 * 3600 * 1000);
      assert.ok(years > 4.99 && years < 5.01, `${years} years`);
      // Signed with sha256WithRSAEncryption (OID 1.2.840.113549.1.1.11), not SHA-1.
      assert.ok(cert.raw.includes(Buffer.from('06092a864886f70d01010b', 'hex')), 'signed with SHA-256');
      assert.ok(cert.checkPrivateKey(createPrivateKey(readFileSync(join(template, '.tls', 'key.pem')))));
    });

    it('verified by name too: a profile for localhost sends over STARTTLS that checks the name', async () => {
      const inbox = await start({ dir: folder(), host: 'localhost' });
      const outcome = await sendMessage(prepareFixture().message, inbox.profile, {}, {});
      assert.equal(outcome.status, 'sent', describeOutcome(outcome));
    });

    for (const missing of ['cert.pem', 'key.pem']) {
      it(`made again when ${missing} is missing, and the profile trusts the new one`, async () => {
        const dir = folder();
        const before = readFileSync(join(dir, '.tls', 'cert.pem'), 'utf8');
        rmSync(join(dir, '.tls', missing));
        const inbox = await start({ dir });
        const after = readFileSync(inbox.certificateFile, 'utf8');
        assert.notEqual(after, before);
        const outcome = await sendMessage(prepareFixture().message, inbox.profile, {}, {});
        assert.equal(outcome.status, 'sent', describeOutcome(outcome));
      });
    }
  });
});

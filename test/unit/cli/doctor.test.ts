// `mailsmith doctor` in-process against real servers on 127.0.0.1: every step printed with its verdict,
// nothing sent, exit 1 with a diagnosis when a step fails.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { listCapturedMessages, startCaptureInbox } from '../../../src/core/inbox';
import { startRawServer, startSmtpServer, testCertificate } from '../../support/smtpServers';
import { recordingIo, type RecordingIo } from './checkIo';

describe('mailsmith doctor', function () {
  this.timeout(10_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-cli-doctor-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; io: RecordingIo }> {
    const io = recordingIo();
    io.cwd = dir;
    io.env = env;
    return main(['doctor', ...args], io).then((code) => ({ code, io }));
  }

  function profileFile(lines: string[]): string {
    writeFileSync(join(dir, 'p.yaml'), ['name: Doctor test', 'host: 127.0.0.1', 'timeouts:', '  connectMs: 1000', '  greetingMs: 800', '  socketMs: 1000', ...lines].join('\n') + '\n');
    return 'p.yaml';
  }

  it('passes every step against a STARTTLS server with AUTH, and sends nothing', async () => {
    const cert = await testCertificate();
    const server = await startSmtpServer({ auth: { user: 'ann', password: 'doc-pa55' }, certificate: cert });
    try {
      const file = profileFile([`port: ${server.port}`, 'security: starttls', 'user: ann', 'passwordEnv: DOC_PW', `caFile: ${cert.certFile}`]);
      const { code, io } = await run(['--profile-file', file], { DOC_PW: 'doc-pa55' });
      assert.equal(code, 0, io.out + io.err);
      assert.match(io.out, /^Testing "Doctor test": 127\.0\.0\.1:\d+ \(starttls\)$/m);
      for (const title of ['DNS lookup', 'TCP connection', 'Server greeting', 'EHLO', 'TLS', 'Authentication', 'Session check', 'QUIT']) assert.match(io.out, new RegExp(`^  ok {3}.*${title}`, 'mi'), `${title} passed:\n${io.out}`);
      assert.match(io.out, /All steps passed\.$/m);
      assert.equal(server.received.length, 0, 'the doctor sends no message');
      assert.ok(!io.out.includes('doc-pa55') && !io.err.includes('doc-pa55'));
    } finally {
      await server.close();
    }
  });

  it('fails at TCP connect with the usual causes when nothing listens, and exits 1', async () => {
    const raw = await startRawServer(() => undefined);
    const port = raw.port;
    await raw.close();
    const { code, io } = await run(['--profile-file', profileFile([`port: ${port}`, 'security: starttls'])]);
    assert.equal(code, 1, io.out + io.err);
    assert.match(io.out, /FAIL TCP connection/);
    assert.match(io.out, /refused/i);
    assert.match(io.out, /has a problem/);
  });

  it('reports a wrong password at the AUTH step', async () => {
    const server = await startSmtpServer({ auth: { user: 'ann', password: 'doc-pa55' }, starttls: false });
    try {
      const file = profileFile([`port: ${server.port}`, 'security: none', 'user: ann', 'passwordEnv: DOC_PW']);
      const { code, io } = await run(['--profile-file', file], { DOC_PW: 'wrong-one' });
      assert.equal(code, 1, io.out + io.err);
      assert.match(io.out, /FAIL Authentication/);
      assert.ok(!io.out.includes('wrong-one'));
    } finally {
      await server.close();
    }
  });

  it('with no profile file, checks the local capture inbox and trusts its kept certificate', async () => {
    const inboxDir = join(dir, 'inbox');
    const inbox = await startCaptureInbox({ dir: inboxDir });
    try {
      const { code, io } = await run(['--port', String(inbox.port), '--inbox-dir', 'inbox']);
      assert.equal(code, 0, io.out + io.err);
      assert.match(io.out, /^Testing "Local capture inbox": 127\.0\.0\.1:\d+ \(starttls\)$/m);
      assert.match(io.out, /^ {2}ok {3}TLS: TLSv1\.[23]/m);
      assert.deepEqual(listCapturedMessages(inboxDir), [], 'nothing sent');
    } finally {
      await inbox.close();
    }
  });

  it('with no profile file and no capture inbox in the folder, says so instead of testing whatever holds the port', async () => {
    const other = await startSmtpServer({ starttls: false });
    try {
      const { code, io } = await run(['--port', String(other.port)]);
      assert.equal(code, 2);
      assert.match(io.err, /no capture inbox has run in .*\.mailsmith\/inbox.*mailsmith inbox/);
      assert.doesNotMatch(io.out + io.err, /self-signed|certificate is not trusted/);
    } finally {
      await other.close();
    }
  });

  it('says when the server on the inbox port is not the capture inbox', async () => {
    const inboxDir = join(dir, 'inbox');
    // A folder where an inbox once ran (it keeps its certificate), and now another server answers.
    const inbox = await startCaptureInbox({ dir: inboxDir });
    await inbox.close();
    const cert = await testCertificate();
    writeFileSync(join(inboxDir, '.tls', 'cert.pem'), cert.cert);
    const impostor = await startSmtpServer({ certificate: cert });
    try {
      const { io } = await run(['--port', String(impostor.port), '--inbox-dir', 'inbox']);
      assert.match(io.out, /Note: the server on 127\.0\.0\.1:\d+ is not Mailsmith's capture inbox/);
    } finally {
      await impostor.close();
    }
  });

  it('usage errors exit 2', async () => {
    assert.equal((await run(['--profile', 'Work'])).code, 2);
    assert.equal((await run(['--port', 'x'])).code, 2);
  });
});

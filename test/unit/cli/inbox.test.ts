// `mailsmith inbox` as a real child process (it runs until a signal): it prints the address that
// `npm start` (scripts/start.mjs) looks for, stores what arrives, refuses a port asked for that is busy,
// and stops cleanly on SIGTERM.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { describeOutcome, sendMessage } from '../../../src/core/send';
import { repoRoot } from '../../support/paths';
import { startRawServer } from '../../support/smtpServers';
import { prepareFixture } from '../send/helpers';
import { recordingIo } from './checkIo';

const CLI = join(repoRoot, 'out', 'src', 'cli', 'main.js');

function startInbox(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string; address: Promise<{ host: string; port: number }> } {
  const child = spawn(process.execPath, [CLI, 'inbox', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const address = new Promise<{ host: string; port: number }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // The same pattern scripts/start.mjs waits for.
      const m = /(127\.0\.0\.1):(\d+)/.exec(output);
      if (m && /Ctrl-C/.test(output)) resolve({ host: m[1], port: Number(m[2]) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`inbox exited with ${code}: ${output}`)));
  });
  return { child, output: () => output, address };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

describe('mailsmith inbox', function () {
  this.timeout(60_000); // it starts the real CLI as a child process, which a loaded machine makes slow
  let dir: string;
  let running: ChildProcessWithoutNullStreams | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-cli-inbox-'));
  });
  afterEach(async () => {
    if (running && running.exitCode === null) {
      running.kill('SIGTERM');
      await exited(running);
    }
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is listed by --help the way npm start looks for it', async () => {
    const io = recordingIo();
    await main(['--help'], io);
    assert.match(io.out, /^\s+inbox\s/m);
  });

  it('prints its address and folder, stores a message sent to it, and exits 0 on SIGTERM', async () => {
    const inbox = startInbox(['--dir', dir, '--port', '0']);
    running = inbox.child;
    const { host, port } = await inbox.address;
    assert.equal(host, '127.0.0.1');
    assert.match(inbox.output(), /listening|smtp:\/\/127\.0\.0\.1:\d+/i);
    const { message } = prepareFixture();
    const outcome = await sendMessage(
      message,
      { name: 'inbox', host, port, security: 'starttls', caFile: join(dir, '.tls', 'cert.pem'), timeouts: { connectMs: 15_000, greetingMs: 15_000, socketMs: 15_000 } },
      {},
      {},
    );
    assert.equal(outcome.status, 'sent', describeOutcome(outcome));
    const emls = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    assert.equal(emls.length, 1);
    assert.ok(readFileSync(join(dir, emls[0])).equals(message.raw));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(inbox.output().includes(join(dir, emls[0])), `it says where the message landed:\n${inbox.output()}`);
    inbox.child.kill('SIGTERM');
    assert.equal(await exited(inbox.child), 0);
  });

  it('fails with a clear message, rather than taking another port, when the port asked for is busy', async () => {
    const busy = await startRawServer(() => undefined);
    try {
      const inbox = startInbox(['--dir', dir, '--port', String(busy.port)]);
      running = inbox.child;
      await assert.rejects(inbox.address, new RegExp(`inbox exited with 1: mailsmith inbox: port ${busy.port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      await busy.close();
    }
  });

  it('rejects a bad port as a usage error', async () => {
    const io = recordingIo();
    assert.equal(await main(['inbox', '--port', 'abc'], io), 2);
    assert.match(io.err, /--port/);
  });
});

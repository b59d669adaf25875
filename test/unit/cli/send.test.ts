// `mailsmith send` in-process against real servers on 127.0.0.1: the exit code per outcome, where a
// capture landed, the password rules, and the source file left unchanged every time.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { prepareMessage } from '../../../src/core/message';
import { fixture } from '../../support/paths';
import { scriptedSmtp, startRawServer, startSmtpServer, testCertificate } from '../../support/smtpServers';
import { sha256 } from '../send/helpers';
import { recordingIo, type RecordingIo } from './checkIo';

describe('mailsmith send', function () {
  this.timeout(10_000);
  let dir: string;
  let sourceHash: string;
  const servers: { close(): Promise<void> }[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-cli-send-'));
    copyFileSync(fixture('send', 'team.eml'), join(dir, 'team.eml'));
    sourceHash = sha256(readFileSync(join(dir, 'team.eml')));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    assert.equal(sha256(readFileSync(join(dir, 'team.eml'))), sourceHash, 'the source .eml is unchanged');
    rmSync(dir, { recursive: true, force: true });
  });

  function io(env: Record<string, string> = {}): RecordingIo {
    const r = recordingIo();
    r.cwd = dir;
    r.env = { MAILSMITH_STATE_DIR: join(dir, 'state'), ...env };
    return r;
  }

  function profileFile(port: number, extra: string[] = []): string {
    const lines = ['name: Test server', 'host: 127.0.0.1', `port: ${port}`, 'security: none', 'timeouts:', '  connectMs: 1500', '  greetingMs: 800', '  socketMs: 600', ...extra];
    writeFileSync(join(dir, 'profile.yaml'), lines.join('\n') + '\n');
    return 'profile.yaml';
  }

  it('with no profile, delivers to the capture inbox under .mailsmith/inbox and says where it landed', async () => {
    const r = io();
    const code = await main(['send', 'team.eml'], r);
    assert.equal(code, 0, r.out + r.err);
    const inbox = join(dir, '.mailsmith', 'inbox');
    const emls = readdirSync(inbox).filter((f) => f.endsWith('.eml'));
    assert.equal(emls.length, 1);
    assert.ok(r.out.includes(`Captured in ${join(inbox, emls[0])}`), r.out);
    const stored = readFileSync(join(inbox, emls[0]));
    assert.doesNotMatch(stored.toString('latin1'), /^Bcc:/im);
    // Same bytes as prepareMessage gives, apart from the Date and Message-ID it generates per run.
    const prepared = prepareMessage(readFileSync(join(dir, 'team.eml')));
    assert.ok(prepared.ok);
    const strip = (b: Buffer) => b.toString('latin1').replace(/^(Date|Message-ID):.*\r\n/gim, '');
    assert.equal(strip(stored), strip(prepared.message.raw));
  });

  it('sends with a YAML profile file, the password from the variable named by passwordEnv, over STARTTLS', async () => {
    const cert = await testCertificate();
    const server = await startSmtpServer({ auth: { user: 'ann', password: 'cli-pa55word' }, certificate: cert });
    servers.push(server);
    const file = profileFile(server.port, ['user: ann', 'passwordEnv: TEST_SMTP_PASSWORD', 'auth: LOGIN', `caFile: ${cert.certFile}`]);
    writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace('security: none', 'security: starttls'));
    const r = io({ TEST_SMTP_PASSWORD: 'cli-pa55word' });
    const code = await main(['send', 'team.eml', '--profile-file', file, '-v'], r);
    assert.equal(code, 0, r.out + r.err);
    assert.equal(server.received.length, 1);
    assert.equal(server.received[0].secure, true);
    assert.match(r.out, /sent|accepted/i);
    assert.match(r.err, /C: EHLO /, '-v prints the dialogue');
    assert.match(r.err, /S: 250/);
    for (const secret of ['cli-pa55word', Buffer.from('cli-pa55word').toString('base64'), Buffer.from('ann').toString('base64')]) {
      assert.ok(!r.err.includes(secret) && !r.out.includes(secret), `"${secret}" does not appear in the output`);
    }
  });

  it('exits 1 when the server refuses (550 on MAIL FROM)', async () => {
    const server = await startSmtpServer({ starttls: false, mailFrom: () => ({ code: 550, message: 'Sender rejected' }) });
    servers.push(server);
    const r = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', profileFile(server.port)], r), 1, r.out + r.err);
    assert.match(r.out, /550|Sender rejected/);
  });

  it('exits 3 when some recipients were refused under partialRecipients: accept', async () => {
    const server = await startSmtpServer({ starttls: false, rcpt: (a) => (a === 'carol@example.net' ? { code: 550, message: 'No such user' } : undefined) });
    servers.push(server);
    const r = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', profileFile(server.port, ['partialRecipients: accept'])], r), 3, r.out + r.err);
    assert.match(r.out, /carol@example\.net/);
    assert.equal(server.received.length, 1);
  });

  it('after a refused password, says what to do next: check it, and test the connection with the doctor', async () => {
    const server = await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'right-password-1' } });
    servers.push(server);
    const file = profileFile(server.port, ['user: ann', 'passwordEnv: WRONG_PW']);
    const r = io({ WRONG_PW: 'wrong-password-2' });
    assert.equal(await main(['send', 'team.eml', '--profile-file', file], r), 1, r.out + r.err);
    assert.match(r.out, /authentication failed/i);
    assert.match(r.err, /^next: check the password/m);
    assert.match(r.err, /^next: test the connection step by step: mailsmith doctor --profile-file profile\.yaml$/m);
    assert.ok(!(r.out + r.err).includes('wrong-password-2'));
  });

  it('after a send, names the file that holds the exact bytes sent', async () => {
    const server = await startSmtpServer({ starttls: false });
    servers.push(server);
    const r = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', profileFile(server.port)], r), 0, r.out + r.err);
    const copy = /^The bytes sent: (.+)$/m.exec(r.out)?.[1];
    assert.ok(copy, r.out);
    assert.ok(readFileSync(copy).equals(server.received[0].raw));
  });

  it('exits 4 and says not to resend blindly when no reply comes after the final dot', async () => {
    const raw = await startRawServer(scriptedSmtp({ afterDot: () => undefined }));
    servers.push(raw);
    const r = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', profileFile(raw.port)], r), 4, r.out + r.err);
    assert.match(r.out, /may have been delivered|unknown/i);
  });

  it('--dry-run shows everything that would leave and sends nothing', async () => {
    const server = await startSmtpServer({ starttls: false });
    servers.push(server);
    const r = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', profileFile(server.port), '--dry-run'], r), 0, r.err);
    assert.equal(r.out, 'Dry run: nothing was sent.\n');
    assert.match(r.err, /^Would send:\n {2}From ann@example\.com\n/m);
    assert.match(r.err, /^ {2}Bcc secret-eve@example\.com \(they receive it without a Bcc field\)$/m);
    assert.match(r.err, /No local files travel with it\./);
    assert.equal(server.received.length, 0);
  });

  it('never takes a password as a flag, and needs the variable set when there is no terminal', async () => {
    let r = io();
    assert.equal(await main(['send', 'team.eml', '--password', 'x'], r), 2);
    assert.match(r.err, /never taken as flags/);
    r = io();
    const file = profileFile(9, ['user: ann', 'passwordEnv: UNSET_SMTP_PASSWORD']);
    assert.equal(await main(['send', 'team.eml', '--profile-file', file], r), 2);
    assert.match(r.err, /UNSET_SMTP_PASSWORD.*not set/);
  });

  it('refuses a profile file holding a password, and usage errors exit 2', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'name: x\nhost: 127.0.0.1\nport: 25\npassword: hunter2\n');
    let r = io();
    assert.equal(await main(['send', 'team.eml', '--profile-file', 'bad.yaml'], r), 2);
    assert.match(r.err, /passwordEnv/);
    assert.ok(!r.err.includes('hunter2'));
    r = io();
    assert.equal(await main(['send'], r), 2);
    r = io();
    assert.equal(await main(['send', 'team.eml', '--profile', 'Work'], r), 2);
  });

  it('stops at the hourly limit across runs (state in the state dir, no secrets in it)', async () => {
    // AUTH PLAIN in clear is allowed to loopback only, which this is.
    const server = await startSmtpServer({ starttls: false, auth: { user: 'ann', password: 'state-pa55' } });
    servers.push(server);
    const file = profileFile(server.port, ['maxPerHour: 1', 'user: ann', 'passwordEnv: STATE_PW']);
    let r = io({ STATE_PW: 'state-pa55' });
    assert.equal(await main(['send', 'team.eml', '--profile-file', file], r), 0, r.out + r.err);
    r = io({ STATE_PW: 'state-pa55' });
    assert.equal(await main(['send', 'team.eml', '--profile-file', file], r), 1, r.out + r.err);
    assert.match(r.out, /limit/i);
    assert.equal(server.received.length, 1, 'nothing sent over the limit');
    // The hourly counts, the sent journal and the copy of what was sent: none holds the password in any form.
    const stateDir = join(dir, 'state');
    const files = readdirSync(stateDir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(stateDir, f)).isFile());
    assert.deepEqual(files.filter((f) => !f.startsWith('sent/')).sort(), ['hourly-sends.json', 'sent.jsonl']);
    assert.ok(JSON.parse(readFileSync(join(stateDir, 'hourly-sends.json'), 'utf8')), 'the counts are JSON');
    for (const f of files) {
      const content = readFileSync(join(stateDir, f), 'utf8');
      for (const secret of ['state-pa55', Buffer.from('state-pa55').toString('base64'), Buffer.from('\u0000ann\u0000state-pa55').toString('base64')]) assert.ok(!content.includes(secret), `no "${secret}" in ${f}`);
    }
  });
});

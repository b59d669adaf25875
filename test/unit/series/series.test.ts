// `mailsmith series` against real parts: a scratch repository made with git, format-patch --cover-letter of 3
// commits, sent through the capture inbox, through smtp-server and through a scripted server that rewrites
// Message-IDs as Outlook does; `git am` of what was received must give back the same commits.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { main } from '../../../src/cli/main';
import { scriptedSmtp, startRawServer, startSmtpServer } from '../../support/smtpServers';
import { recordingIo } from '../cli/checkIo';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import { noSecrets } from '../../../src/core/secrets/provider';
import { runAddressCommand } from '../../../src/core/series/commands';
import { planSeries } from '../../../src/core/series/plan';
import { sendSeries } from '../../../src/core/series/sendSeries';
import { SeriesState } from '../../../src/core/series/state';
import { silentLogger } from '../../../src/core/types';
import { applyReceived, commitsAfter, formatSeries, git, scratchRepo, SENDER, type ScratchRepo } from './scratchRepo';

const header = (raw: Buffer, name: string): string | undefined => {
  const head = raw.toString('latin1').split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: *(.*)$`, 'im').exec(head)?.[1].trim();
};
const isCover = (raw: Buffer) => /\[PATCH 0\/3\]/.test(header(raw, 'Subject') ?? '');

describe('mailsmith series', function () {
  this.timeout(60_000);
  let repo: ScratchRepo;
  const servers: { close(): Promise<void> }[] = [];

  beforeEach(() => {
    repo = scratchRepo();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    repo.close();
  });

  async function run(args: string[]) {
    const io = recordingIo();
    io.cwd = repo.dir;
    io.env = { ...process.env, MAILSMITH_STATE_DIR: join(repo.dir, '.state'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } as Record<string, string>;
    const code = await main(['series', ...args], io);
    return { code, out: io.out, err: io.err };
  }

  function profile(port: number, extra: string[] = []): string {
    const file = join(repo.dir, 'profile.yaml');
    writeFileSync(file, ['name: Test relay', 'host: 127.0.0.1', `port: ${port}`, 'security: none', ...extra].join('\n') + '\n');
    return file;
  }

  function assertThreadedSeries(messages: Buffer[]): void {
    assert.equal(messages.length, 4, 'the cover letter and three patches');
    for (const raw of messages) assert.doesNotMatch(raw.toString('latin1'), /^From [0-9a-f]{40} /m, 'the mbox separator line is not sent');
    const cover = messages.find(isCover);
    assert.ok(cover, 'the cover letter arrived');
    const coverId = header(cover, 'Message-ID');
    assert.ok(coverId, 'the cover letter has a Message-ID');
    for (const raw of messages.filter((m) => !isCover(m))) {
      assert.equal(header(raw, 'In-Reply-To'), coverId, `${header(raw, 'Subject')} replies to the cover letter`);
      assert.equal(header(raw, 'References'), coverId);
    }
  }

  it('sends format-patch --cover-letter of 3 commits through the capture inbox: 4 messages in one thread, and git am gives back the same commits', async () => {
    const out = formatSeries(repo);
    const result = await run([out, '--to', 'List <list@example.org>', '--from', SENDER, '--yes']);
    assert.equal(result.code, 0, result.out + result.err);
    const captured = [...result.out.matchAll(/Captured in (.*)$/gm)].map((m) => readFileSync(m[1]));
    assertThreadedSeries(captured);
    const patches = captured.filter((m) => !isCover(m));
    const notes = patches.find((m) => /Add notes/.test(header(m, 'Subject') ?? ''))!;
    assert.equal(header(notes, 'From'), SENDER, 'the sender in the header');
    assert.match(notes.toString('utf8'), /\r\n\r\nFrom: Ánna Author <anna@example\.org>\r\n\r\nNotes keep/, 'the author first in the body, as git does');
    assert.match(notes.toString('utf8'), /^\+keep the trailing spaces   \r$/m, 'trailing white space kept');
    assert.equal(header(patches.find((m) => /wide/.test(header(m, 'Subject') ?? ''))!, 'Content-Transfer-Encoding'), 'quoted-printable', 'a line over 998 octets needs a transfer encoding');
    assert.equal(header(notes, 'Content-Transfer-Encoding'), '8bit', 'nothing else is re-encoded');
    assert.deepEqual(applyReceived(repo, patches), commitsAfter(repo.dir, repo.base), 'git am reproduces tree, author, date and message');
  });

  it('sends through smtp-server with a profile over one connection, and git am of what it received gives back the same commits', async () => {
    let connections = 0;
    const server = await startSmtpServer({ starttls: false, extra: { onConnect: (_s, cb) => (connections++, cb()) } });
    servers.push(server);
    const out = formatSeries(repo);
    const result = await run([out, '--profile-file', profile(server.port), '--to', 'list@example.org', '--from', SENDER, '--yes']);
    assert.equal(result.code, 0, result.out + result.err);
    assertThreadedSeries(server.received.map((r) => r.raw));
    assert.equal(connections, 1, 'one connection for the series');
    assert.deepEqual(server.received.map((r) => r.from), Array(4).fill('sam@example.com'));
    assert.deepEqual(applyReceived(repo, server.received.map((r) => r.raw).filter((m) => !isCover(m))), commitsAfter(repo.dir, repo.base));
  });

  it('puts a trailer\u2019s address in Cc, marked with its origin, unless its category is suppressed', async () => {
    const out = formatSeries(repo);
    const shown = await run([out, '--to', 'list@example.org', '--from', SENDER, '--dry-run']);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.err, /Cc: .*Rita Reviewer <rita@example\.net> \(\+Reviewed-by\)/);
    assert.match(shown.err, /stable@example\.org \(\+Cc\)/, 'a Cc: line with a comment after the address');
    assert.match(shown.out, /^RCPT TO:<rita@example\.net>\r$/m);
    const suppressed = await run([out, '--to', 'list@example.org', '--from', SENDER, '--dry-run', '--suppress-cc', 'misc-by', '--suppress-cc', 'bodycc']);
    assert.equal(suppressed.code, 0, suppressed.err);
    assert.doesNotMatch(suppressed.out, /^RCPT TO:<(rita@example\.net|stable@example\.org)>/m);
    assert.match(suppressed.out, /^RCPT TO:<anna@example\.org>\r$/m, 'the author is still copied');
  });

  it('takes To and Cc from the profile unless the repository\u2019s sendemail.to says otherwise; --to-cmd adds a To per patch, marked; a failing command refuses the series', async () => {
    const out = formatSeries(repo);
    const relay = profile(2525, ['defaults:', '  to: Prof List <prof-list@example.org>', '  cc: carl@example.org']);
    const fromProfile = await run([out, '--profile-file', relay, '--from', SENDER, '--dry-run']);
    assert.equal(fromProfile.code, 0, fromProfile.err);
    assert.match(fromProfile.out, /^RCPT TO:<prof-list@example\.org>\r$/m);
    assert.match(fromProfile.out, /^RCPT TO:<carl@example\.org>\r$/m);
    assert.match(fromProfile.err, /To: Prof List <prof-list@example\.org>\n/, 'named by the user: not marked as added');

    git(repo.dir, ['config', 'sendemail.to', 'repo-list@example.org']);
    const fromRepository = await run([out, '--profile-file', relay, '--from', SENDER, '--dry-run']);
    assert.match(fromRepository.out, /^RCPT TO:<repo-list@example\.org>\r$/m);
    assert.doesNotMatch(fromRepository.out, /prof-list/);
    assert.match(fromRepository.out, /^RCPT TO:<carl@example\.org>\r$/m, 'no sendemail.cc: the profile\u2019s Cc stays');

    const script = join(repo.dir, 'tree-owner.sh');
    writeFileSync(script, '#!/bin/sh\ncase "$1" in *notes*) echo "Tom Tree <tom@example.org>";; esac\n', { mode: 0o755 });
    const withCommand = await run([out, '--profile-file', relay, '--from', SENDER, '--dry-run', '--to-cmd', script]);
    assert.equal(withCommand.code, 0, withCommand.err);
    assert.match(withCommand.err, /To: repo-list@example\.org, Tom Tree <tom@example\.org> \(\+to-cmd /);
    const rcptPerMessage = withCommand.out.split(/^=== /m).slice(1).map((m) => /RCPT TO:<tom@example\.org>/.test(m));
    assert.deepEqual(rcptPerMessage, [false, true, false, true], 'run per patch, with the patch file as its argument');

    writeFileSync(script, '#!/bin/sh\necho "no maintainers file" >&2\nexit 3\n', { mode: 0o755 });
    const failing = await run([out, '--profile-file', relay, '--from', SENDER, '--yes', '--to-cmd', script]);
    assert.equal(failing.code, 1);
    assert.match(failing.err, /error series-command --to-cmd: ".*tree-owner\.sh" exited with 3: no maintainers file/);
    assert.match(failing.err, /nothing was sent/);
  });

  it('stops an address command that does not finish, with the reason', async () => {
    const script = join(repo.dir, 'hang.sh');
    writeFileSync(script, '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
    const started = Date.now();
    const result = await runAddressCommand(script, join(repo.dir, 'x.patch'), repo.dir, 300);
    assert.deepEqual(result, { ok: false, reason: `"${script}" did not finish within 300 ms: it was stopped` });
    assert.ok(Date.now() - started < 20_000, 'it did not wait for the command');
  });

  it('refuses an unedited cover letter: the placeholder is reported on its line and nothing is sent', async () => {
    const out = formatSeries(repo, { editCover: false });
    const result = await run([out, '--to', 'list@example.org', '--from', SENDER, '--yes']);
    assert.equal(result.code, 1);
    assert.match(result.err, /0000-cover-letter\.patch:\d+:\d+ error series-cover-placeholder .*\*\*\* SUBJECT HERE \*\*\*/);
    assert.match(result.err, /series-cover-placeholder .*\*\*\* BLURB HERE \*\*\*/);
    assert.match(result.err, /nothing was sent/);
    assert.throws(() => readdirSync(join(repo.dir, '.mailsmith', 'inbox')), 'the capture inbox never started');
  });

  it('keeps the thread when the server replaces each Message-ID (250 2.0.0 OK <NEW@...PROD.OUTLOOK.COM>)', async () => {
    const received: Buffer[] = [];
    const server = await startRawServer(rewritingServer(received));
    servers.push(server);
    const out = formatSeries(repo);
    const result = await run([out, '--profile-file', profile(server.port), '--to', 'list@example.org', '--from', SENDER, '--yes']);
    assert.equal(result.code, 0, result.out + result.err);
    assert.equal(received.length, 4);
    assert.match(result.out, /The server gave it the Message-ID <NEW-1@PROD\.OUTLOOK\.COM>/);
    for (const raw of received.slice(1)) {
      assert.equal(header(raw, 'In-Reply-To'), '<NEW-1@PROD.OUTLOOK.COM>', 'later messages refer to the ID the server kept');
    }
  });

  it('takes only a well-formed Message-ID from a server’s reply: a malformed or huge one leaves the thread on ours', async () => {
    const received: Buffer[] = [];
    const hostile = ['<bad id(x)@host>', `<${'x'.repeat(300)}@PROD.OUTLOOK.COM>`, '<no-at-sign>', '<"quoted"@x>'];
    const server = await startRawServer(rewritingServer(received, (n) => hostile[n - 1]));
    servers.push(server);
    const out = formatSeries(repo);
    const result = await run([out, '--profile-file', profile(server.port), '--to', 'list@example.org', '--from', SENDER, '--yes']);
    assert.equal(result.code, 0, result.out + result.err);
    assert.doesNotMatch(result.out, /The server gave it/);
    assertThreadedSeries(received);
  });

  it('sends nothing off a terminal without --yes: the review is printed and the server is never contacted', async () => {
    let connections = 0;
    const server = await startSmtpServer({ starttls: false, extra: { onConnect: (_s, cb) => (connections++, cb()) } });
    servers.push(server);
    const out = formatSeries(repo);
    const result = await run([out, '--profile-file', profile(server.port), '--to', 'list@example.org', '--from', SENDER]);
    assert.equal(result.code, 1);
    assert.match(result.err, /Sending:\n.*4 messages from Sam Sender <sam@example\.com>/);
    assert.match(result.err, /not on a terminal, so nobody confirmed: pass --yes/);
    assert.equal(connections, 0);
    assert.equal(server.received.length, 0);
  });

  it('takes batchSize and reloginDelaySeconds from the profile: 2 connections for 4 messages, the second after the wait', async () => {
    const connectedAt: number[] = [];
    const server = await startSmtpServer({ starttls: false, extra: { onConnect: (_s, cb) => (connectedAt.push(Date.now()), cb()) } });
    servers.push(server);
    const out = formatSeries(repo);
    const started = Date.now();
    const result = await run([out, '--profile-file', profile(server.port, ['batchSize: 2', 'reloginDelaySeconds: 1']), '--to', 'list@example.org', '--from', SENDER, '--yes']);
    assert.equal(result.code, 0, result.out + result.err);
    assert.match(result.err, /2 messages per connection/, 'the review says so');
    assert.equal(server.received.length, 4);
    assert.equal(connectedAt.length, 2);
    // A lower bound only: the wait is at least the delay, however busy the machine.
    assert.ok(connectedAt[1] - connectedAt[0] >= 1000, `the second connection came ${connectedAt[1] - connectedAt[0]} ms after the first`);
    assert.ok(Date.now() - started >= 1000);
    assertThreadedSeries(server.received.map((r) => r.raw));
  });

  it('stops before the next message when cancelled, and says which went and which to send again (the core, as both faces call it)', async () => {
    const server = await startSmtpServer({ starttls: false });
    servers.push(server);
    const out = formatSeries(repo);
    const profile: SmtpProfile = { name: 'Test relay', host: '127.0.0.1', port: server.port, security: 'none' };
    const plan = await planSeries({ cwd: repo.dir, paths: [out], profile, from: SENDER, to: ['list@example.org'] });
    assert.ok(plan.sendable, plan.problems.map((p) => p.message).join('\n'));
    const controller = new AbortController();
    const stateDir = join(repo.dir, '.state');
    const result = await sendSeries(plan, profile, {
      logger: silentLogger,
      stateDir,
      face: 'test',
      secrets: noSecrets,
      signal: controller.signal,
      // The person presses Cancel once the first message is out.
      onProgress: ({ done }) => done === 1 && controller.abort(),
      confirm: async () => true,
    });
    assert.equal(result.status, 'done');
    if (result.status !== 'done') return;
    assert.deepEqual(result.results.map((r) => r.status), ['sent', 'not-sent', 'not-sent', 'not-sent']);
    assert.deepEqual(result.resend, [1, 2, 3]);
    assert.equal(result.stopped, 'the send was cancelled');
    assert.equal(server.received.length, 1, 'nothing after the cancel');
    assert.equal(new SeriesState(stateDir).lastRunOf(plan.files).length, 1, 'the one that went is remembered for --continue');
  });

  it('opens a new connection every batchSize messages: 2 connections for 4 messages', async () => {
    let connections = 0;
    const server = await startSmtpServer({ starttls: false, extra: { onConnect: (_s, cb) => (connections++, cb()) } });
    servers.push(server);
    const out = formatSeries(repo);
    const result = await run([out, '--profile-file', profile(server.port), '--to', 'list@example.org', '--from', SENDER, '--batch-size', '2', '--yes']);
    assert.equal(result.code, 0, result.out + result.err);
    assert.equal(server.received.length, 4);
    assert.equal(connections, 2);
    assertThreadedSeries(server.received.map((r) => r.raw));
  });

  it('stops at the first failure and --continue sends the rest in the same thread, under the cover letter that went', async () => {
    let refuse = true;
    const server = await startSmtpServer({ starttls: false, afterData: () => (refuse && server.received.length === 2 ? { code: 451, message: 'try later' } : undefined) });
    servers.push(server);
    const out = formatSeries(repo);
    const args = [out, '--profile-file', profile(server.port), '--to', 'list@example.org', '--from', SENDER, '--yes'];
    const first = await run(args);
    assert.equal(first.code, 1, first.out + first.err);
    assert.equal(server.received.length, 2);
    assert.match(first.err, /2 message\(s\) not sent: 3, 4\..*--continue/);
    refuse = false;
    const rest = await run([...args, '--continue']);
    assert.equal(rest.code, 0, rest.out + rest.err);
    assertThreadedSeries(server.received.map((r) => r.raw));
    assert.match(rest.out, /already/);
  });

  it('never sends a message twice whose outcome was unknown: --continue sends only the rest, --resend-unknown asks for it', async () => {
    let handedOver = 0;
    const server = await startRawServer(
      scriptedSmtp({
        // The second message is handed over, then the connection drops before the reply: it may have arrived.
        afterDot: (socket) => (++handedOver === 2 ? socket.destroy() : socket.write('250 OK queued\r\n')),
      }),
    );
    servers.push(server);
    const out = formatSeries(repo);
    const args = [out, '--profile-file', profile(server.port), '--to', 'list@example.org', '--from', SENDER, '--yes'];
    const first = await run(args);
    assert.equal(first.code, 4, first.out + first.err);
    assert.equal(handedOver, 2);
    assert.match(first.err, /Outcome unknown for message\(s\) 2: .*--continue does not send it again unless you add --resend-unknown/);
    assert.match(first.err, /2 message\(s\) not sent: 3, 4\./);
    const rest = await run([...args, '--continue']);
    assert.equal(rest.code, 0, rest.out + rest.err);
    assert.equal(handedOver, 4, 'the rest went (3 and 4), and message 2 was not handed over again');
    const again = await run([...args, '--continue', '--resend-unknown']);
    assert.equal(again.code, 0, again.out + again.err);
    assert.equal(handedOver, 5, 'asked for, the unknown one goes again (and only it)');
  });

  it('does not run a cc command that the repository\u2019s own config names, and says so; --cc-cmd runs it', async () => {
    const script = join(repo.dir, 'maintainers.sh');
    writeFileSync(script, '#!/bin/sh\necho "Mai Ntainer <mai@example.org>"\n', { mode: 0o755 });
    git(repo.dir, ['config', 'sendemail.ccCmd', script]);
    const out = formatSeries(repo);
    const quiet = await run([out, '--to', 'list@example.org', '--from', SENDER, '--dry-run']);
    assert.equal(quiet.code, 0, quiet.err);
    assert.doesNotMatch(quiet.out, /mai@example\.org/);
    assert.match(quiet.err, /names sendemail\.cccmd ".*maintainers\.sh"; it was not run/);
    const asked = await run([out, '--to', 'list@example.org', '--from', SENDER, '--dry-run', '--cc-cmd', script]);
    assert.match(asked.out, /^RCPT TO:<mai@example\.org>\r$/m);
    assert.match(asked.err, /Mai Ntainer <mai@example\.org> \(\+cc-cmd /);
  });

  it('refuses mixed versions, a patch that does not apply to its base, and a missing Signed-off-by the repository asks for', async () => {
    const out = formatSeries(repo);
    git(repo.dir, ['format-patch', '-q', '-v2', '-o', join(repo.dir, 'v2'), '-1']);
    const v2 = readdirSync(join(repo.dir, 'v2'))[0];
    writeFileSync(join(out, `0009-${v2}`), readFileSync(join(repo.dir, 'v2', v2)));
    const mixed = await run([out, '--to', 'list@example.org', '--from', SENDER, '--dry-run']);
    assert.equal(mixed.code, 1);
    assert.match(mixed.err, /error series-mixed-versions \[PATCH v2\] is version 2, but the series is version 1/);
    rmSync(join(out, `0009-${v2}`));

    const mention = readdirSync(out).find((n) => n.includes('Mention-the-notes'))!;
    writeFileSync(join(out, mention), readFileSync(join(out, mention), 'utf8').replace('\n A scratch project.\n', '\n Some other project.\n'));
    const broken = await run([out, '--to', 'list@example.org', '--from', SENDER, '--dry-run']);
    assert.equal(broken.code, 1);
    assert.match(broken.err, /Mention-the-notes\.patch:\d+:\d+ error series-patch-does-not-apply this patch does not apply on its base .* after the patches before it/);
    git(repo.dir, ['checkout', '-q', '--', '.']);
    rmSync(out, { recursive: true });

    const fresh = formatSeries(repo);
    const wide = readdirSync(fresh).find((n) => n.includes('wide'))!;
    writeFileSync(join(fresh, wide), readFileSync(join(fresh, wide), 'utf8').replace(/Signed-off-by: .*\n/, ''));
    assert.equal((await run([fresh, '--to', 'list@example.org', '--from', SENDER, '--dry-run'])).code, 0, 'no sign-off asked for yet');
    git(repo.dir, ['config', 'format.signOff', 'true']);
    const unsigned = await run([fresh, '--to', 'list@example.org', '--from', SENDER, '--dry-run']);
    assert.equal(unsigned.code, 1);
    assert.match(unsigned.err, /wide-file\.patch:\d+:\d+ error series-missing-signoff no Signed-off-by from the author \(sam@example\.com\), and the repository sets format\.signOff/);
  });

  it('reads a series from one mbox, and remembers the IDs sent so the next version can refer to them', async () => {
    const mbox = join(repo.dir, 'series.mbox');
    writeFileSync(mbox, git(repo.dir, ['format-patch', '--stdout', '--cover-letter', 'HEAD~3']).replace('*** SUBJECT HERE ***', 'Notes').replace('*** BLURB HERE ***', 'Hi.'));
    const sent = await run([mbox, '--to', 'list@example.org', '--from', SENDER, '--yes']);
    assert.equal(sent.code, 0, sent.err);
    assert.equal([...sent.out.matchAll(/Captured in /g)].length, 4, 'four messages from one mbox');
    const coverId = /^1\. sent .*\n.*Message-ID: (<[^>]+>)/m.exec(sent.out)?.[1];
    assert.ok(coverId, sent.out);
    const v2 = join(repo.dir, 'v2');
    git(repo.dir, ['format-patch', '-q', '-v2', '--cover-letter', '-o', v2, 'HEAD~3']);
    const cover = join(v2, readdirSync(v2).sort()[0]);
    writeFileSync(cover, readFileSync(cover, 'utf8').replace('*** SUBJECT HERE ***', 'Notes').replace('*** BLURB HERE ***', 'Changes since v1: none.'));
    const next = await run([v2, '--to', 'list@example.org', '--from', SENDER, '--dry-run']);
    assert.ok(next.err.includes(`v1 of "Notes" was sent on`) && next.err.includes(`--in-reply-to ${coverId}`), next.err);
  });

  it('--rev runs format-patch with a cover letter into a folder of its own and stops for the cover letter to be written', async () => {
    const made = await run(['--rev', 'HEAD~3']);
    assert.equal(made.code, 0, made.err);
    const dir = join(repo.dir, '.mailsmith', 'series', 'HEAD~3');
    assert.deepEqual(readdirSync(dir).length, 4);
    assert.match(made.err, /Write the cover letter/);
    const again = await run(['--rev', 'HEAD~3']);
    assert.equal(again.code, 1, 'an existing series is never overwritten');
    assert.match(again.err, /already holds a series/);
    const refused = await run([dir, '--to', 'list@example.org', '--dry-run']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /series-cover-placeholder/);
  });
});

/** An SMTP server that answers each message with a Message-ID of its own, as Outlook does, and keeps the bytes. */
function rewritingServer(received: Buffer[], idOf = (n: number) => `<NEW-${n}@PROD.OUTLOOK.COM>`) {
  let count = 0;
  return (socket: Socket) => {
    socket.write('220 outlook.test ESMTP\r\n');
    let buffer = Buffer.alloc(0);
    let inData = false;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          received.push(Buffer.from(buffer.subarray(0, end + 2).toString('latin1').replace(/^\.\./gm, '.'), 'latin1'));
          buffer = buffer.subarray(end + 5);
          inData = false;
          socket.write(`250 2.0.0 OK ${idOf(++count)} [Hostname=XYZ.PROD.OUTLOOK.COM]\r\n`);
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl === -1) return;
        const line = buffer.subarray(0, nl).toString('latin1');
        buffer = buffer.subarray(nl + 2);
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') socket.write('250-outlook.test\r\n250-8BITMIME\r\n250 SIZE 10000000\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
  };
}

// A profile from git send-email's settings (a git config file, `git config -l` output, identities), and the
// password from git's credential helpers: the user's own helpers only, never one a repository names.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { detectImportFormat, importProfile } from '../../../src/core/profiles/import';
import { startSmtpServer } from '../../support/smtpServers';
import { recordingIo } from '../cli/checkIo';
import { formatSeries, git, scratchRepo, SENDER } from './scratchRepo';

const GITCONFIG = `# ~/.gitconfig
[user]
\tname = Sam Sender
[sendemail]
\tsmtpServer = smtp.example.org
\tsmtpServerPort = 587
\tsmtpEncryption = tls
\tsmtpUser = sam@example.com
\tsmtpPass = "s3cr;et"   ; the password, in plain text
\tfrom = Sam Sender <sam@example.com>
\tto = list@example.org
\tcc = a@example.org
\tcc = b@example.org
\tccCmd = scripts/get_maintainer.pl --nogit
\tsmtpBatchSize = 50
\tsmtpReloginDelay = 5
\tidentity = work
[sendemail "work"]
\tsmtpServer = smtp.work.example
\tsmtpServerPort = 465
\tsmtpEncryption = ssl
\tsmtpAuth = PLAIN
\tsmtpBatchSize = 10
`;

describe('series: profile import from git send-email settings', function () {
  this.timeout(30_000);

  it('reads a git config file: the identity\u2019s server wins, the rest comes from sendemail.*, the password apart', () => {
    assert.equal(detectImportFormat(GITCONFIG), 'git');
    const result = importProfile(GITCONFIG);
    assert.ok(result.ok, !result.ok ? result.error : '');
    assert.deepEqual(result.profile, {
      name: 'work',
      host: 'smtp.work.example',
      port: 465,
      security: 'tls',
      user: 'sam@example.com',
      auth: 'PLAIN',
      batchSize: 10,
      reloginDelaySeconds: 5,
      defaults: { from: 'Sam Sender <sam@example.com>', to: 'list@example.org', cc: 'a@example.org, b@example.org' },
    });
    assert.deepEqual(result.secret, { password: 's3cr;et' });
    assert.ok(result.notes.some((n) => /cccmd/.test(n)), result.notes.join('\n'));
    assert.ok(!result.notes.some((n) => /smtpbatchsize|smtprelogindelay/.test(n)), 'the server’s limits are part of the profile');
  });

  it('imports the server’s limit on messages per connection, and names a value it cannot use', () => {
    const text = (batch: string, delay: string) => `[sendemail]\n\tsmtpServer = smtp.example.org\n\tsmtpBatchSize = ${batch}\n\tsmtpReloginDelay = ${delay}\n`;
    const zero = importProfile(text('0', '0'));
    assert.ok(zero.ok);
    assert.equal(zero.profile.batchSize, undefined, 'git: 0 means all messages in one connection');
    assert.equal(zero.profile.reloginDelaySeconds, 0);
    const bad = importProfile(text('lots', '-1'));
    assert.ok(bad.ok);
    assert.equal(bad.profile.batchSize, undefined);
    assert.equal(bad.profile.reloginDelaySeconds, undefined);
    assert.ok(bad.notes.some((n) => /smtpBatchSize "lots" is not a number/.test(n)) && bad.notes.some((n) => /smtpReloginDelay "-1"/.test(n)), bad.notes.join('\n'));
  });

  it('reads `git config -l` of a repository configured with git itself, and the CLI prints no password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailsmith-gitimport-'));
    try {
      git(dir, ['init', '-q']);
      for (const [k, v] of [['sendemail.smtpServer', 'smtp.example.org'], ['sendemail.smtpServerPort', '587'], ['sendemail.smtpEncryption', 'tls'], ['sendemail.smtpUser', 'sam'], ['sendemail.smtpPass', 'pa55word']]) git(dir, ['config', k, v]);
      const list = git(dir, ['config', '-l', '--local']);
      const io = recordingIo(list);
      const code = await main(['profile', 'import', '-'], io);
      assert.equal(code, 0, io.err);
      assert.match(io.out, /^host: smtp\.example\.org$/m);
      assert.match(io.out, /^port: 587$/m);
      assert.match(io.out, /^security: starttls$/m);
      assert.ok(!io.out.includes('pa55word') && !io.err.includes('pa55word'), 'the password is never printed');
      assert.match(io.err, /password .* dropped/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a sendmail program and a config without a server, with the reason', () => {
    const sendmail = importProfile('[sendemail]\n\tsmtpServer = /usr/sbin/sendmail\n');
    assert.ok(!sendmail.ok && /sendmail.*SMTP only/.test(sendmail.error));
    const none = importProfile('[sendemail]\n\tfrom = a@example.org\n');
    assert.ok(!none.ok && /smtpServer/.test(none.error));
  });

  it('sends a series with the password from the user\u2019s git credential helper, never from one the repository names', async () => {
    const server = await startSmtpServer({ starttls: false, auth: { user: 'sam', password: 'helper-pa55' } });
    const repo = scratchRepo();
    const home = mkdtempSync(join(tmpdir(), 'mailsmith-gitcred-'));
    try {
      const out = formatSeries(repo);
      writeFileSync(join(repo.dir, 'profile.yaml'), `name: relay\nhost: 127.0.0.1\nport: ${server.port}\nsecurity: none\nuser: sam\n`);
      // A repository's helper would answer with its own password: it must never run.
      git(repo.dir, ['config', 'credential.helper', '!f() { echo password=from-the-repository; }; f']);
      const run = async (globalConfig: string) => {
        const io = recordingIo();
        io.cwd = repo.dir;
        io.env = { ...process.env, MAILSMITH_STATE_DIR: join(repo.dir, '.state'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: globalConfig } as Record<string, string>;
        const code = await main(['series', out, '--profile-file', 'profile.yaml', '--to', 'list@example.org', '--from', SENDER, '--yes'], io);
        return { code, out: io.out, err: io.err };
      };
      const refused = await run('/dev/null');
      assert.equal(refused.code, 1, refused.out + refused.err);
      assert.match(refused.err, /no password|credential helpers have none/);
      assert.equal(server.received.length, 0);

      const creds = join(home, 'credentials');
      writeFileSync(creds, `smtp://sam:helper-pa55@127.0.0.1%3a${server.port}\n`);
      writeFileSync(join(home, 'gitconfig'), `[credential]\n\thelper = store --file=${creds}\n`);
      const sent = await run(join(home, 'gitconfig'));
      assert.equal(sent.code, 0, sent.out + sent.err);
      assert.equal(server.received.length, 4);
      assert.ok(![sent.out, sent.err].some((t) => t.includes('helper-pa55')), 'the password is never printed');
    } finally {
      repo.close();
      rmSync(home, { recursive: true, force: true });
      await server.close();
    }
  });
});

// What every command shares: arguments parsed one way (node:util parseArgs), --help from the same
// declaration, the profile's defaults and rule levels applied as a send would apply them, and the files that
// travel listed with their real paths.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../../src/cli/commands';
import { main } from '../../../src/cli/main';
import { countWorkOf } from '../../../src/core/probe';
import { recordingIo } from './checkIo';

describe('mailsmith commands', function () {
  this.timeout(20_000);
  let dir: string;
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const io = recordingIo();
    io.cwd = dir;
    io.env = { MAILSMITH_STATE_DIR: join(dir, 'state'), ...env };
    const code = await main(args, io);
    return { code, out: io.out, err: io.err };
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-commands-'));
    mkdirSync(join(dir, 'repo', '.git'), { recursive: true });
    mkdirSync(join(dir, 'repo', 'mail'));
    writeFileSync(join(dir, 'repo', 'mail', 'no-from.eml'), 'To: bob@example.org\nSubject: Defaults\n\nHi\n');
    writeFileSync(join(dir, 'repo', 'mail', 'attach.eml'), 'From: ann@example.com\nTo: bob@example.org\nSubject: Files\nAttach: ../notes.txt\n\nSee notes.\n');
    writeFileSync(join(dir, 'repo', 'notes.txt'), 'notes\n');
    writeFileSync(join(dir, 'secret.txt'), 'not for mail\n');
    writeFileSync(join(dir, 'repo', 'mail', 'leak.eml'), `From: ann@example.com\nTo: bob@example.org\nSubject: Leak\nAttach: ../../secret.txt\n\nHi\n`);
    writeFileSync(join(dir, 'profile.yaml'), 'name: work\nhost: 127.0.0.1\nport: 2525\nsecurity: none\ndefaults:\n  from: Ann <ann@example.com>\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every command answers --help with its own usage, exit 0', async () => {
    for (const command of commands) {
      const { code, out } = await run([command.spec.name, '--help']);
      assert.equal(code, 0, command.spec.name);
      assert.match(out, new RegExp(`^Usage: mailsmith ${command.spec.name} `), command.spec.name);
      assert.match(out, /-h, --help/);
    }
  });

  it('takes --format=json and --format json alike, in every command that has a format', async () => {
    for (const name of ['check', 'prepare']) {
      const clock = name === 'prepare' ? ['--now', '2026-11-30T10:00:00Z'] : [];
      const spaced = await run([name, '--format', 'json', ...clock, 'repo/mail/attach.eml']);
      const joined = await run([name, '--format=json', ...clock, 'repo/mail/attach.eml']);
      assert.equal(spaced.code, 0, spaced.err);
      assert.equal(joined.out, spaced.out, name);
      assert.doesNotThrow(() => JSON.parse(spaced.out), name);
    }
  });

  it('a value missing after an option is a usage error, never a silent default', async () => {
    for (const args of [['doctor', '--profile-file'], ['check', '--profile-file'], ['send', 'x.eml', '--profile-file'], ['check', '--rule']]) {
      const { code, err } = await run(args);
      assert.equal(code, 2, args.join(' '));
      assert.match(err, /needs a value/, args.join(' '));
    }
  });

  it('check --profile-file judges a message with the profile\'s defaults, as send would', async () => {
    const bare = await run(['check', 'repo/mail/no-from.eml']);
    assert.equal(bare.code, 1);
    assert.match(bare.out, /error missing-from/);
    const withProfile = await run(['check', '--profile-file', 'profile.yaml', 'repo/mail/no-from.eml']);
    assert.equal(withProfile.code, 0, withProfile.out + withProfile.err);
    assert.doesNotMatch(withProfile.out, /missing-from/);
    const prepared = await run(['prepare', '--profile-file', 'profile.yaml', 'repo/mail/no-from.eml']);
    assert.equal(prepared.code, 0, prepared.err);
    assert.match(prepared.out, /^MAIL FROM:<ann@example\.com>$/m);
  });

  it('lists the files that travel with their real paths, and refuses one outside the repository unless allowed', async () => {
    const inside = JSON.parse((await run(['check', '--format', 'json', 'repo/mail/attach.eml'])).out);
    assert.deepEqual(inside[0].files.map((f: Record<string, unknown>) => [f.path, f.status, f.realPath, f.size]), [['../notes.txt', 'ok', join(dir, 'repo', 'notes.txt'), 6]]);
    const leak = await run(['check', 'repo/mail/leak.eml']);
    assert.equal(leak.code, 1);
    assert.match(leak.out, /leak\.eml:4:9 error attachment-outside attachment "\.\.\/\.\.\/secret\.txt" is not sent: it is outside .*repo/);
    const sent = await run(['send', '--yes', 'repo/mail/leak.eml']);
    assert.equal(sent.code, 1, 'the send is refused too');
    const allowed = await run(['check', '--allow-outside-files', 'repo/mail/leak.eml']);
    assert.equal(allowed.code, 0, allowed.out);
    const prepared = await run(['prepare', '--allow-outside-files', 'repo/mail/leak.eml']);
    assert.match(prepared.out, /secret\.txt \(attachment, 13 B, OUTSIDE the message folder\) from .*secret\.txt/);
  });

  it('applies --rule and the project file, and rejects an unknown code', async () => {
    writeFileSync(join(dir, 'repo', '.mailsmith.yaml'), 'rules:\n  missing-date: off\n');
    const { out } = await run(['check', '--rule', 'bare-lf=off', 'repo/mail/attach.eml']);
    assert.doesNotMatch(out, /bare-lf|missing-date/);
    const raised = await run(['check', '--rule=missing-message-id=error', 'repo/mail/attach.eml']);
    assert.equal(raised.code, 1);
    const bad = await run(['check', '--rule', 'nonsense=off', 'repo/mail/attach.eml']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown problem code "nonsense"/);
    rmSync(join(dir, 'repo', '.mailsmith.yaml'));
  });

  it('never prints a control character from the file: an ESC in a field name reaches the terminal escaped', async () => {
    writeFileSync(join(dir, 'repo', 'mail', 'escape.eml'), 'From: ann@example.com\nTo: bob@example.org\nX-\u001b[31mRed: 1\nSubject: s\n\nHi\n');
    const { out } = await run(['check', 'repo/mail/escape.eml']);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(out), JSON.stringify(out));
    assert.match(out, /\\x1b\[31m/);
  });

  it('check on a missing file is an error with no summary line', async () => {
    const { code, out, err } = await run(['check', 'nowhere.eml']);
    assert.equal(code, 2);
    assert.equal(out, '');
    assert.match(err, /cannot read "nowhere\.eml": no such file/);
  });

  it('send goes through the core\'s send use case once, scanning the document once', async () => {
    const { result, counts } = await countWorkOf(() => run(['send', '--yes', 'repo/mail/attach.eml', '--inbox-dir', join(dir, 'inbox')]));
    assert.equal(result.code, 0, result.out + result.err);
    assert.equal(counts.sendDocument, 1);
    assert.equal(counts.fileStat, 1, 'the attachment looked at once');
    assert.equal(counts.scan, 2, 'the document, and the composed message it became');
  });
});

// The documented way to get the `mailsmith` command: `npm run package` packs the CLI as its own tarball, which
// installs into an empty prefix with no network (everything is bundled) and runs from outside the repository:
// check, prepare and a send to the capture inbox, through the installed bin.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBundle } from '../../support/bundle';
import { repoRoot } from '../../support/paths';

describe('the CLI tarball, installed into an empty prefix', function () {
  this.timeout(180_000);
  let work: string;
  let bin: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'mailsmith-install-'));
    ensureBundle();
    const packed = spawnSync(process.execPath, ['scripts/package-cli.mjs', '--out', join(work, 'pack')], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(packed.status, 0, packed.stderr);
    const tarball = packed.stdout.trim();
    assert.match(tarball, /mailsmith-cli-\d+\.\d+\.\d+\.tgz$/);
    // An empty prefix and an empty npm cache: nothing is fetched, because the tarball depends on nothing.
    const env = { ...cleanEnv(), npm_config_cache: join(work, 'npm-cache') };
    const installed = spawnSync('npm', ['install', '-g', '--prefix', join(work, 'prefix'), '--offline', '--no-audit', '--no-fund', tarball], { cwd: work, encoding: 'utf8', env });
    assert.equal(installed.status, 0, installed.stderr);
    bin = join(work, 'prefix', 'bin', 'mailsmith');
    assert.ok(existsSync(bin), `npm put the command at ${bin}`);
    writeFileSync(join(work, 'hello.eml'), 'From: Ann <ann@example.com>\r\nTo: bob@example.org\r\nSubject: Installed\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <installed@example.com>\r\n\r\nHello.\r\n');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const mailsmith = (...args: string[]) => spawnSync(bin, args, { cwd: work, encoding: 'utf8', env: { ...cleanEnv(), MAILSMITH_STATE_DIR: join(work, 'state') } });

  it('checks a message outside the repository', () => {
    const run = mailsmith('check', 'hello.eml');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'no problems in 1 file\n');
  });

  it('prepares it and sends it to a capture inbox, loading its lazy chunks from the installed package', () => {
    assert.equal(mailsmith('prepare', 'hello.eml').status, 0);
    const sent = mailsmith('send', '--yes', 'hello.eml', '--inbox-dir', join(work, 'inbox'));
    assert.equal(sent.status, 0, sent.stderr);
    assert.match(sent.stdout, /^Sent to bob@example\.org/m);
    assert.equal(readdirSync(join(work, 'inbox')).filter((f) => f.endsWith('.eml')).length, 1);
  });

  it('answers --version and --help', () => {
    assert.match(mailsmith('--version').stdout, /^\d+\.\d+\.\d+\n$/);
    assert.match(mailsmith('--help').stdout, /^Usage: mailsmith <command>/);
  });
});

/** The environment without an outer npm's own variables (they would steer the inner npm). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_|^INIT_CWD$/i.test(key)));
}

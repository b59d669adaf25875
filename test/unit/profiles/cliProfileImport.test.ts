import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { main } from '../../../src/cli/main';
import { fixture } from '../../support/paths';
import { recordingIo } from '../cli/checkIo';

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const io = recordingIo(stdin);
  io.cwd = process.cwd();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe('cli: mailsmith profile import', () => {
  it('prints the profile file for a Dapr component, drops the password and says so on stderr', async () => {
    const { code, out, err } = await run(['profile', 'import', fixture('import', 'dapr-plain.yaml')]);
    assert.equal(code, 0, err);
    assert.ok(!out.includes('Plain-Text-Pa55') && !err.includes('Plain-Text-Pa55'));
    const profile = parse(out) as Record<string, unknown>;
    assert.equal(profile.name, 'notifications');
    assert.equal(profile.host, 'smtp.example.com');
    assert.equal(profile.port, 587);
    assert.equal(profile.security, 'starttls-optional');
    assert.equal(profile.verifyCertificate, false);
    assert.match(err, /dropped.*passwordEnv/s);
  });

  it('reads a curl command from standard input with "-"', async () => {
    const { code, out, err } = await run(['profile', 'import', '-'], readFileSync(fixture('import', 'curl-gmail.txt'), 'utf8'));
    assert.equal(code, 0, err);
    assert.ok(!out.includes('abcd efgh'));
    assert.deepEqual(parse(out), {
      name: 'smtp.gmail.com',
      host: 'smtp.gmail.com',
      port: 587,
      security: 'starttls',
      user: 'me@gmail.com',
      ehloName: 'laptop.example.net',
      defaults: { from: 'me@gmail.com', to: 'friend@example.com, other@example.com' },
    });
  });

  it('imports a Sesam system with --name and prints no password note when there was none', async () => {
    const { code, out, err } = await run(['profile', 'import', fixture('import', 'sesam-config.json'), '--name', 'Sesam relay']);
    assert.equal(code, 0, err);
    const profile = parse(out) as Record<string, unknown>;
    assert.equal(profile.name, 'Sesam relay');
    assert.equal(profile.passwordEnv, 'SMTP_PASSWORD');
    assert.doesNotMatch(err, /dropped/);
  });

  it('exits 1 with a clear one-line message on malformed input, printing nothing to stdout', async () => {
    for (const file of ['dapr-malformed.yaml', 'sesam-malformed.json', 'dapr-bad-port.yaml']) {
      const { code, out, err } = await run(['profile', 'import', fixture('import', file)]);
      assert.equal(code, 1, file);
      assert.equal(out, '');
      assert.match(err, new RegExp(`^mailsmith profile: .*${file.replace('.', '\\.')}: `));
    }
    const missing = await run(['profile', 'import', fixture('import', 'nope.yaml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no such file/);
  });

  it('refuses an import the core would not accept, listing each field', async () => {
    const { code, out, err } = await run(['profile', 'import', '-'], 'curl smtp://bad_host!.example --mail-from nobody');
    assert.equal(code, 1);
    assert.equal(out, '');
    assert.match(err, /the imported profile is not usable:\n  host: .*\n  defaults\.from: /);
  });

  it('passes on the core\'s warnings, e.g. a STARTTLS profile on port 465', async () => {
    const { code, err } = await run(['profile', 'import', '-'], 'curl --ssl-reqd smtp://mail.example.com:465');
    assert.equal(code, 0);
    assert.match(err, /warning: port: Port 465 normally expects implicit TLS/);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await run(['profile', 'import'])).code, 2);
    assert.equal((await run(['profile', 'export'])).code, 2);
    assert.equal((await run(['profile', 'import', 'a', '--format', 'xml'])).code, 2);
  });
});

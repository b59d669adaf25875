// Credential commands run for real through the shell: the first line is the secret, a pipeline works, a
// failure is a clear profile error with the command's standard error and never the secret, a command that
// hangs is stopped at its timeout (its whole process group), and it runs in the home folder with no input.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandSecrets, runSecretCommand } from '../../../src/core/secrets/command';
import { SecretUnavailable } from '../../../src/core/secrets/provider';
import type { SmtpProfile } from '../../../src/core/profiles/profile';

const SECRET = 's3cret-Pa55_from-the-manager';
const what = { profile: 'work', field: 'passwordCommand' as const };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function failure(promise: Promise<unknown>): Promise<SecretUnavailable> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SecretUnavailable, `a SecretUnavailable, not ${String(err)}`);
    return err;
  }
  assert.fail('the command was expected to fail');
}

describe('credential commands', function () {
  this.timeout(15_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-cmd-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the first line of the output, without its line ending', async () => {
    assert.equal(await runSecretCommand(`printf '%s\\r\\nsecond line\\n' '${SECRET}'`, what), SECRET);
    assert.equal(await runSecretCommand(`printf '%s' '${SECRET}'`, what), SECRET, 'no newline at all');
    // Spaces inside and around a password are part of it.
    assert.equal(await runSecretCommand(`printf ' a b \\n'`, what), ' a b ');
  });

  it('runs a shell pipeline, as msmtp passwordeval does', async () => {
    const file = join(dir, 'secrets.txt');
    writeFileSync(file, `user: ann\npassword: ${SECRET}\n`);
    assert.equal(await runSecretCommand(`grep '^password:' '${file}' | cut -d' ' -f2`, what), SECRET);
  });

  it('a non-zero exit is a profile error with the exit status and stderr, and no secret even when echoed', async () => {
    const err = await failure(runSecretCommand(`echo '${SECRET}'; echo "gpg: decryption failed: No secret key (${SECRET})" >&2; exit 2`, what));
    assert.match(err.message, /the profile "work": passwordCommand failed with exit status 2; it said: gpg: decryption failed: No secret key/);
    assert.ok(!err.message.includes(SECRET), err.message);
  });

  it('empty output is a profile error, naming what the first line should have been', async () => {
    const err = await failure(runSecretCommand(`printf '\\nsecret on the second line\\n'`, { profile: 'work', field: 'tokenCommand' }));
    assert.match(err.message, /tokenCommand printed nothing on its first line \(that line is the access token\)/);
    assert.ok(!err.message.includes('second line'));
  });

  it('stops a command that hangs at its timeout, with the pipeline it started', async () => {
    const marker = join(dir, 'survived');
    const pidFile = join(dir, 'sleep.pid');
    const started = Date.now();
    const err = await failure(runSecretCommand(`sh -c 'echo $$ > "${pidFile}"; exec sleep 30' | cat; touch '${marker}'`, what, { timeoutMs: 300 }));
    assert.match(err.message, /did not finish within 0\.3 s and was stopped/);
    assert.ok(Date.now() - started < 10_000, 'it did not wait for the sleep');
    // The error comes once the shell has exited: killed with its group, it never ran the next command...
    assert.equal(existsSync(marker), false);
    // ...and the sleep inside the pipeline goes too (the signal reaches it at once; the kernel reaps it).
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    const deadline = Date.now() + 5000;
    while (isAlive(sleeper)) {
      assert.ok(Date.now() < deadline, `the pipeline's sleep (pid ${sleeper}) is still running`);
      await new Promise((r) => setImmediate(r));
    }
  });

  it('gets no input, runs in the home folder, and takes the given environment', async () => {
    const out = await runSecretCommand(`read line || echo "no-input:$PWD:$MAILSMITH_TEST_VALUE"`, what, { env: { ...process.env, MAILSMITH_TEST_VALUE: 'v1' } });
    assert.equal(out, `no-input:${homedir()}:v1`);
  });

  it('a command that cannot be found is a profile error with the shell\'s words', async () => {
    const err = await failure(runSecretCommand('mailsmith-no-such-password-manager --get', what));
    assert.match(err.message, /exit status 127; it said: .*not found/);
  });

  it('escapes and control characters from stderr do not reach the message', async () => {
    const err = await failure(runSecretCommand(`printf '\\033]0;pwned\\007\\033[31mred\\033[0m\\n' >&2; exit 1`, what));
    assert.ok(!/\u001b|\u0007/.test(err.message), JSON.stringify(err.message));
    assert.match(err.message, /red/);
  });

  it('as a profile\'s source: a password, or a token that a refusal fetches again', async () => {
    const counter = join(dir, 'n');
    writeFileSync(counter, '0');
    const profile: SmtpProfile = { name: 'cmd', host: '127.0.0.1', port: 25, security: 'none', user: 'ann', auth: 'XOAUTH2', tokenCommand: `n=$(cat '${counter}'); n=$((n+1)); echo $n > '${counter}'; echo "token-$n"` };
    const tokens = commandSecrets(profile);
    assert.deepEqual(await tokens.get(), { accessToken: 'token-1' });
    assert.deepEqual(await tokens.refresh!(), { accessToken: 'token-2', related: ['token-1'] });
    const same = commandSecrets({ ...profile, tokenCommand: 'echo same-token' });
    await same.get();
    assert.equal(await same.refresh!(), undefined, 'the same token again is not worth another try');
    const password = commandSecrets({ ...profile, auth: undefined, tokenCommand: undefined, passwordCommand: `echo '${SECRET}'` });
    assert.deepEqual(await password.get(), { password: SECRET });
    assert.equal(password.refresh, undefined);
    assert.deepEqual(await commandSecrets({ ...profile, user: undefined }).get(), {}, 'no user, no AUTH, no command run');
  });
});

// Credential commands: a profile's passwordCommand or tokenCommand runs, and the first line it prints is the
// secret, as with msmtp's passwordeval, aerc's outgoing-cred-cmd and neomutt's `<command>` passwords.
//
// The command line is handed to the user's shell (/bin/sh -c, cmd.exe on Windows) rather than split into
// words here: `gpg -dq ~/.mail.gpg | head -1` and `pass show mail | head -n1` are what these tools' users
// write, and only a shell runs them as written. That is safe because of where a command may come from: the
// user's own settings or a profile file named on the command line, never a workspace (see the README); the
// faces enforce it. The command gets no input, runs in the home folder (not a repository), and is stopped
// (with its process group) at its timeout. What it prints never reaches an error: a failure shows the exit
// status and its standard error, with the secret removed if it echoed it there.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { DEFAULT_TIMEOUTS, type SmtpProfile, type SmtpSecret } from '../profiles/profile';
import { scrubSecrets, secretNeedles } from '../send/redact';
import { sanitizeForDisplay } from '../send/sanitize';
import { SecretUnavailable, type SecretProvider } from './provider';

export interface CommandOptions {
  env?: Record<string, string | undefined>;
  /** Default: the home folder. */
  cwd?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The profile field that named the command, for messages. */
export type CommandField = 'passwordCommand' | 'tokenCommand';

const MAX_STDOUT = 1024 * 1024;
const MAX_STDERR_SHOWN = 600;

/** Runs `command` and gives the first line of its output; every failure is a SecretUnavailable that says why. */
export function runSecretCommand(command: string, what: { profile: string; field: CommandField }, options: CommandOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUTS.secretCommandMs;
  const label = `the profile "${what.profile}": ${what.field}`;
  return new Promise((resolve, reject) => {
    let stdout = Buffer.alloc(0);
    let stderr = '';
    let settled = false;
    let timedOut = false;
    const child = spawn(command, {
      shell: true,
      cwd: options.cwd ?? homedir(),
      env: (options.env ?? process.env) as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group, so that a timeout stops the whole pipeline, not only the shell.
      detached: process.platform !== 'win32',
    });
    const stop = () => {
      try {
        if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    const onAbort = () => stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new SecretUnavailable(message));
    };
    child.stdout.on('data', (chunk: Buffer) => {
      // The first line is all that is used: stop keeping the rest once there is plenty.
      if (stdout.length < MAX_STDOUT) stdout = Buffer.concat([stdout, chunk]);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-16 * 1024);
    });
    child.once('error', (err) => fail(`${label} could not be started (${err.message})`));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (settled) return;
      const firstLine = stdout.toString('utf8').split(/\r?\n/)[0];
      const shown = shownStderr(stderr, firstLine);
      const said = shown ? `; it said: ${shown}` : '';
      if (timedOut) return fail(`${label} did not finish within ${Math.round(timeoutMs / 100) / 10} s and was stopped (does it wait for input? it gets none)${said}`);
      if (options.signal?.aborted) return fail(`${label} was cancelled`);
      if (signal) return fail(`${label} was stopped by ${signal}${said}`);
      if (code !== 0) return fail(`${label} failed with exit status ${code}${said}`);
      if (firstLine.trim() === '') return fail(`${label} printed nothing on its first line (that line is the ${what.field === 'tokenCommand' ? 'access token' : 'password'})${said}`);
      settled = true;
      resolve(what.field === 'tokenCommand' ? firstLine.trim() : firstLine);
    });
  });
}

/** Standard error as one safe line: the secret removed (a command may echo it), escapes and controls too, cut short. */
function shownStderr(stderr: string, secret: string): string {
  const needles = secret.trim() ? secretNeedles(undefined, { password: secret }) : [];
  const text = sanitizeForDisplay(scrubSecrets(stderr, needles)).replace(/\s+/g, ' ').trim();
  const clean = scrubSecrets(text, needles);
  return clean.length > MAX_STDERR_SHOWN ? `${clean.slice(0, MAX_STDERR_SHOWN)}...` : clean;
}

/**
 * The credentials of a profile with a passwordCommand or tokenCommand. A token command runs again when the
 * server refuses its token (it may hand out a fresh one, as `oauth2ms` or `gcloud auth print-access-token` do);
 * a password command does not (it would only ask for the same password).
 */
export function commandSecrets(profile: SmtpProfile, options: CommandOptions = {}): SecretProvider {
  const field: CommandField = profile.tokenCommand !== undefined ? 'tokenCommand' : 'passwordCommand';
  const command = profile.tokenCommand ?? profile.passwordCommand ?? '';
  const timeoutMs = options.timeoutMs ?? profile.timeouts?.secretCommandMs;
  const run = () => runSecretCommand(command, { profile: profile.name, field }, { ...options, timeoutMs });
  const asSecret = (value: string): SmtpSecret => (field === 'tokenCommand' ? { accessToken: value } : { password: value });
  let last: string | undefined;
  return {
    async get() {
      if (!profile.user) return {};
      last = await run();
      return asSecret(last);
    },
    ...(field === 'tokenCommand'
      ? {
          async refresh() {
            const previous = last;
            last = await run();
            return last === previous ? undefined : { ...asSecret(last), ...(previous ? { related: [previous] } : {}) };
          },
        }
      : {}),
  };
}

// `mailsmith doctor`: tests a profile's connection step by step (DNS, TCP, greeting, EHLO, TLS, AUTH),
// sending nothing. Exit 1 when a step fails.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCAL_INBOX_DEFAULT_PORT, LOCAL_INBOX_PROFILE_NAME, type SmtpProfile } from '../../core/profiles';
import { runDoctor, type DoctorStep } from '../../core/send';
import { CliError, type CliCommand } from '../io';
import { cliLogger } from '../logger';
import { loadProfileFile, promptHidden, readSecret } from '../profileFile';

const USAGE = `Usage: mailsmith doctor [--profile-file F.yaml [--profile NAME]] [--port P] [--inbox-dir D] [-v]

Checks the connection a profile describes, one step at a time, and says what each failure means.
Nothing is sent. -v also prints the SMTP dialogue (credentials redacted).
With no profile file it checks the local capture inbox that \`mailsmith inbox\` runs: 127.0.0.1, port P
(default ${LOCAL_INBOX_DEFAULT_PORT}), trusting the certificate kept in D/.tls (default ./.mailsmith/inbox).`;

const MARK: Record<DoctorStep['status'], string> = { pass: 'ok  ', fail: 'FAIL', skip: 'skip', warn: 'warn' };

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: "Test a profile's connection step by step, sending nothing",
  async run(args, io) {
    let profileFile: string | undefined;
    let profileName: string | undefined;
    let verbose = false;
    let port = LOCAL_INBOX_DEFAULT_PORT;
    let inboxDir = join('.mailsmith', 'inbox');
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === '--help' || arg === '-h') {
        io.stdout(USAGE + '\n');
        return 0;
      } else if (arg === '--profile-file') profileFile = args[++i];
      else if (arg === '--profile') profileName = args[++i];
      else if (arg === '-v' || arg === '--verbose') verbose = true;
      else if (arg === '--port') port = Number(args[++i]);
      else if (arg === '--inbox-dir') inboxDir = args[++i] ?? '';
      else throw new CliError(`unknown option "${arg}"\n\n${USAGE}`);
    }
    if (profileName && !profileFile) throw new CliError('--profile NAME needs --profile-file (the file that holds the profiles)');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError('--port is a number from 1 to 65535');
    const profile = profileFile ? loadProfileFile(profileFile, profileName, io) : localInboxProfile(port, resolve(io.cwd, inboxDir));
    const secret = await readSecret(profile, io, promptHidden);
    io.stdout(`Testing "${profile.name}": ${profile.host}:${profile.port} (${profile.security})\n`);
    const report = await runDoctor(profile, secret, {
      logger: cliLogger(io, verbose),
      env: io.env,
      onStep: (s) => io.stdout(`  ${MARK[s.status]} ${s.title}${s.detail ? `: ${s.detail}` : ''}${s.diagnosis ? `\n       ${s.diagnosis}` : ''}\n`),
    });
    io.stdout(report.ok ? 'All steps passed.\n' : 'The connection has a problem: see the failed step.\n');
    return report.ok ? 0 : 1;
  },
};

/** The local capture inbox as `mailsmith inbox` runs it; its kept certificate is trusted when present. */
function localInboxProfile(port: number, dir: string): SmtpProfile {
  const caFile = join(dir, '.tls', 'cert.pem');
  return existsSync(caFile)
    ? { name: LOCAL_INBOX_PROFILE_NAME, host: '127.0.0.1', port, security: 'starttls', caFile }
    : { name: LOCAL_INBOX_PROFILE_NAME, host: '127.0.0.1', port, security: 'starttls-optional' };
}

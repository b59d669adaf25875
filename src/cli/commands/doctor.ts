// `mailsmith doctor`: tests a profile's connection step by step (DNS, TCP, greeting, EHLO, TLS, AUTH),
// sending nothing. Exit 1 when a step fails.
import { runDoctor, type DoctorStep } from '../../core/send';
import { CliError, type CliCommand } from '../io';
import { cliLogger } from '../logger';
import { loadProfileFile, promptHidden, readSecret } from '../profileFile';

const USAGE = `Usage: mailsmith doctor --profile-file F.yaml [--profile NAME] [-v]

Checks the connection a profile describes, one step at a time, and says what each failure means.
Nothing is sent. -v also prints the SMTP dialogue (credentials redacted).`;

const MARK: Record<DoctorStep['status'], string> = { pass: 'ok  ', fail: 'FAIL', skip: 'skip', warn: 'warn' };

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: "Test a profile's connection step by step, sending nothing",
  async run(args, io) {
    let profileFile: string | undefined;
    let profileName: string | undefined;
    let verbose = false;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === '--help' || arg === '-h') {
        io.stdout(USAGE + '\n');
        return 0;
      } else if (arg === '--profile-file') profileFile = args[++i];
      else if (arg === '--profile') profileName = args[++i];
      else if (arg === '-v' || arg === '--verbose') verbose = true;
      else throw new CliError(`unknown option "${arg}"\n\n${USAGE}`);
    }
    if (!profileFile) throw new CliError(`which profile? Give --profile-file\n\n${USAGE}`);
    const profile = loadProfileFile(profileFile, profileName, io);
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

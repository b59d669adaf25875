// `mailsmith doctor`: tests a profile's connection step by step (DNS, TCP, greeting, EHLO, TLS, AUTH),
// sending nothing. Exit 1 when a step fails.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CAPTURE_INBOX_BANNER } from '../../core/inbox/captureInbox';
import { BUILT_IN_INBOX_PROFILE } from '../../core/profiles/builtIn';
import type { SmtpProfile } from '../../core/profiles';
import { doctorStepText } from '../../core/report/doctor';
import { SecretUnavailable } from '../../core/secrets/provider';
import { runDoctor } from '../../core/send';
import { stringValue, type CommandSpec } from '../args';
import { CliError, type CliCommand } from '../io';
import { cliLogger } from '../logger';
import { PROFILE_OPTIONS, profileFromOptions } from '../profileFile';
import { cliSecrets } from '../secrets';

const spec: CommandSpec = {
  name: 'doctor',
  summary: "Test a profile's connection one step at a time and say what each failure means; send nothing.",
  positionals: '',
  minPositionals: 0,
  maxPositionals: 0,
  options: {
    ...PROFILE_OPTIONS,
    port: { type: 'string', value: 'P', description: `with no profile: the local capture inbox's port (default ${BUILT_IN_INBOX_PROFILE.port})` },
    'inbox-dir': { type: 'string', value: 'D', description: 'with no profile: the inbox folder whose certificate to trust (default ./.mailsmith/inbox)' },
    verbose: { type: 'boolean', short: 'v', description: 'also print the SMTP dialogue (credentials redacted)' },
  },
  notes: 'With no profile file it checks the local capture inbox that `mailsmith inbox` runs on 127.0.0.1.',
};

export const doctorCommand: CliCommand = {
  spec,
  async run({ values }, io) {
    const portText = stringValue(values, 'port');
    const port = portText === undefined ? BUILT_IN_INBOX_PROFILE.port : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError('--port is a number from 1 to 65535');
    const given = profileFromOptions(values, io);
    const profile = given ?? localInboxProfile(port, resolve(io.cwd, stringValue(values, 'inbox-dir') ?? join('.mailsmith', 'inbox')));
    let secret;
    try {
      secret = await cliSecrets(profile, io, values).get();
    } catch (err) {
      if (err instanceof SecretUnavailable) throw new CliError(err.message);
      throw err;
    }
    io.stdout(`Testing "${profile.name}": ${profile.host}:${profile.port} (${profile.security})\n`);
    // Ctrl-C stops the test at once (the doctor closes its connection) instead of waiting out a slow server.
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    const report = await runDoctor(profile, secret, {
      logger: cliLogger(io, values.verbose === true),
      env: io.env,
      signal: controller.signal,
      onStep: (step) => io.stdout(doctorStepText(step) + '\n'),
    }).finally(() => process.off('SIGINT', stop));
    if (report.cancelled) {
      io.stdout('Stopped.\n');
      return 130;
    }
    // With no profile the doctor tests the capture inbox: say so if something else answers on its port.
    const greeting = report.steps.find((s) => s.id === 'banner' && s.status === 'pass')?.detail;
    if (!given && greeting && !greeting.includes(CAPTURE_INBOX_BANNER)) {
      io.stdout(`Note: the server on ${profile.host}:${profile.port} is not Mailsmith's capture inbox (it greets "${greeting}").\n`);
    }
    io.stdout(report.ok ? 'All steps passed.\n' : 'The connection has a problem: see the failed step.\n');
    return report.ok ? 0 : 1;
  },
};

/**
 * The local capture inbox as `mailsmith inbox` runs it, trusting the certificate it keeps in its folder. Without
 * that certificate there is no inbox to test there: saying so beats blaming whatever holds the port.
 */
function localInboxProfile(port: number, dir: string): SmtpProfile {
  const caFile = join(dir, '.tls', 'cert.pem');
  if (!existsSync(caFile)) {
    throw new CliError(`no profile given, and no capture inbox has run in ${dir} (no .tls/cert.pem there): start one with \`mailsmith inbox\`, point at its folder with --inbox-dir, or test a server with --profile-file`);
  }
  return { ...BUILT_IN_INBOX_PROFILE, kind: 'smtp', port, security: 'starttls', caFile };
}

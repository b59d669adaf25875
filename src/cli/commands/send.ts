// `mailsmith send FILE`: prepares the file exactly as `prepare` shows it and sends it with a profile, or,
// with no profile, to a local capture inbox (./.mailsmith/inbox) so nothing leaves the machine.
// Exit status: 0 sent, 1 failed or not sendable, 2 bad usage, 3 partly accepted, 4 outcome unknown.
import { join, resolve } from 'node:path';
import { startCaptureInbox } from '../../core/inbox';
import { defaultStateDir, rateLimitFile } from '../../core/state/paths';
import { prepareDocument } from '../../core/compose';
import type { SmtpProfile, SmtpSecret } from '../../core/profiles';
import { describeOutcome, sendMessage, type SendOutcome } from '../../core/send';
import { CliError, type CliCommand } from '../io';
import { cliLogger } from '../logger';
import { loadProfileFile, promptHidden, readSecret } from '../profileFile';
import { formatProblem, readInput } from './check';

const USAGE = `Usage: mailsmith send FILE [--profile-file F.yaml] [--profile NAME] [--dry-run] [-v]

Sends FILE (an .eml message) over SMTP. The envelope comes from the headers (From; To, Cc, Bcc), Bcc is
removed from what is sent, Date and Message-ID are added when missing, profile defaults fill the gaps.
  --profile-file F   a YAML or JSON profile (name, host, port, security, user, passwordEnv, ...)
  --profile NAME     pick a profile by name in a file that holds several (profiles: [...])
  --inbox-dir D      with no profile: the capture inbox folder (default ./.mailsmith/inbox)
  --dry-run          show the envelope and the size, send nothing
  -v, --verbose      print the SMTP dialogue (credentials redacted) on stderr
With no profile the message goes to a local capture inbox: nothing leaves this machine.
The password is read from the environment variable named by the profile's passwordEnv, or asked for
on a terminal; never from a flag.
Exit status: 0 sent, 1 failed, 2 bad usage, 3 partly accepted, 4 outcome unknown (do not resend blindly).`;

export const EXIT_FOR_STATUS: Record<SendOutcome['status'], number> = { sent: 0, failed: 1, partial: 3, unknown: 4 };

export const sendCommand: CliCommand = {
  name: 'send',
  summary: 'Send a message with a profile (default: the local capture inbox)',
  async run(args, io) {
    const opts = parseArgs(args);
    if (opts.help) {
      io.stdout(USAGE + '\n');
      return 0;
    }
    const profile = opts.profileFile ? loadProfileFile(opts.profileFile, opts.profileName, io) : undefined;
    const bytes = await readInput(opts.file, io);
    if (typeof bytes === 'string') throw new CliError(bytes);
    const result = await prepareDocument(bytes, { defaults: profile?.defaults, baseDir: resolve(io.cwd, opts.file, '..'), fileName: opts.file });
    for (const p of result.problems.filter((p) => p.severity === 'error' || p.severity === 'warning')) io.stderr(formatProblem(opts.file, p) + '\n');
    if (!result.ok) {
      io.stderr(`mailsmith send: "${opts.file}" was not sent: fix the errors above\n`);
      return 1;
    }
    const message = result.message;
    if (opts.dryRun) {
      io.stdout(`Dry run: would send ${message.size} bytes from <${message.envelope.from}> to ${message.envelope.to.map((t) => `<${t}>`).join(', ')} with ${profile ? `profile "${profile.name}"` : 'the local capture inbox'}; nothing was sent.\n`);
      return 0;
    }
    const logger = cliLogger(io, opts.verbose);
    const rateLimitStatePath = rateLimitFile(defaultStateDir(io.env));

    let outcome: SendOutcome;
    if (profile) {
      const secret: SmtpSecret = await readSecret(profile, io, promptHidden);
      outcome = await sendMessage(message, profile, secret, { logger, rateLimitStatePath, env: io.env });
    } else {
      const dir = resolve(io.cwd, opts.inboxDir ?? join('.mailsmith', 'inbox'));
      const landed: string[] = [];
      const inbox = await startCaptureInbox({ dir, logger, onMessage: (m) => landed.push(m.file) });
      try {
        outcome = await sendMessage(message, inbox.profile as SmtpProfile, {}, { logger });
      } finally {
        await inbox.close();
      }
      if (outcome.status === 'sent') io.stdout(`Captured in ${landed[0] ?? dir}\n`);
    }
    io.stdout(describeOutcome(outcome) + '\n');
    return EXIT_FOR_STATUS[outcome.status];
  },
};

interface SendArgs {
  file: string;
  profileFile?: string;
  profileName?: string;
  inboxDir?: string;
  dryRun: boolean;
  verbose: boolean;
  help: boolean;
}

function parseArgs(args: string[]): SendArgs {
  const out: Partial<SendArgs> = { dryRun: false, verbose: false, help: false };
  const value = (i: number, flag: string) => {
    const v = args[i];
    if (v === undefined || v.startsWith('-')) throw new CliError(`${flag} needs a value\n\n${USAGE}`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg === '--profile-file') out.profileFile = value(++i, arg);
    else if (arg === '--profile') out.profileName = value(++i, arg);
    else if (arg === '--inbox-dir') out.inboxDir = value(++i, arg);
    else if (arg === '--dry-run' || arg === '-n') out.dryRun = true;
    else if (arg === '-v' || arg === '--verbose') out.verbose = true;
    else if (/^--?pass(word)?(=|$)/.test(arg)) throw new CliError('passwords are never taken as flags (they would land in shell history): set the profile\'s passwordEnv, or type it at the prompt');
    else if (arg.startsWith('-') && arg !== '-') throw new CliError(`unknown option "${arg}"\n\n${USAGE}`);
    else if (out.file === undefined) out.file = arg;
    else throw new CliError(`one file at a time, got "${out.file}" and "${arg}"`);
  }
  if (out.help) return out as SendArgs;
  if (out.file === undefined) throw new CliError(`which file? Give an .eml path\n\n${USAGE}`);
  if (out.profileName && !out.profileFile) throw new CliError('--profile NAME needs --profile-file (the file that holds the profiles)');
  return out as SendArgs;
}


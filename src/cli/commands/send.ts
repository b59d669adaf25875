// `mailsmith send FILE`: the core's send use case with the CLI's confirmation (a question on a terminal, unless
// --yes; none in scripts), its progress (the redacted SMTP dialogue with -v) and its secret source (the
// profile's passwordEnv, else a hidden prompt). With no profile, the local capture inbox in ./.mailsmith/inbox.
// Exit status: 0 sent, 1 failed or not sendable, 2 bad usage, 3 partly accepted, 4 outcome unknown.
import { resolve, join } from 'node:path';
import { sendDocument } from '../../core/pipeline/sendDocument';
import { BUILT_IN_INBOX_PROFILE } from '../../core/profiles/builtIn';
import { nextStepHint, nextSteps } from '../../core/report/nextSteps';
import { problemLine } from '../../core/report/problems';
import { reviewLines } from '../../core/report/review';
import { describeOutcome } from '../../core/send/describe';
import type { SendOutcome } from '../../core/send/types';
import { defaultStateDir } from '../../core/state/paths';
import { stringValue, type CommandSpec } from '../args';
import { ALLOW_OUTSIDE_OPTION, readDocument, RULE_OPTION } from '../documents';
import { CliError, type CliCommand } from '../io';
import { cliLogger } from '../logger';
import { PROFILE_OPTIONS, profileFromOptions } from '../profileFile';
import { cliSecrets } from '../secrets';

const spec: CommandSpec = {
  name: 'send',
  summary: 'Send a message with a profile (default: the local capture inbox, so nothing leaves this machine).',
  positionals: 'FILE',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    ...PROFILE_OPTIONS,
    'inbox-dir': { type: 'string', value: 'D', description: 'with no profile: the capture inbox folder (default ./.mailsmith/inbox)' },
    'dry-run': { type: 'boolean', short: 'n', description: 'show what would be sent (envelope, files, size), send nothing' },
    yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation on a terminal' },
    verbose: { type: 'boolean', short: 'v', description: 'print the SMTP dialogue (credentials redacted) on stderr' },
    rule: RULE_OPTION,
    'allow-outside-files': ALLOW_OUTSIDE_OPTION,
  },
  notes: `The envelope comes from the headers (From; To, Cc, Bcc), Bcc is removed from what is sent, Date and
Message-ID are added when missing, profile defaults fill the gaps. Before anything leaves, what will leave is
shown on stderr; on a terminal you are asked to confirm (--yes skips the question).
Credentials come from the profile's passwordCommand or tokenCommand, its OAuth 2.0 sign-in (mailsmith
login), or the environment variable it names in passwordEnv, else a prompt on a terminal; never from a flag.
Exit status: 0 sent, 1 failed, 2 bad usage, 3 partly accepted, 4 outcome unknown (do not resend blindly).`,
};

export const EXIT_FOR_STATUS: Record<SendOutcome['status'], number> = { sent: 0, failed: 1, partial: 3, unknown: 4 };

export const sendCommand: CliCommand = {
  spec,
  async run({ values, positionals: [file] }, io) {
    const profile = profileFromOptions(values, io) ?? BUILT_IN_INBOX_PROFILE;
    const read = await readDocument(file, io, values, { defaults: profile.defaults });
    if (typeof read === 'string') throw new CliError(read);
    for (const p of read.analysis.problems) if (p.severity === 'error' || p.severity === 'warning') io.stderr(problemLine(file, p) + '\n');
    const logger = cliLogger(io, values.verbose === true);
    const dryRun = values['dry-run'] === true;
    const result = await sendDocument(read.analysis, profile, file === '-' ? '(standard input)' : resolve(io.cwd, file), {
      logger,
      stateDir: defaultStateDir(io.env),
      face: 'cli',
      env: io.env,
      secrets: cliSecrets(profile, io, values),
      inboxDir: resolve(io.cwd, stringValue(values, 'inbox-dir') ?? join('.mailsmith', 'inbox')),
      async confirm(review) {
        io.stderr(`${dryRun ? 'Would send' : 'Sending'}:\n${reviewLines(review).map((l) => `  ${l}`).join('\n')}\n`);
        if (dryRun) return false;
        if (!io.isTTY || values.yes === true) return true;
        return /^y(es)?$/i.test((await io.ask('Send it? [y/N] ')).trim());
      },
    });
    switch (result.status) {
      case 'refused':
        for (const p of result.problems) if (!read.analysis.problems.includes(p)) io.stderr(problemLine(file, p) + '\n');
        io.stderr(`mailsmith send: "${file}" was not sent: fix the errors above\n`);
        return 1;
      case 'cancelled':
        io.stdout(dryRun ? 'Dry run: nothing was sent.\n' : 'Not sent: cancelled.\n');
        return dryRun ? 0 : 1;
      case 'error':
        throw new CliError(`not sent: ${result.reason}`);
      default: {
        if (result.captured) io.stdout(`Captured in ${result.captured}\n`);
        io.stdout(describeOutcome(result.outcome) + '\n');
        if (result.entry.copy) io.stdout(`The bytes sent: ${result.entry.copy}\n`);
        const profileFile = stringValue(values, 'profile-file');
        for (const step of nextSteps(result.outcome, profile)) {
          const hint = nextStepHint(step, profileFile);
          if (hint && result.outcome.status === 'failed') io.stderr(`next: ${hint}\n`);
        }
        return EXIT_FOR_STATUS[result.outcome.status];
      }
    }
  },
};

/** Passwords never come as flags: they would land in shell history and process lists. */
export function refusePasswordFlags(args: string[]): void {
  if (args.some((a) => /^--?pass(word)?(=|$)/.test(a))) {
    throw new CliError("passwords are never taken as flags (they would land in shell history): set the profile's passwordEnv, or type it at the prompt");
  }
}

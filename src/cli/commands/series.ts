// `mailsmith series PATH... | --rev RANGE`: a patch series (git format-patch output) sent as one thread, as git
// send-email does, after the review of every message on stderr (a question on a terminal unless --yes).
// With no profile, to the local capture inbox like `send`. --dry-run prints each message's envelope and bytes.
// Exit status: 0 all sent, 1 refused or failed, 2 bad usage, 3 partly accepted, 4 an outcome unknown.
import { join, resolve } from 'node:path';
import { BUILT_IN_INBOX_PROFILE } from '../../core/profiles/builtIn';
import type { SmtpProfile } from '../../core/profiles/profile';
import { problemLine } from '../../core/report/problems';
import { environmentSecrets } from '../../core/secrets/provider';
import { SUPPRESS_CATEGORIES } from '../../core/series/recipients';
import { carriedOver, seriesShortfall, type GoneOutcome } from '../../core/series/resume';
import type { SeriesPlan } from '../../core/series/plan';
import { defaultStateDir } from '../../core/state/paths';
import { stringValue, stringValues, type CommandSpec, type ParsedValues } from '../args';
import { CliError, type CliCommand, type CliIo } from '../io';
import { cliLogger } from '../logger';
import { PROFILE_OPTIONS, profileFromOptions } from '../profileFile';

const spec: CommandSpec = {
  name: 'series',
  summary: 'Send a patch series (git format-patch output) as one thread, as git send-email does, after a review.',
  positionals: '[PATH...]',
  minPositionals: 0,
  options: {
    rev: { type: 'string', value: 'RANGE', description: 'run git format-patch on RANGE (with --cover-letter for more than one patch) and stop so you can edit the cover letter' },
    'output-dir': { type: 'string', value: 'D', description: 'with --rev: where the patches go (default .mailsmith/series/RANGE in the repository)' },
    'reroll-count': { type: 'string', value: 'N', description: 'with --rev: mark the series as version N ([PATCH vN])' },
    ...PROFILE_OPTIONS,
    'inbox-dir': { type: 'string', value: 'D', description: 'with no profile: the capture inbox folder (default ./.mailsmith/inbox)' },
    from: { type: 'string', value: 'ADDR', description: 'the sender (default: the profile\u2019s defaults.from, sendemail.from, then your git identity)' },
    to: { type: 'string', multiple: true, value: 'ADDR', description: 'To for every message (replaces sendemail.to)' },
    cc: { type: 'string', multiple: true, value: 'ADDR', description: 'Cc for every message (replaces sendemail.cc)' },
    'in-reply-to': { type: 'string', value: 'ID', description: 'thread the series under this Message-ID (e.g. the cover letter of the previous version)' },
    thread: { type: 'string', value: 'MODE', choices: ['shallow', 'deep', 'none'], description: 'shallow: every message replies to the first (default); deep: each to the one before; none' },
    'suppress-cc': { type: 'string', multiple: true, value: 'CAT', choices: SUPPRESS_CATEGORIES, description: `do not Cc these (${SUPPRESS_CATEGORIES.join(', ')})` },
    'to-cmd': { type: 'string', value: 'CMD', description: 'run CMD PATCH per patch; each output line is a To address (no shell)' },
    'cc-cmd': { type: 'string', value: 'CMD', description: 'run CMD PATCH per patch; each output line is a Cc address, e.g. scripts/get_maintainer.pl (no shell)' },
    'batch-size': { type: 'string', value: 'N', description: 'at most N messages per connection (servers that limit them)' },
    'relogin-delay': { type: 'string', value: 'S', description: 'seconds to wait before connecting again after a batch' },
    mboxrd: { type: 'boolean', description: 'the input quotes "From " lines as mboxrd (format-patch --pretty=mboxrd, b4): one ">" is removed' },
    continue: { type: 'boolean', description: 'send only what the last run of these files did not send, in the same thread' },
    'resend-unknown': { type: 'boolean', description: 'with --continue: send again the messages whose outcome was unknown (they may arrive twice)' },
    'dry-run': { type: 'boolean', short: 'n', description: 'print each message\u2019s envelope and bytes, send nothing' },
    yes: { type: 'boolean', short: 'y', description: 'send without asking (required when not on a terminal)' },
    verbose: { type: 'boolean', short: 'v', description: 'print the SMTP dialogue (credentials redacted) on stderr' },
  },
  notes: `PATH is a .patch file, a folder of them (its *.patch files in name order) or an mbox of several messages.
Recipients follow git send-email: --to/--cc (else sendemail.to/cc, else the profile's defaults), the patch's own
To/Cc, its author, and the addresses of its Signed-off-by:, other -by: and Cc: lines, unless --suppress-cc says
otherwise; sendemail.* settings of the repository (and sendemail.<identity>.*) apply. A sendemail.toCmd/ccCmd
from the repository's own .git/config is not run: pass it as --to-cmd/--cc-cmd to run it.
Nothing is sent while a check reports an error (an unedited cover letter, a patch that does not apply, mixed
versions, a missing Signed-off-by the repository asks for).
Exit status: 0 all sent, 1 refused or failed, 2 bad usage, 3 partly accepted, 4 an outcome unknown.`,
};

const count = (values: ParsedValues, name: string): number | undefined => {
  const text = stringValue(values, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new CliError(`--${name} must be a whole number from 1, not "${text}"`);
  return Number(text);
};

export const seriesCommand: CliCommand = {
  spec,
  async run({ values, positionals }, io) {
    // Loaded when a series is sent, not for `mailsmith check` (the transfer encoders, git, the send loop).
    const { planSeries } = await import('../../core/series/plan.js');
    const { seriesReviewLines } = await import('../../core/series/review.js');
    const { sendSeries } = await import('../../core/series/sendSeries.js');
    const { SeriesState } = await import('../../core/series/state.js');
    const { gitCredentialSecrets } = await import('../../core/series/gitCredential.js');
    const profile = profileFromOptions(values, io) ?? BUILT_IN_INBOX_PROFILE;
    const stateDir = defaultStateDir(io.env);
    const rev = stringValue(values, 'rev');
    const paths = positionals;
    if (rev) {
      if (positionals.length) throw new CliError('give either --rev RANGE or PATH..., not both');
      return formatRange(rev, values, io);
    }
    if (paths.length === 0) throw new CliError(`missing PATH... (or --rev RANGE)\n\nRun "mailsmith series --help" for the options.`);
    const options = {
      cwd: io.cwd,
      paths,
      profile,
      from: stringValue(values, 'from'),
      to: stringValues(values, 'to'),
      cc: stringValues(values, 'cc'),
      suppressCc: stringValues(values, 'suppress-cc'),
      toCmd: stringValue(values, 'to-cmd'),
      ccCmd: stringValue(values, 'cc-cmd'),
      inReplyTo: stringValue(values, 'in-reply-to'),
      thread: stringValue(values, 'thread') as 'shallow' | 'deep' | 'none' | undefined,
      batchSize: count(values, 'batch-size'),
      reloginDelaySeconds: count(values, 'relogin-delay'),
      mboxrd: values.mboxrd === true,
      stateDir,
    };
    let plan = await planSeries(options);
    let alreadySent: Map<number, string> | undefined;
    let earlierOutcomes: Map<number, GoneOutcome> | undefined;
    if (values.continue === true) {
      const last = new SeriesState(stateDir).lastRunOf(plan.files);
      if (!last.length) throw new CliError('--continue: these files were never sent (no earlier run of exactly these files in the state folder)', 1);
      ({ alreadySent, earlierOutcomes } = carriedOver(last, { resendUnknown: values['resend-unknown'] === true }));
      const ids = plan.messages.map((m) => last.find((e) => e.index === m.index)?.plannedId);
      plan = await planSeries({ ...options, messageIds: ids });
      if (alreadySent.size === plan.messages.length) {
        io.stdout('Every message of this series was already sent.\n');
        return 0;
      }
    }
    for (const p of plan.problems) if (p.severity === 'error' || p.severity === 'warning') io.stderr(problemLine(p.file ?? '(series)', p) + '\n');
    if (!plan.sendable) {
      for (const note of plan.notices) io.stderr(`note: ${note}\n`);
      io.stderr(`mailsmith series: nothing was sent: fix the errors above\n`);
      return 1;
    }
    const dryRun = values['dry-run'] === true;
    if (dryRun) return await printDryRun(plan, profile, io, alreadySent);
    const logger = cliLogger(io, values.verbose === true);
    // Ctrl-C stops the series before its next message (a slow server need not be waited out); what went is said.
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    const result = await sendSeries(
      plan,
      profile,
      {
        logger,
        stateDir,
        face: 'cli',
        env: io.env,
        signal: controller.signal,
        // As git send-email: the password from git's credential helpers when the profile's variable has none.
        secrets: gitCredentialSecrets(profile, io.env, environmentSecrets(profile, { env: io.env, ask: io.isTTY ? io.askHidden : undefined })),
        inboxDir: resolve(io.cwd, stringValue(values, 'inbox-dir') ?? join('.mailsmith', 'inbox')),
        async confirm(review) {
          io.stderr(`Sending:\n${seriesReviewLines(review).map((l) => `  ${l}`).join('\n')}\n`);
          if (values.yes === true) return true;
          // A series goes to a list in many messages: nobody's "yes" is assumed (git send-email asks too).
          if (!io.isTTY) {
            io.stderr('mailsmith series: not on a terminal, so nobody confirmed: pass --yes to send (or --dry-run to look)\n');
            return false;
          }
          return /^y(es)?$/i.test((await io.ask(`Send these ${review.rows.filter((r) => !r.skipped).length} messages? [y/N] `)).trim());
        },
      },
      alreadySent ? { alreadySent, ...(earlierOutcomes ? { earlierOutcomes } : {}) } : {},
    ).finally(() => process.off('SIGINT', stop));
    switch (result.status) {
      case 'refused':
        io.stderr('mailsmith series: nothing was sent: fix the errors above\n');
        return 1;
      case 'cancelled':
        io.stdout('Not sent: nothing was confirmed.\n');
        return 1;
      case 'error':
        throw new CliError(`not sent: ${result.reason}`, 1);
      case 'done': {
        for (const r of result.results) {
          io.stdout(`${r.index + 1}. ${r.status.padEnd(8)} ${r.subject}\n   ${r.summary}${r.status === 'sent' || r.status === 'partial' ? ` Message-ID: ${r.messageId}` : ''}\n`);
          if (r.captured) io.stdout(`   Captured in ${r.captured}\n`);
        }
        const shortfall = seriesShortfall(result, {
          unknown: '--continue does not send it again unless you add --resend-unknown.',
          resend: `Send them in the same thread with: mailsmith series ${paths.join(' ')} --continue (same options)`,
        });
        for (const line of shortfall) io.stderr(`mailsmith series: ${line}\n`);
        const statuses = result.results.map((r) => r.status);
        if (statuses.includes('unknown')) return 4;
        if (!result.complete) return 1;
        return statuses.includes('partial') ? 3 : 0;
      }
    }
  },
};

/** --rev: the patches are written for review and editing; sending is a second step. */
async function formatRange(rev: string, values: ParsedValues, io: CliIo): Promise<number> {
  const { repositoryRoot } = await import('../../core/series/git.js');
  const { formatPatch, rangeFolderName } = await import('../../core/series/formatPatch.js');
  const root = await repositoryRoot(io.cwd);
  if (!root) throw new CliError(`--rev needs a git repository, and "${io.cwd}" is not in one`, 1);
  const outputDir = resolve(io.cwd, stringValue(values, 'output-dir') ?? join(root, '.mailsmith', 'series', rangeFolderName(rev)));
  const made = await formatPatch({ root, range: rev, outputDir, rerollCount: count(values, 'reroll-count') });
  if (!made.ok) throw new CliError(made.reason, 1);
  for (const file of made.files) io.stdout(`${file}\n`);
  io.stderr(
    made.cover
      ? `Wrote ${made.files.length} files. Write the cover letter (${made.files[0]}: its subject and introduction), then: mailsmith series ${made.dir}\n`
      : `Wrote ${made.files[0]}. Send it with: mailsmith series ${made.dir}\n`,
  );
  return 0;
}

async function printDryRun(plan: SeriesPlan, profile: SmtpProfile, io: CliIo, alreadySent?: Map<number, string>): Promise<number> {
  const { previewSeries } = await import('../../core/series/plan.js');
  const { buildSeriesReview, seriesReviewLines } = await import('../../core/series/review.js');
  const preview = previewSeries(plan, alreadySent ? { alreadySent } : {});
  io.stderr(`Would send:\n${seriesReviewLines(buildSeriesReview(plan, preview, profile, alreadySent ? { alreadySent } : {})).map((l) => `  ${l}`).join('\n')}\n`);
  for (const p of preview) {
    if (!p.prepared.ok) continue;
    const m = p.prepared.message;
    io.stdout(`=== ${p.index + 1}/${plan.messages.length} ${plan.messages[p.index].source.file}\r\n`);
    io.stdout([`MAIL FROM:<${m.envelope.from}>`, ...m.envelope.to.map((to) => `RCPT TO:<${to}>`), '-'.repeat(72)].join('\r\n') + '\r\n');
    io.stdout(m.raw.toString(m.has8BitBody || m.needsSmtpUtf8 ? 'utf8' : 'latin1'));
  }
  io.stdout('Dry run: nothing was sent.\n');
  return 0;
}

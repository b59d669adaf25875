// `mailsmith merge TEMPLATE`: the core's mail merge (src/core/merge) with the CLI's parts only: the options,
// the problems as `file:line:col` lines, a dry run by default (row 1's envelope and bytes, then one line per
// row), the question on a terminal, a progress line on stderr, Ctrl-C (once: stop after the messages in
// flight; twice: cut them too), and the exit status scripts rely on.
// Exit status: 0 done (or a clean dry run), 1 errors, failures or a stop with rows left, 2 bad usage,
// 3 partly accepted, 4 an outcome unknown (those rows are not sent again without --retry-unknown), 130 cancelled.
import { dirname, join, resolve } from 'node:path';
import type { AnalyzeOptions } from '../../core/document/analyze';
import { findProjectConfig } from '../../core/document/projectConfig';
import { mergeRuleLevels } from '../../core/document/ruleLevels';
import { scopeRootFor } from '../../core/document/scopeRoot';
import type { MergeCheck, MergeProblem, MergeProgress, MergeRunOptions, MergeRunResult, OpenedMerge } from '../../core/merge';
import { BUILT_IN_INBOX_PROFILE } from '../../core/profiles/builtIn';
import type { SmtpProfile } from '../../core/profiles/profile';
import { problemLine } from '../../core/report/problems';
import { environmentSecrets } from '../../core/secrets/provider';
import { defaultStateDir } from '../../core/state/paths';
import { stringValue, stringValues, type CommandSpec, type ParsedValues } from '../args';
import { ALLOW_OUTSIDE_OPTION, ruleArguments, RULE_OPTION } from '../documents';
import { CliError, type CliCommand, type CliIo } from '../io';
import { cliLogger } from '../logger';
import { PROFILE_OPTIONS, profileFromOptions } from '../profileFile';

const spec: CommandSpec = {
  name: 'merge',
  summary: 'Mail merge: one template, a CSV or JSON table of recipients; a dry run unless --send.',
  positionals: 'TEMPLATE',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    data: { type: 'string', value: 'FILE', description: 'the CSV or JSON data (default: the file the template names in Merge-Data: / mergeData:)' },
    ...PROFILE_OPTIONS,
    send: { type: 'boolean', description: 'send for real (without it: a dry run that sends nothing)' },
    limit: { type: 'string', value: 'N', description: 'send at most N rows this run, or "all" (default: 1 the first time, then all)' },
    resume: { type: 'boolean', description: 'continue the merge its journal records (sends only rows not yet sent)' },
    'retry-unknown': { type: 'boolean', description: 'also send the rows whose outcome is unknown (they may arrive twice)' },
    rate: { type: 'string', value: 'N/min', description: 'messages per minute (or N/s, N/h, N/day); default: the provider preset\u2019s, else none' },
    'daily-cap': { type: 'string', value: 'N', description: 'messages a day for this profile (default: the provider preset\u2019s)' },
    connections: { type: 'string', value: 'N', description: 'parallel SMTP connections (default 1)' },
    row: { type: 'string', multiple: true, value: 'N', description: 'only row N (1-based): its preview, or its send' },
    'test-to': { type: 'string', value: 'ADDRESS', description: 'with --send: send the row (default row 1) to ADDRESS only, to see it first' },
    report: { type: 'string', value: 'FILE', description: 'where the CSV report goes (default: next to the journal)' },
    'inbox-dir': { type: 'string', value: 'D', description: 'with no profile: the capture inbox folder (default ./.mailsmith/inbox)' },
    yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation on a terminal' },
    verbose: { type: 'boolean', short: 'v', description: 'print every row\u2019s outcome and the SMTP dialogue (credentials redacted)' },
    rule: RULE_OPTION,
    'allow-outside-files': ALLOW_OUTSIDE_OPTION,
  },
  notes: `The template is an ordinary .eml or .email.md file with \${column} fields in headers, body and Attach
paths; the data is CSV (a header row; "," or ";"; UTF-8) or JSON (an array of objects). Every row is checked
like a single message before anything is sent. Without --send nothing is sent: row 1's envelope and bytes
are printed, then one line per row. A journal next to the data file records each row's outcome as it
happens: running again sends only the rows not yet sent; a row whose outcome is unknown is never sent again
without --retry-unknown. Ctrl-C stops after the message in flight (twice: at once).
Exit status: 0 done, 1 errors or failures (or stopped with rows left), 2 bad usage, 3 partly accepted,
4 an outcome unknown, 130 cancelled.`,
};

export const mergeCommand: CliCommand = {
  spec,
  async run({ values, positionals: [templateFile] }, io) {
    const send = values.send === true;
    const test = stringValue(values, 'test-to');
    if (test !== undefined && !send) throw new CliError('--test-to sends a message: add --send (without it nothing is sent)');
    const limit = positiveInteger(values, 'limit', true);
    const connections = positiveInteger(values, 'connections');
    const dailyCap = positiveInteger(values, 'daily-cap');
    const rows = stringValues(values, 'row').map((r) => {
      const n = Number(r);
      if (!Number.isInteger(n) || n < 1) throw new CliError(`--row must be a row number (1 is the first row under the header), not "${r}"`);
      return n;
    });
    const { parseRate, openMerge, checkMerge, MergeJournal } = await import('../../core/merge/index.js');
    const rateText = stringValue(values, 'rate');
    const perMinute = rateText === undefined ? undefined : parseRate(rateText);
    if (rateText !== undefined && perMinute === undefined) throw new CliError(`--rate must look like 30/min, 2/s, 1000/h or 5000/day, not "${rateText}"`);

    const profile = profileFromOptions(values, io) ?? BUILT_IN_INBOX_PROFILE;
    const templatePath = resolve(io.cwd, templateFile);
    let templateText: string;
    try {
      templateText = io.readFile(templatePath).toString('utf8');
    } catch (err) {
      throw new CliError(`cannot read "${templateFile}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
    }
    const baseDir = dirname(templatePath);
    const root = await scopeRootFor(baseDir);
    const project = await findProjectConfig(baseDir, root);
    for (const problem of project.problems) io.stderr(`mailsmith: warning: ${problem}\n`);
    const scope = { root, allowOutside: values['allow-outside-files'] === true };
    const analyze: AnalyzeOptions = { fileName: templatePath, baseDir, scope, rules: mergeRuleLevels(project.rules, ruleArguments(values)), defaults: profile.defaults };
    const dataOption = stringValue(values, 'data');
    const merge = await openMerge({
      templatePath,
      templateText,
      dataPath: dataOption === undefined ? undefined : resolve(io.cwd, dataOption),
      analyze,
      scope,
      defaultFrom: profile.defaults?.from,
    });

    const journal = merge.journalPath ? MergeJournal.open(merge.journalPath, false) : undefined;
    const check = await checkMerge(merge, { journal: journal?.rows, retryUnknown: values['retry-unknown'] === true });
    printProblems(merge, check, templateFile, io);
    if (!check.sendable) {
      io.stderr(`mailsmith merge: nothing was sent: ${check.errors} error${check.errors === 1 ? '' : 's'} in ${check.rows} row${check.rows === 1 ? '' : 's'} (see above)\n`);
      return 1;
    }
    const options = {
      ...(limit !== undefined ? { limit } : {}),
      ...(rows.length ? { rows } : {}),
      resume: values.resume === true,
      retryUnknown: values['retry-unknown'] === true,
      ...(perMinute !== undefined ? { perMinute } : {}),
      ...(dailyCap !== undefined ? { messagesPerDay: dailyCap } : {}),
      ...(connections !== undefined ? { connections } : {}),
      ...(test !== undefined ? { testRecipient: test } : {}),
      ...(stringValue(values, 'report') ? { reportPath: resolve(io.cwd, stringValue(values, 'report') as string) } : {}),
    };
    if (!send) return dryRun(merge, check, profile, options, values, io);
    return sendMerge(merge, check, profile, options, journal?.begun === true, values, io);
  },
};

type RunOptions = MergeRunOptions;

async function dryRun(merge: OpenedMerge, check: MergeCheck, profile: SmtpProfile, options: RunOptions, values: ParsedValues, io: CliIo): Promise<number> {
  const { previewRow, runMerge, reportLine, rowPreviewLines } = await import('../../core/merge/index.js');
  const shown = options.rows?.[0] ?? 1;
  const preview = await previewRow(merge, shown, profile);
  if (!preview?.message) throw new CliError(`there is no row ${shown} in the data (it has ${check.rows})`);
  const m = preview.message;
  io.stdout([...rowPreviewLines(shown, m, preview.review?.files ?? [], profile), ''].join('\n'));
  io.stdout(m.raw.toString('utf8').replace(/\r\n/g, '\n'));
  io.stdout(`${m.raw.toString('utf8').endsWith('\n') ? '' : '\n'}${'-'.repeat(72)}\n`);
  // One line per row, from the same decisions a send makes.
  const result = await runMerge(merge, check, profile, { ...runContext(profile, values, io), onRow: (row) => io.stdout(reportLine(row) + '\n') }, { ...options, dryRun: true });
  if (result.status === 'error') throw new CliError(result.reason ?? 'the merge cannot run');
  const would = result.counts['would-send'];
  io.stdout(
    `Dry run: nothing was sent. ${check.rows} row${check.rows === 1 ? '' : 's'} checked, ${check.pending} not yet sent; with --send this run would send ${would} with "${profile.name}"` +
      `${would < check.pending ? ' (the first run sends 1 row: --limit N or --limit all for more)' : ''}.\n`,
  );
  return 0;
}

async function sendMerge(merge: OpenedMerge, check: MergeCheck, profile: SmtpProfile, options: RunOptions, begun: boolean, values: ParsedValues, io: CliIo): Promise<number> {
  const { runMerge, reportLine, effectiveLimits, mergeConfirmation, mergeProgressText, mergeSummary, plannedSends } = await import('../../core/merge/index.js');
  if (!options.testRecipient && check.pending === 0) {
    io.stdout(`Nothing to send: the journal records every row as sent, or with an unknown outcome (--retry-unknown sends those again). Journal: ${merge.journalPath}\n`);
    return 0;
  }
  const limits = effectiveLimits(profile, { perMinute: options.perMinute, messagesPerDay: options.messagesPerDay });
  const count = plannedSends(check, options, begun);
  const test = options.testRecipient ? { address: options.testRecipient, row: options.rows?.[0] ?? 1 } : undefined;
  const question = mergeConfirmation({ check, profile, limits, count, dataPath: merge.data?.path, journalPath: merge.journalPath, ...(test ? { test } : {}) });
  io.stderr([question.headline, ...question.detail.map((line) => `  ${line}`), ''].join('\n'));
  if (io.isTTY && values.yes !== true && !/^y(es)?$/i.test((await io.ask('Send? [y/N] ')).trim())) {
    io.stdout('Not sent: cancelled.\n');
    return 1;
  }

  const stop = new AbortController();
  const abort = new AbortController();
  const onInterrupt = () => {
    if (!stop.signal.aborted) {
      io.stderr('\nStopping after the messages in flight (Ctrl-C again to cut them off)...\n');
      stop.abort();
    } else abort.abort();
  };
  process.on('SIGINT', onInterrupt);
  const progressLine = progressPrinter(io, (p) => `merge: ${mergeProgressText(p, { rate: true })}`);
  let result: MergeRunResult;
  try {
    result = await runMerge(
      merge,
      check,
      profile,
      {
        ...runContext(profile, values, io),
        stop: stop.signal,
        signal: abort.signal,
        onMergeProgress: progressLine.update,
        onRow: (row) => {
          const loud = row.status === 'failed' || row.status === 'unknown' || row.status === 'partial' || row.status === 'refused' || row.status === 'test-failed';
          if (loud || values.verbose === true || options.testRecipient) progressLine.print(reportLine(row));
        },
      },
      options,
    );
  } finally {
    process.off('SIGINT', onInterrupt);
    progressLine.done();
  }
  if (result.status === 'error') throw new CliError(`nothing was sent: ${result.reason}`, 1);
  const c = result.counts;
  io.stdout(`${mergeSummary(result)}\n`);
  if (result.reason) io.stdout(`${result.reason}\n`);
  if (result.reportPath) io.stdout(`Report: ${result.reportPath}\n`);
  if (stop.signal.aborted || abort.signal.aborted) return 130;
  if (c.unknown) return 4;
  if (c.failed || c.refused || c['test-failed'] || result.status === 'stopped') return 1;
  if (c.partial) return 3;
  return 0;
}

function runContext(profile: SmtpProfile, values: ParsedValues, io: CliIo) {
  return {
    logger: cliLogger(io, values.verbose === true),
    stateDir: defaultStateDir(io.env),
    face: 'cli',
    env: io.env,
    secrets: environmentSecrets(profile, { env: io.env, ask: io.isTTY ? io.askHidden : undefined }),
    inboxDir: resolve(io.cwd, stringValue(values, 'inbox-dir') ?? join('.mailsmith', 'inbox')),
  };
}

function printProblems(merge: OpenedMerge, check: MergeCheck, templateFile: string, io: CliIo): void {
  const dataFile = merge.data?.path ?? 'data';
  const shown = (p: MergeProblem) => p.severity === 'error' || p.severity === 'warning';
  for (const p of check.problems.filter(shown)) io.stderr(problemLine(p.file === 'template' ? templateFile : dataFile, p) + '\n');
  const listed = check.problems.filter(shown).length;
  const all = check.errors + check.warnings;
  if (all > listed) io.stderr(`mailsmith merge: ... and ${all - listed} more problems\n`);
}

/** A progress line: rewritten in place on a terminal, a line every few seconds otherwise. */
function progressPrinter(io: CliIo, render: (p: MergeProgress) => string) {
  const tty = io.isTTY;
  let last = 0;
  let shown = false;
  let text = '';
  return {
    update(p: MergeProgress) {
      text = render(p);
      const now = Date.now();
      const final = p.done === p.planned;
      if (tty && (now - last > 100 || final || p.waiting)) {
        io.stderr(`\r\x1b[2K${text}`);
        shown = true;
        last = now;
      } else if (!tty && (now - last > 5000 || p.waiting)) {
        io.stderr(`${text}\n`);
        last = now;
      }
    },
    print(line: string) {
      io.stderr(`${tty && shown ? '\r\x1b[2K' : ''}${line}\n${tty && shown ? text : ''}`);
    },
    done() {
      if (tty && shown) io.stderr('\n');
      else if (!tty && text) io.stderr(`${text}\n`);
    },
  };
}

function positiveInteger(values: ParsedValues, name: string, allowAll = false): number | undefined {
  const text = stringValue(values, name);
  if (text === undefined) return undefined;
  if (allowAll && text === 'all') return Number.POSITIVE_INFINITY;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--${name} must be a whole number of at least 1${allowAll ? ' (or "all")' : ''}, not "${text}"`);
  return n;
}

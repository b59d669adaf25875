// A series ready to review: its messages read and checked, the sender, each message's recipients (with where
// each came from), its planned Message-ID and threading, and its final bytes checked by the message core.
// Settings come from the command line first, then the repository's git config (sendemail.* and
// sendemail.<identity>.*), then the profile. A to/cc command from the repository's own config
// (.git/config: local or worktree scope) is never run unasked: it is named in the review, and runs only when
// the user passes it on the command line or accepts it in the editor's review. Commands from the user's own
// (global, system) config run, as git send-email runs them.
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { prepareMessage } from '../message/prepare';
import type { PreparedMessage } from '../message/types';
import type { SmtpProfile } from '../profiles/profile';
import { buildSeriesMessage } from './build';
import { checkApplies, checkSeriesText, checkSignOffs, signOffRequired, subjectRange } from './checks';
import { SERIES_COMMAND, SERIES_MESSAGE_INVALID } from './codes';
import { runAddressCommand } from './commands';
import { committerIdent, configEntries, gitBoolean, repositoryRoot, type ConfigEntry } from './git';
import { seriesTitle, type SeriesMessage } from './patch';
import { readSeries, type SeriesProblem } from './read';
import { bareAddress, expandSuppress, mailboxes, recipientsOf, SUPPRESS_CATEGORIES, type InitialRecipient, type MessageRecipients } from './recipients';
import { SeriesState } from './state';
import { normaliseMessageId, SeriesThread, type ThreadHeaders, type ThreadMode } from './threading';

export interface SeriesOptions {
  /** Paths resolve against it; git runs in its repository when the patches are not in one. */
  cwd: string;
  paths: readonly string[];
  profile: SmtpProfile;
  from?: string;
  to?: readonly string[];
  cc?: readonly string[];
  suppressCc?: readonly string[];
  toCmd?: string;
  ccCmd?: string;
  /** Run the to/cc commands the repository's own config names (the user accepted them in the review). */
  allowRepositoryCommands?: boolean;
  inReplyTo?: string;
  thread?: ThreadMode;
  batchSize?: number;
  reloginDelaySeconds?: number;
  mboxrd?: boolean;
  /** The shared state folder: earlier versions, a series that stopped half-way. */
  stateDir?: string;
  /** Message-IDs to use instead of new ones, by index (going on with a series that stopped). */
  messageIds?: readonly (string | undefined)[];
  smtpUtf8?: boolean;
}

export interface PlannedMessage {
  index: number;
  source: SeriesMessage;
  recipients: MessageRecipients;
  /** The Message-ID it is planned to go out with. */
  messageId: string;
  problems: SeriesProblem[];
}

export interface RepositoryCommand {
  setting: 'sendemail.tocmd' | 'sendemail.cccmd';
  command: string;
  /** It runs (command line, user config, or accepted); otherwise it is only named. */
  runs: boolean;
  origin: 'command-line' | 'user-config' | 'repository-config';
}

export interface SeriesPlan {
  root?: string;
  files: string[];
  title: string;
  version: number;
  sender: string;
  senderOrigin: 'command-line' | 'profile' | 'git-config' | 'git-ident';
  thread: ThreadMode;
  inReplyTo?: string;
  batchSize?: number;
  reloginDelaySeconds?: number;
  suppress: string[];
  commands: RepositoryCommand[];
  messages: PlannedMessage[];
  /** Every problem, series-wide and per message. */
  problems: SeriesProblem[];
  /** Things the user should know that are not problems (an earlier version, a command not run). */
  notices: string[];
  earlierVersions: { version: number; messageId: string; time: string }[];
  /** No problem is an error. */
  sendable: boolean;
  options: SeriesOptions;
}

const LINE0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export async function planSeries(options: SeriesOptions): Promise<SeriesPlan> {
  const read = await readSeries(options.paths, { cwd: options.cwd, mboxrd: options.mboxrd });
  const problems: SeriesProblem[] = [...read.problems];
  const notices: string[] = [];
  const messages = read.messages;
  const root = (messages[0] && (await repositoryRoot(dirname(messages[0].file)))) ?? (await repositoryRoot(options.cwd));
  const config = root ? await sendemailConfig(root) : new SendemailConfig([]);

  let resolvedSender: { text: string; origin: SeriesPlan['senderOrigin'] } | undefined;
  if (options.from) resolvedSender = { text: options.from, origin: 'command-line' };
  else if (options.profile.defaults?.from) resolvedSender = { text: options.profile.defaults.from, origin: 'profile' };
  else if (config.last('from')) resolvedSender = { text: config.last('from') as string, origin: 'git-config' };
  else if (root) {
    const ident = await committerIdent(root);
    if (ident) resolvedSender = { text: ident, origin: 'git-ident' };
  }
  if (!resolvedSender || !bareAddress(resolvedSender.text)) {
    problems.push({ code: SERIES_MESSAGE_INVALID, severity: 'error', message: 'no sender: give --from, a profile with defaults.from, or sendemail.from / user.email in git config', range: LINE0 });
  }
  const senderText = resolvedSender && bareAddress(resolvedSender.text) ? mailboxes(resolvedSender.text)[0].text : '';

  const initial = (flag: readonly string[] | undefined, key: 'to' | 'cc'): InitialRecipient[] => {
    if (flag?.length) return flag.map((text) => ({ text, origin: 'command-line' }));
    const fromConfig = config.all(key);
    if (fromConfig.length) return fromConfig.map((text) => ({ text, origin: 'git-config' }));
    const fromProfile = options.profile.defaults?.[key];
    return fromProfile ? [{ text: fromProfile, origin: 'profile' }] : [];
  };
  const configured = config.all('suppresscc');
  for (const unknown of configured.filter((c) => !(SUPPRESS_CATEGORIES as readonly string[]).includes(c))) {
    // git send-email refuses an unknown category too: a typo would otherwise Cc people the user meant to leave out.
    problems.push({ code: SERIES_MESSAGE_INVALID, severity: 'error', message: `sendemail.suppressCc "${unknown}" in git config is not one of ${SUPPRESS_CATEGORIES.join(', ')}`, range: LINE0 });
  }
  const switchOf = (key: string): boolean | undefined => {
    const entry = config.entry(key);
    return entry ? gitBoolean(entry.value) : undefined;
  };
  const suppress = expandSuppress([...configured, ...(options.suppressCc ?? [])], { suppressFrom: switchOf('suppressfrom'), signedOffByCc: switchOf('signedoffbycc') });

  const commands: RepositoryCommand[] = [];
  const command = (flag: string | undefined, key: 'tocmd' | 'cccmd'): string | undefined => {
    const setting = `sendemail.${key}` as RepositoryCommand['setting'];
    if (flag) {
      commands.push({ setting, command: flag, runs: true, origin: 'command-line' });
      return flag;
    }
    const entry = config.entry(key);
    if (!entry?.value) return undefined;
    const fromRepository = entry.scope === 'local' || entry.scope === 'worktree' || entry.scope === 'unknown';
    const runs = !fromRepository || options.allowRepositoryCommands === true;
    commands.push({ setting, command: entry.value, runs, origin: fromRepository ? 'repository-config' : 'user-config' });
    if (!runs) notices.push(`The repository's git config names ${setting} "${entry.value}"; it was not run (a repository cannot run commands unasked). To run it, pass --${key === 'tocmd' ? 'to' : 'cc'}-cmd '${entry.value}' (or accept it in the editor's review).`);
    return runs ? entry.value : undefined;
  };
  const toCmd = command(options.toCmd, 'tocmd');
  const ccCmd = command(options.ccCmd, 'cccmd');

  const thread: ThreadMode =
    options.thread ?? (gitBoolean(config.last('thread') ?? 'true') === false ? 'none' : gitBoolean(config.last('chainreplyto') ?? 'false') ? 'deep' : 'shallow');
  let inReplyTo: string | undefined;
  if (options.inReplyTo !== undefined && options.inReplyTo.trim() !== '') {
    inReplyTo = normaliseMessageId(options.inReplyTo);
    if (!inReplyTo) problems.push({ code: SERIES_MESSAGE_INVALID, severity: 'error', message: `--in-reply-to "${options.inReplyTo}" is not a Message-ID (id@domain)`, range: LINE0 });
  }
  // The command line, then git's settings, then the profile (the server's own limit).
  const batchSize = options.batchSize ?? positiveInt(config.last('smtpbatchsize')) ?? options.profile.batchSize;
  const reloginDelaySeconds = options.reloginDelaySeconds ?? positiveInt(config.last('smtprelogindelay')) ?? options.profile.reloginDelaySeconds;

  problems.push(...checkSeriesText(messages));
  if (root) {
    const why = await signOffRequired(root);
    if (why) problems.push(...checkSignOffs(messages, why));
    problems.push(...(await checkApplies(messages, root)));
  }

  const domain = (bareAddress(senderText) ?? 'localhost').split('@')[1];
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const nonce = randomBytes(4).toString('hex');
  const planned: PlannedMessage[] = [];
  for (const [index, source] of messages.entries()) {
    const run = async (cmd: string | undefined, label: string) => {
      if (!cmd || !root) return undefined;
      const output = await runAddressCommand(cmd, source.file, root);
      if (output.ok) return { command: cmd, lines: output.lines };
      problems.push({ code: SERIES_COMMAND, severity: 'error', message: `${label}: ${output.reason}`, range: subjectRange(source), file: source.file, messageIndex: index });
      return undefined;
    };
    const recipients = recipientsOf(source, {
      sender: senderText,
      to: initial(options.to, 'to'),
      cc: initial(options.cc, 'cc'),
      suppress,
      toCmd: await run(toCmd, '--to-cmd'),
      ccCmd: await run(ccCmd, '--cc-cmd'),
    });
    const own = source.messageId ? normaliseMessageId(source.messageId) : undefined;
    const messageId = options.messageIds?.[index] ?? own ?? `<${stamp}.${nonce}-${index + 1}@${domain}>`;
    planned.push({ index, source, recipients, messageId, problems: [] });
  }
  if (messages.length && planned.every((m) => m.recipients.to.length + m.recipients.cc.length === 0)) {
    problems.push({ code: SERIES_MESSAGE_INVALID, severity: 'error', message: 'the series has no recipients: give --to (or sendemail.to in git config, or defaults.to in the profile)', range: LINE0 });
  }

  const title = seriesTitle(messages);
  const version = messages.find((m) => m.prefix)?.prefix?.version ?? 1;
  const earlierVersions = options.stateDir && title ? new SeriesState(options.stateDir).earlierVersions(title, version) : [];
  if (earlierVersions[0] && !inReplyTo) {
    notices.push(`v${earlierVersions[0].version} of "${title}" was sent on ${earlierVersions[0].time.slice(0, 10)} as ${earlierVersions[0].messageId}: --in-reply-to ${earlierVersions[0].messageId} threads this version under it.`);
  }

  const plan: SeriesPlan = {
    ...(root ? { root } : {}),
    files: read.files,
    title,
    version,
    sender: senderText,
    senderOrigin: resolvedSender?.origin ?? 'command-line',
    thread,
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(batchSize ? { batchSize } : {}),
    ...(reloginDelaySeconds ? { reloginDelaySeconds } : {}),
    suppress: [...suppress].sort(),
    commands,
    messages: planned,
    problems,
    notices,
    earlierVersions,
    sendable: false,
    options,
  };
  // Every message through the message core once, threaded as if all were sent: its errors refuse the series.
  if (senderText && messages.length) {
    const preview = previewSeries(plan);
    for (const p of preview) {
      if (p.prepared.ok) continue;
      for (const e of p.prepared.problems.filter((x) => x.severity === 'error')) {
        problems.push({ code: SERIES_MESSAGE_INVALID, severity: 'error', message: `${e.code}: ${e.message}`, range: subjectRange(plan.messages[p.index].source), file: plan.messages[p.index].source.file, messageIndex: p.index });
      }
    }
  }
  for (const problem of problems) if (problem.messageIndex !== undefined) planned[problem.messageIndex]?.problems.push(problem);
  plan.sendable = messages.length > 0 && !problems.some((p) => p.severity === 'error');
  return plan;
}

export interface SendVariant {
  /** Indexes not to send. */
  skip?: ReadonlySet<number>;
  /** Send every message to the sender only (To: the sender, no Cc), with IDs of its own. */
  toSelf?: boolean;
  /** Messages of an earlier run that already went out, with the ID each really got: not sent again, still parents. */
  alreadySent?: ReadonlyMap<number, string>;
  /**
   * How each of `alreadySent` ended in its run (default sent). This run records them again, so that the
   * next --continue, which reads only the latest run, still knows they went (or may have: unknown).
   */
  earlierOutcomes?: ReadonlyMap<number, 'sent' | 'partial' | 'unknown'>;
}

export interface PreviewedMessage {
  index: number;
  messageId: string;
  thread: ThreadHeaders;
  prepared: ReturnType<typeof prepareMessage>;
}

/** Each message's final bytes, threaded as if every message not skipped is sent with its planned ID. */
export function previewSeries(plan: SeriesPlan, variant: SendVariant = {}, ids: readonly string[] = variantIds(plan, variant)): PreviewedMessage[] {
  const thread = new SeriesThread(plan.thread, plan.inReplyTo);
  const out: PreviewedMessage[] = [];
  for (const m of plan.messages) {
    if (variant.skip?.has(m.index) || variant.alreadySent?.has(m.index)) {
      thread.done(variant.alreadySent?.get(m.index));
      continue;
    }
    const headers = thread.next();
    const prepared = prepareSeriesMessage(plan, m.index, headers, ids[m.index], variant);
    out.push({ index: m.index, messageId: ids[m.index], thread: headers, prepared });
    thread.done(ids[m.index]);
  }
  return out;
}

/** The planned IDs, or fresh ones for a test send to oneself (so the real send's IDs stay unused). */
export function variantIds(plan: SeriesPlan, variant: SendVariant): string[] {
  if (!variant.toSelf) return plan.messages.map((m) => m.messageId);
  const nonce = randomBytes(4).toString('hex');
  return plan.messages.map((m) => m.messageId.replace(/^<([^@]*)@/, `<$1.test-${nonce}@`));
}

/** The final bytes of one message with the given threading (the message core checks and assembles them). */
export function prepareSeriesMessage(plan: SeriesPlan, index: number, thread: ThreadHeaders, messageId: string, variant: SendVariant = {}): ReturnType<typeof prepareMessage> {
  const m = plan.messages[index];
  const toSelf = variant.toSelf ? mailboxes(plan.sender).map((s) => ({ ...s, origin: 'command-line' as const })) : undefined;
  const built = buildSeriesMessage(m.source, {
    sender: plan.sender,
    to: toSelf ?? m.recipients.to,
    cc: toSelf ? [] : m.recipients.cc,
    messageId,
    thread,
  });
  return prepareMessage(built.text, { smtpUtf8: plan.options.smtpUtf8 });
}

export type { PreparedMessage };

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n > 0 ? n : undefined;
}

/** sendemail.* as git send-email reads it: sendemail.<identity>.KEY wins over sendemail.KEY. */
class SendemailConfig {
  constructor(
    private readonly entries: ConfigEntry[],
    private readonly identity?: string,
  ) {}

  private matching(key: string): ConfigEntry[] {
    const named = this.identity ? this.entries.filter((e) => e.key.toLowerCase() === `sendemail.${this.identity!.toLowerCase()}.${key}`) : [];
    return named.length ? named : this.entries.filter((e) => e.key.toLowerCase() === `sendemail.${key}`);
  }

  entry(key: string): ConfigEntry | undefined {
    return this.matching(key).at(-1);
  }

  last(key: string): string | undefined {
    return this.entry(key)?.value;
  }

  all(key: string): string[] {
    return this.matching(key)
      .map((e) => e.value ?? '')
      .filter(Boolean);
  }
}

async function sendemailConfig(root: string): Promise<SendemailConfig> {
  const entries = await configEntries(root, '^sendemail\\.');
  const identity = entries.filter((e) => e.key.toLowerCase() === 'sendemail.identity').at(-1)?.value;
  return new SendemailConfig(entries, identity);
}

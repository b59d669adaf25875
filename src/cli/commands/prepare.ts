// `mailsmith prepare FILE`: the envelope, every local file that would travel and the exact bytes that `send`
// would transmit, sending nothing. Exit 1 (with the problems) when the message cannot be sent.
import { isUtf8 } from 'node:buffer';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { MessageDefaults } from '../../core/message';
import { BUILT_IN_INBOX_PROFILE } from '../../core/profiles/builtIn';
import { validateMessageDefaults } from '../../core/profiles/validate';
import { problemLine } from '../../core/report/problems';
import { buildReview, travellingFileLines } from '../../core/report/review';
import { stringValue, type CommandSpec } from '../args';
import { ALLOW_OUTSIDE_OPTION, readDocument, RULE_OPTION } from '../documents';
import { CliError, type CliCommand, type CliIo } from '../io';
import { PROFILE_OPTIONS, profileFromOptions } from '../profileFile';

const DEFAULT_KEYS = ['from', 'to', 'cc', 'bcc', 'subject'] as const;

const spec: CommandSpec = {
  name: 'prepare',
  summary: 'Show the envelope, the files that travel and the exact bytes a send would transmit; send nothing.',
  positionals: 'FILE',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    defaults: { type: 'string', value: 'F.yaml', description: 'values for what the message lacks: from, to, cc, bcc, subject (lists may use ";")' },
    ...PROFILE_OPTIONS,
    smtputf8: { type: 'boolean', description: 'the server takes SMTPUTF8: keep UTF-8 headers as they are' },
    now: { type: 'string', value: 'ISO-DATE', description: 'the date to put in a missing Date field (default: now)' },
    format: { type: 'string', value: 'text|json', choices: ['text', 'json'], description: 'output format (default text)' },
    rule: RULE_OPTION,
    'allow-outside-files': ALLOW_OUTSIDE_OPTION,
  },
  notes: `The bytes have CRLF line endings, Bcc removed, Date and Message-ID added when missing, non-ASCII
headers RFC 2047-encoded. Exit status: 0 ready to send, 1 the message has errors, 2 bad usage or an
unreadable file.`,
};

export const prepareCommand: CliCommand = {
  spec,
  async run({ values, positionals: [file] }, io) {
    const profile = profileFromOptions(values, io);
    const defaultsFile = stringValue(values, 'defaults');
    if (defaultsFile && profile) throw new CliError('give either --defaults or --profile-file (whose defaults apply), not both');
    const defaults = defaultsFile ? readDefaults(defaultsFile, io) : profile?.defaults;
    const nowText = stringValue(values, 'now');
    const now = nowText === undefined ? undefined : new Date(nowText);
    if (now && Number.isNaN(now.getTime())) throw new CliError('--now needs an ISO date such as 2026-01-02T03:04:05Z');
    const read = await readDocument(file, io, values, { defaults, smtpUtf8: values.smtputf8 === true, now });
    if (typeof read === 'string') throw new CliError(read);
    const result = await read.analysis.prepare();
    for (const p of result.problems) if (p.severity === 'error' || p.severity === 'warning') io.stderr(problemLine(file, p) + '\n');
    if (!result.ok) {
      io.stderr(`mailsmith prepare: "${file}" cannot be sent until the errors above are fixed\n`);
      return 1;
    }
    const m = result.message;
    const review = buildReview(m, read.analysis.files, profile ?? BUILT_IN_INBOX_PROFILE);
    // The CLI writes text: bytes that are not UTF-8 (a Latin-1 body) are shown one character per byte.
    const utf8 = isUtf8(m.raw);
    if (values.format === 'json') {
      const json = {
        envelope: m.envelope,
        size: m.size,
        messageId: m.messageId,
        needsSmtpUtf8: m.needsSmtpUtf8,
        has8BitBody: m.has8BitBody,
        blindRecipients: review.blind,
        files: review.files,
        raw: m.raw.toString(utf8 ? 'utf8' : 'latin1'),
        rawEncoding: utf8 ? 'utf-8' : 'latin1',
      };
      io.stdout(JSON.stringify(json, null, 2) + '\n');
      return 0;
    }
    const lines = [
      `MAIL FROM:<${m.envelope.from}>`,
      ...m.envelope.to.map((to) => `RCPT TO:<${to}>`),
      `Size: ${m.size} bytes; SMTPUTF8: ${m.needsSmtpUtf8 ? 'needed' : 'not needed'}; 8-bit body: ${m.has8BitBody ? 'yes (BODY=8BITMIME)' : 'no'}`,
      `Message-ID: ${m.messageId}`,
      ...travellingFileLines(review.files),
      `--- message: the ${m.size} bytes below, CRLF line endings${utf8 ? '' : ', not UTF-8: shown as Latin-1'} ---`,
    ];
    io.stdout(lines.join('\n') + '\n' + m.raw.toString(utf8 ? 'utf8' : 'latin1'));
    return 0;
  },
};

/** Profile defaults from a YAML file: the keys at the top, or under `defaults:`. */
function readDefaults(path: string, io: CliIo): MessageDefaults {
  let text: string;
  try {
    text = io.readFile(resolve(io.cwd, path)).toString('utf8');
  } catch (err) {
    throw new CliError(`cannot read defaults "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new CliError(`defaults "${path}" is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (data && typeof data === 'object' && 'defaults' in data) data = (data as { defaults: unknown }).defaults;
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new CliError(`defaults "${path}" must be a mapping of from, to, cc, bcc, subject`);
  const defaults: MessageDefaults = {};
  for (const [key, value] of Object.entries(data)) {
    if (!(DEFAULT_KEYS as readonly string[]).includes(key)) {
      throw new CliError(`defaults "${path}": unknown key "${key}" (expected ${DEFAULT_KEYS.join(', ')})`);
    }
    if (typeof value !== 'string') throw new CliError(`defaults "${path}": "${key}" must be a string`);
    defaults[key as (typeof DEFAULT_KEYS)[number]] = value;
  }
  // The same checks a profile's defaults get: no control characters, addresses that parse.
  const errors = validateMessageDefaults(defaults).filter((i) => i.severity === 'error');
  if (errors.length) throw new CliError(`defaults "${path}": ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  return defaults;
}

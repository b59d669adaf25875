// `mailsmith prepare FILE [--defaults F.yaml] [--smtputf8]`: the envelope and the exact bytes that
// would be sent, without sending anything. Exit 1 (with the problems) when the message cannot be sent.
import { isUtf8 } from 'node:buffer';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { prepareDocument } from '../../core/compose';
import type { MessageDefaults } from '../../core/message';
import { CliError, type CliCommand, type CliIo } from '../io';
import { formatProblem, readInput } from './check';

const USAGE = `Usage: mailsmith prepare FILE [--defaults F.yaml] [--smtputf8] [--now ISO-DATE] [--format text|json]

Prints the SMTP envelope and the exact message bytes that "send" would transmit (CRLF line endings,
Bcc removed, Date and Message-ID added when missing, non-ASCII headers RFC 2047-encoded), sending nothing.
  --defaults F.yaml   values for what the message lacks: from, to, cc, bcc, subject (lists may use ";")
  --smtputf8          the server takes SMTPUTF8: keep UTF-8 headers as they are
  --now ISO-DATE      the date to put in a missing Date field (default: now)
Exit status: 0 ready to send, 1 the message has errors, 2 bad usage or an unreadable file.`;

const DEFAULT_KEYS = ['from', 'to', 'cc', 'bcc', 'subject'] as const;

export const prepareCommand: CliCommand = {
  name: 'prepare',
  summary: 'Show the envelope and the exact bytes a send would transmit',
  async run(args, io) {
    let file: string | undefined;
    let defaultsFile: string | undefined;
    let smtpUtf8 = false;
    let now: Date | undefined;
    let format: 'text' | 'json' = 'text';
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === '--help' || arg === '-h') {
        io.stdout(USAGE + '\n');
        return 0;
      } else if (arg === '--defaults') {
        defaultsFile = args[++i];
        if (!defaultsFile) throw new CliError(`--defaults needs a file\n\n${USAGE}`);
      } else if (arg === '--smtputf8') {
        smtpUtf8 = true;
      } else if (arg === '--now') {
        now = new Date(args[++i] ?? '');
        if (Number.isNaN(now.getTime())) throw new CliError('--now needs an ISO date such as 2026-01-02T03:04:05Z');
      } else if (arg === '--format') {
        const value = args[++i];
        if (value !== 'text' && value !== 'json') throw new CliError(`--format must be "text" or "json"\n\n${USAGE}`);
        format = value;
      } else if (arg.startsWith('-') && arg !== '-') {
        throw new CliError(`unknown option "${arg}"\n\n${USAGE}`);
      } else if (file === undefined) {
        file = arg;
      } else {
        throw new CliError(`one file at a time, got "${file}" and "${arg}"`);
      }
    }
    if (file === undefined) throw new CliError(`which file? Give an .eml path\n\n${USAGE}`);
    const defaults = defaultsFile === undefined ? undefined : readDefaults(defaultsFile, io);
    const bytes = await readInput(file, io);
    if (typeof bytes === 'string') throw new CliError(bytes);

    // Markdown bodies, front matter (.email.md) and Attach: go through the composer first (src/core/compose).
    const result = await prepareDocument(bytes, { defaults, smtpUtf8, now, baseDir: resolve(io.cwd, file, '..'), fileName: file });
    for (const p of result.problems) {
      if (p.severity === 'error' || p.severity === 'warning') io.stderr(formatProblem(file, p) + '\n');
    }
    if (!result.ok) {
      io.stderr(`mailsmith prepare: "${file}" cannot be sent until the errors above are fixed\n`);
      return 1;
    }
    const m = result.message;
    // The CLI writes text: bytes that are not UTF-8 (a Latin-1 body) are shown one character per byte.
    const utf8 = isUtf8(m.raw);
    if (format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            envelope: m.envelope,
            size: m.size,
            messageId: m.messageId,
            needsSmtpUtf8: m.needsSmtpUtf8,
            has8BitBody: m.has8BitBody,
            raw: m.raw.toString(utf8 ? 'utf8' : 'latin1'),
            rawEncoding: utf8 ? 'utf-8' : 'latin1',
          },
          null,
          2,
        ) + '\n',
      );
      return 0;
    }
    const lines = [
      `MAIL FROM:<${m.envelope.from}>`,
      ...m.envelope.to.map((to) => `RCPT TO:<${to}>`),
      `Size: ${m.size} bytes; SMTPUTF8: ${m.needsSmtpUtf8 ? 'needed' : 'not needed'}; 8-bit body: ${m.has8BitBody ? 'yes (BODY=8BITMIME)' : 'no'}`,
      `Message-ID: ${m.messageId}`,
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
  return defaults;
}

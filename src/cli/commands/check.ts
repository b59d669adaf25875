// `mailsmith check FILE...`: the message rules over files, as `file:line:col severity code message`
// (1-based, for humans and editors' problem matchers) or as JSON. Exit 1 when any error is found.
import { resolve } from 'node:path';
import type { Problem } from '../../core/types';
import { validateDocument } from '../../core/compose';
import { scanMessage } from '../../core/message';
import { CliError, type CliCommand, type CliIo } from '../io';

const USAGE = `Usage: mailsmith check [--format text|json] FILE... ("-" reads standard input)

Checks .eml files (RFC 5322 messages) and prints one line per problem:
  file:line:column severity code message
Exit status: 0 no errors, 1 at least one error, 2 bad usage or an unreadable file.`;

export interface CheckedFile {
  file: string;
  /** How the bytes were read: valid UTF-8, or Latin-1 when they were not. */
  decoding: string;
  problems: Problem[];
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'Check .eml files: file:line:col severity code message',
  async run(args, io) {
    let format: 'text' | 'json' = 'text';
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === '--help' || arg === '-h') {
        io.stdout(USAGE + '\n');
        return 0;
      }
      if (arg === '--format' || arg.startsWith('--format=')) {
        const value = arg === '--format' ? args[++i] : arg.slice('--format='.length);
        if (value !== 'text' && value !== 'json') throw new CliError(`--format must be "text" or "json"\n\n${USAGE}`);
        format = value;
      } else if (arg === '--') {
        files.push(...args.slice(i + 1));
        break;
      } else if (arg.startsWith('-') && arg !== '-') {
        throw new CliError(`unknown option "${arg}"\n\n${USAGE}`);
      } else files.push(arg);
    }
    if (files.length === 0) throw new CliError(`which files? Give one or more .eml paths\n\n${USAGE}`);

    const checked: CheckedFile[] = [];
    let unreadable = 0;
    for (const file of files) {
      const bytes = await readInput(file, io);
      if (typeof bytes === 'string') {
        io.stderr(`mailsmith check: ${bytes}\n`);
        unreadable++;
        continue;
      }
      const scanned = scanMessage(bytes);
      // validateDocument = validateMessage, plus the composer's checks (attachments, front matter) where they apply.
      const baseDir = file === '-' ? undefined : resolve(io.cwd, file, '..');
      checked.push({ file, decoding: scanned.decoding, problems: validateDocument(scanned, { fileName: file, baseDir }) });
    }

    if (format === 'json') io.stdout(JSON.stringify(checked.map(toJson), null, 2) + '\n');
    else io.stdout(formatText(checked));
    if (unreadable > 0) return 2;
    return checked.some((c) => c.problems.some((p) => p.severity === 'error')) ? 1 : 0;
  },
};

/** The file's bytes, or a sentence saying why they could not be read. */
export async function readInput(file: string, io: CliIo): Promise<Uint8Array | string> {
  try {
    if (file === '-') return await io.readStdin();
    return io.readFile(resolve(io.cwd, file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : err instanceof Error
              ? err.message
              : String(err);
    return `cannot read "${file}": ${reason}`;
  }
}

/** One line per problem, then a one-line summary. */
export function formatText(checked: CheckedFile[]): string {
  const out: string[] = [];
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const { file, problems } of checked) {
    for (const p of problems) {
      counts[p.severity]++;
      out.push(formatProblem(file, p));
    }
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const files = `${checked.length} file${checked.length === 1 ? '' : 's'}`;
  out.push(
    total === 0
      ? `no problems in ${files}`
      : `${total} problem${total === 1 ? '' : 's'} (${counts.error} error${counts.error === 1 ? '' : 's'}, ` +
          `${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info, ${counts.hint} hint${counts.hint === 1 ? '' : 's'}) in ${files}`,
  );
  return out.join('\n') + '\n';
}

export function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.code} ${p.message}`;
}

function toJson(c: CheckedFile): unknown {
  return {
    file: c.file,
    decoding: c.decoding,
    problems: c.problems.map((p) => ({
      line: p.range.start.line + 1,
      column: p.range.start.character + 1,
      endLine: p.range.end.line + 1,
      endColumn: p.range.end.character + 1,
      severity: p.severity,
      code: p.code,
      message: p.message,
      range: p.range,
      fixes: p.fixes ?? [],
    })),
  };
}

// Reading a series from what the user names: .patch files, a folder of them (its *.patch files in name order,
// as format-patch numbers them), or an mbox holding several messages. Each message keeps its file and line,
// so a check can point at it in the editor.
import { readdir, readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Problem } from '../types';
import { SERIES_UNREADABLE } from './codes';
import { splitMbox } from './mbox';
import { readSeriesMessage, type SeriesMessage } from './patch';

/** A problem of a series: where it is (a file, a message of the series) as well as its range in that file. */
export interface SeriesProblem extends Problem {
  file?: string;
  /** Index of the message in the series, when the problem is about one. */
  messageIndex?: number;
}

export interface ReadSeriesOptions {
  /** Paths are resolved against it. */
  cwd: string;
  /** The input quotes "From " lines as mboxrd does. */
  mboxrd?: boolean;
}

export interface ReadSeries {
  messages: SeriesMessage[];
  /** Every file read, in order (a folder's patches included). */
  files: string[];
  problems: SeriesProblem[];
}

const LINE0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export async function readSeries(paths: readonly string[], options: ReadSeriesOptions): Promise<ReadSeries> {
  const files: string[] = [];
  const problems: SeriesProblem[] = [];
  for (const given of paths) {
    const path = resolve(options.cwd, given);
    try {
      if ((await stat(path)).isDirectory()) {
        const names = (await readdir(path)).filter((n) => n.endsWith('.patch') && !n.startsWith('.')).sort();
        if (names.length === 0) problems.push({ code: SERIES_UNREADABLE, severity: 'error', message: `the folder "${given}" holds no .patch files`, range: LINE0, file: path });
        files.push(...names.map((n) => resolve(path, n)));
      } else files.push(path);
    } catch (err) {
      problems.push({ code: SERIES_UNREADABLE, severity: 'error', message: `cannot read "${given}": ${reason(err)}`, range: LINE0, file: path });
    }
  }
  const messages: SeriesMessage[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      problems.push({ code: SERIES_UNREADABLE, severity: 'error', message: `cannot read "${file}": ${reason(err)}`, range: LINE0, file });
      continue;
    }
    const parts = splitMbox(bytes, { mboxrd: options.mboxrd });
    if (parts.length === 0) problems.push({ code: SERIES_UNREADABLE, severity: 'error', message: `"${file}" holds no message`, range: LINE0, file });
    parts.forEach((part, i) => messages.push(readSeriesMessage(part, file, i)));
  }
  return { messages, files, problems };
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : err instanceof Error ? err.message : String(err);
}

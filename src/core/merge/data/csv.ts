// CSV data (RFC 4180): a header row naming the columns, then one row per message; UTF-8 with or without a
// byte-order mark; `,` or `;` between fields (Excel writes `;` where the decimal mark is a comma), told
// apart by which one splits the header into more columns. Parsing is csv-parse's (loaded on first use);
// the file is streamed, so memory does not grow with the row count.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Transform } from 'node:stream';
import type { Range } from '../../types';
import { MERGE_DATA_INVALID } from '../codes';
import type { DataRow } from '../types';
import { DataError, dataProblem, lineRange, START, type DataItem, type DataSource } from './source';

const LINE_BREAK = /\r\n|\n|\r/g;

type CsvRecord = { record: string[]; raw: string; info: { lines: number; bytes: number } };

/** Byte offsets where lines start, found while decoding; looked up in order as records come. */
class LineIndex {
  private readonly starts: number[] = [0];
  private at = 0;

  add(offset: number): void {
    this.starts.push(offset);
  }

  /** The line holding byte `offset` (offsets must not go backwards between calls). */
  lineOf(offset: number): number {
    while (this.at + 1 < this.starts.length && this.starts[this.at + 1] <= offset) this.at++;
    return this.at;
  }
}

export async function openCsv(path: string): Promise<DataSource> {
  const { parse } = await import('csv-parse');
  const { parse: parseSync } = await import('csv-parse/sync');
  const problems: DataSource['problems'] = [];
  const delimiter = chooseDelimiter(await firstLine(path), parseSync);
  const options = { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true, raw: true } as const;

  async function* records(): AsyncGenerator<CsvRecord & { line: number }> {
    const lines = new LineIndex();
    // pipeline, not pipe: a decoding error then ends the parser's iteration instead of going uncaught.
    const parser = pipeline(createReadStream(path), utf8Decoder(lines), parse(options), () => undefined);
    try {
      for await (const item of parser as AsyncIterable<CsvRecord>) {
        // csv-parse's line count and raw text do not agree on CRLF; its byte count does, so the record's
        // first line is the line of its last byte, less the line breaks inside its quoted fields.
        const inner = item.record.reduce((n, field) => n + (field.match(LINE_BREAK)?.length ?? 0), 0);
        yield { ...item, line: lines.lineOf(item.info.bytes - 1) - inner };
      }
    } catch (err) {
      throw new DataError(readProblem(err));
    } finally {
      parser.destroy();
    }
  }

  let header: (CsvRecord & { line: number }) | undefined;
  try {
    for await (const first of records()) {
      header = first;
      break;
    }
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    problems.push(err.problem);
  }
  const columns = header?.record.map((c) => c.trim()) ?? [];
  const headerCells = header ? cellRanges(header, 0, delimiter) : [];
  if (!header && problems.length === 0) problems.push(dataProblem('the data file is empty: the first row names the columns (RFC 4180 header)', START, MERGE_DATA_INVALID));
  const seen = new Map<string, number>();
  columns.forEach((name, i) => {
    if (name === '') problems.push(dataProblem(`column ${i + 1} of the header has no name`, headerCells[i] ?? START, MERGE_DATA_INVALID, 'warning'));
    else if (seen.has(name)) problems.push(dataProblem(`the header names "${name}" twice (columns ${(seen.get(name) ?? 0) + 1} and ${i + 1})`, headerCells[i] ?? START, MERGE_DATA_INVALID));
    else seen.set(name, i);
  });

  return {
    path,
    format: 'csv',
    columns,
    columnRange: (column) => headerCells[columns.indexOf(column)],
    problems,
    async *rows() {
      if (!header) return;
      let number = 0;
      let skippedHeader = false;
      for await (const item of records()) {
        if (!skippedHeader) {
          skippedHeader = true;
          continue;
        }
        number++;
        yield rowOf(item, number, columns, delimiter);
      }
    },
  };
}

function rowOf(item: CsvRecord & { line: number }, number: number, columns: string[], delimiter: string): DataItem {
  const startLine = item.line;
  const firstLineLength = item.raw.replace(/^[\r\n]+/, '').split(LINE_BREAK)[0].length;
  const range = lineRange(startLine, firstLineLength);
  const cells = cellRanges(item, startLine, delimiter);
  const values: Record<string, string> = Object.create(null);
  columns.forEach((column, i) => {
    if (column !== '' && i < item.record.length && !(column in values)) values[column] = item.record[i];
  });
  const row: DataRow = { number, range, values, cellRange: (column) => cells[columns.indexOf(column)] ?? range };
  const problems =
    item.record.length === columns.length
      ? []
      : [dataProblem(`row ${number} has ${item.record.length} field${item.record.length === 1 ? '' : 's'}, the header names ${columns.length}`, range, MERGE_DATA_INVALID, 'error', number)];
  return { row, problems };
}

/**
 * Where each field of a one-line, unquoted record is (for pointing at a cell); for a record with quotes the
 * whole row is pointed at instead, since only the parser can tell its fields apart.
 */
function cellRanges(item: CsvRecord, line: number, delimiter: string): Range[] {
  const text = item.raw.replace(/[\r\n]+$/, '').replace(/^[\uFEFF\r\n]+/, '');
  if (text.includes('"') || /[\r\n]/.test(text)) return [];
  const ranges: Range[] = [];
  let at = 0;
  for (const field of text.split(delimiter)) {
    ranges.push({ start: { line, character: at }, end: { line, character: at + field.length } });
    at += field.length + delimiter.length;
  }
  return ranges;
}

/** `,` unless `;` splits the header into more columns. */
function chooseDelimiter(line: string, parseSync: (input: string, options: object) => string[][]): string {
  const count = (delimiter: string) => {
    try {
      return parseSync(line, { bom: true, delimiter, relax_quotes: true, relax_column_count: true })[0]?.length ?? 0;
    } catch {
      return 0;
    }
  };
  return count(';') > count(',') ? ';' : ',';
}

async function firstLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split(/\r\n|\n|\r/)[0];
  } finally {
    await handle.close();
  }
}

/** UTF-8 text or a clear error: csv-parse would turn bad bytes into U+FFFD and send them on silently. */
function utf8Decoder(lines: LineIndex): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let offset = 0;
  return new Transform({
    decodeStrings: true,
    transform(chunk: Buffer, _encoding, done) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines.add(offset + i + 1);
        offset += chunk.length;
        done(null, text);
      } catch {
        done(Object.assign(new Error(`the data file is not UTF-8 text (a bad byte after byte ${offset}): save it as UTF-8`), { utf8: true }));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(Object.assign(new Error('the data file ends in the middle of a UTF-8 character: save it as UTF-8'), { utf8: true }));
      }
    },
  });
}

function readProblem(err: unknown) {
  const e = err as { message?: string; lines?: number; code?: string; utf8?: boolean };
  const line = typeof e.lines === 'number' ? Math.max(0, e.lines - 1) : 0;
  const message = e.utf8 ? String(e.message) : `the data file is not valid CSV: ${String(e.message ?? err).replace(/^Invalid Record Length: /, '')}`;
  return dataProblem(message, lineRange(line, 0), MERGE_DATA_INVALID);
}


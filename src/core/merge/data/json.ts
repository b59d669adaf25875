// JSON data: an array of objects, one per message, whose keys are the columns; values are text, numbers,
// true/false or null (written as text; null as empty). The file is read as text once; the objects are
// located with jsonc-parser's visitor (which knows every position, for pointing at a row or a cell) and
// parsed one at a time when the rows are read, so the parsed table is never held whole.
import { readFile } from 'node:fs/promises';
import type { Range } from '../../types';
import { lineStartsOf, rangeIn } from '../../compose/lines';
import { MERGE_DATA_INVALID } from '../codes';
import type { DataRow } from '../types';
import { dataProblem, START, type DataItem, type DataSource } from './source';

export async function openJson(path: string): Promise<DataSource> {
  const { visit, printParseErrorCode } = await import('jsonc-parser');
  const problems: DataSource['problems'] = [];
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err;
    problems.push(dataProblem('the data file is not UTF-8 text: save it as UTF-8', START, MERGE_DATA_INVALID));
  }
  let lineStarts: number[] | undefined;
  const rangeOf = (start: number, end: number): Range => rangeIn((lineStarts ??= lineStartsOf(text)), start, end);

  // Each row object: where it starts and ends. Four numbers a row, whatever the row holds.
  const starts: number[] = [];
  const ends: number[] = [];
  const columns: string[] = [];
  const columnAt = new Map<string, [number, number]>();
  const nested: { row: number; column: string; start: number; end: number }[] = [];
  let depth = 0;
  let rootIsArray = false;
  let property = '';
  const element = (offset: number, kind: string) => {
    problems.push(dataProblem(`row ${starts.length + 1} is ${kind}: each row is an object of column names and values`, rangeOf(offset, offset + 1), MERGE_DATA_INVALID, 'error', starts.length + 1));
  };
  visit(
    text,
    {
      onArrayBegin(offset) {
        if (depth === 0) rootIsArray = true;
        else if (depth === 1 && rootIsArray) element(offset, 'a list');
        else if (depth === 2) nested.push({ row: starts.length, column: property, start: offset, end: offset + 1 });
        depth++;
      },
      onArrayEnd() {
        depth--;
      },
      onObjectBegin(offset) {
        if (depth === 1 && rootIsArray) starts.push(offset);
        else if (depth === 2) nested.push({ row: starts.length, column: property, start: offset, end: offset + 1 });
        depth++;
      },
      onObjectEnd(offset, length) {
        depth--;
        if (depth === 1 && rootIsArray) ends.push(offset + length);
      },
      onObjectProperty(name, offset, length) {
        if (depth !== 2 || !rootIsArray) return;
        property = name;
        if (!columnAt.has(name)) {
          columns.push(name);
          columnAt.set(name, [offset, offset + length]);
        }
      },
      onLiteralValue(_value, offset, length) {
        if (depth === 1 && rootIsArray) element(offset, 'a single value');
        else if (depth === 0) problems.push(dataProblem('the JSON data must be an array of objects, one per row', rangeOf(offset, offset + length), MERGE_DATA_INVALID));
      },
      onError(error, offset, length) {
        if (problems.length < 20) problems.push(dataProblem(`the data file is not valid JSON: ${printParseErrorCode(error)}`, rangeOf(offset, offset + length), MERGE_DATA_INVALID));
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  if (text.trim() && !rootIsArray && problems.length === 0) problems.push(dataProblem('the JSON data must be an array of objects, one per row', START, MERGE_DATA_INVALID));
  const nestedByRow = new Map<number, { column: string; start: number; end: number }[]>();
  for (const n of nested) nestedByRow.set(n.row, [...(nestedByRow.get(n.row) ?? []), n]);

  const broken = problems.some((p) => p.severity === 'error' && p.row === undefined);
  return {
    path,
    format: 'json',
    columns,
    columnRange: (column) => {
      const at = columnAt.get(column);
      return at ? rangeOf(at[0], at[1]) : undefined;
    },
    problems,
    async *rows() {
      if (broken) return;
      for (let i = 0; i < starts.length && i < ends.length; i++) {
        const start = starts[i];
        const end = ends[i];
        const object = JSON.parse(text.slice(start, end)) as Record<string, unknown>;
        const values: Record<string, string> = Object.create(null);
        for (const [key, value] of Object.entries(object)) {
          if (value === null) values[key] = '';
          else if (typeof value === 'string') values[key] = value;
          else if (typeof value === 'number' || typeof value === 'boolean') values[key] = String(value);
        }
        const number = i + 1;
        const range = rangeOf(start, start + 1);
        const cellRange = (column: string): Range => {
          let found: Range | undefined;
          let level = 0;
          visit(text.slice(start, end), {
            onObjectBegin: () => void level++,
            onObjectEnd: () => void level--,
            onObjectProperty: (name, offset, length) => {
              if (level === 1 && name === column && !found) found = rangeOf(start + offset, start + offset + length);
            },
          });
          return found ?? range;
        };
        const row: DataRow = { number, range, values, cellRange };
        const problemsOfRow = (nestedByRow.get(i + 1) ?? []).map((n) =>
          dataProblem(`row ${number}, column ${n.column}: a value is text, a number, true, false or null`, rangeOf(n.start, n.end), MERGE_DATA_INVALID, 'error', number),
        );
        const item: DataItem = { row, problems: problemsOfRow };
        yield item;
      }
    },
  };
}

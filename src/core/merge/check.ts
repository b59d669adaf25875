// Checks before anything leaves: every row rendered and checked as a single message would be, streamed so
// that memory stays flat, plus what only a whole table shows (two rows for the same recipients, a column
// a row lacks). Problems are capped in number (the counts are not): 100,000 rows with the same mistake
// make one long list nobody reads.
import { rangeIn } from '../compose/lines';
import * as codes from './codes';
import { DataError } from './data/source';
import type { RowState } from './journal';
import type { OpenedMerge } from './open';
import { rowProblem } from './render';
import { checkRow } from './rowCheck';
import type { MergeProblem } from './types';

export interface MergeCheck {
  /** Rows read (all of them unless `rowLimit` stopped earlier). */
  rows: number;
  checkedAll: boolean;
  /** The template's problems, then the rows' (at most `maxProblems` of those). */
  problems: MergeProblem[];
  errors: number;
  warnings: number;
  /** No error anywhere: the merge may be sent. */
  sendable: boolean;
  /** The recipients (envelope) of the first rows not yet sent, for the confirmation. */
  firstRecipients: string[];
  /** Rows the journal does not yet record as sent (or unknown): what a send would take. */
  pending: number;
}

export interface CheckOptions {
  /** Check only the first N rows (live diagnostics); the send always checks all. */
  rowLimit?: number;
  maxProblems?: number;
  signal?: AbortSignal;
  onProgress?(rowsChecked: number): void;
  /** The journal's rows, to count what is pending. */
  journal?: ReadonlyMap<string, RowState>;
  retryUnknown?: boolean;
}

export async function checkMerge(merge: OpenedMerge, options: CheckOptions = {}): Promise<MergeCheck> {
  const maxProblems = options.maxProblems ?? 500;
  const templateProblems: MergeProblem[] = [...merge.problems.filter((p) => p.file === 'template')];
  const dataProblems: MergeProblem[] = merge.problems.filter((p) => p.file === 'data');
  let errors = merge.problems.filter((p) => p.severity === 'error').length;
  let warnings = merge.problems.filter((p) => p.severity === 'warning').length;
  const seenTemplate = new Set(templateProblems.map((p) => `${p.code}|${p.range.start.line}:${p.range.start.character}`));
  const echoes = new Map<string, { problem: MergeProblem; rows: number[]; count: number }>();
  const keys = new Map<string, number>();
  const firstRecipients: string[] = [];
  let rows = 0;
  let pending = 0;
  let checkedAll = true;

  const addRowProblem = (p: MergeProblem) => {
    if (p.severity === 'error') errors++;
    else if (p.severity === 'warning') warnings++;
    else return; // info and hints per row would bury the rest
    if (dataProblems.length < maxProblems) dataProblems.push(p);
    // Echoed once per code and column on the template, where the column is used.
    const column = p.columns?.[0];
    const use = column ? merge.template.uses.find((u) => u.name === column) : undefined;
    if (!use) return;
    const key = `${p.code}|${column}`;
    const echo = echoes.get(key);
    if (echo) {
      echo.count++;
      if (echo.rows.length < 5 && p.row !== undefined) echo.rows.push(p.row);
    } else echoes.set(key, { problem: { ...p, file: 'template', range: rangeIn(merge.template.lineStarts, use.start, use.end) }, rows: p.row !== undefined ? [p.row] : [], count: 1 });
  };

  const { data } = merge;
  if (data) {
    const used = merge.template.columns.filter((c) => data.columns.includes(c));
    try {
      for await (const item of data.rows()) {
        if (options.signal?.aborted) {
          checkedAll = false;
          break;
        }
        if (options.rowLimit !== undefined && rows >= options.rowLimit) {
          checkedAll = false;
          break;
        }
        rows++;
        const { row } = item;
        for (const p of item.problems) addRowProblem(p);
        for (const column of used) {
          if (!(column in row.values)) addRowProblem({ ...rowProblem(row, codes.MERGE_DATA_INVALID, `has no value for "${column}"`), columns: [column] });
        }
        const checked = await checkRow(merge.template, row, { analyze: merge.setup.analyze, defaultFrom: merge.setup.defaultFrom });
        for (const p of checked.problems) {
          if (p.file === 'data') addRowProblem(p);
          else {
            const key = `${p.code}|${p.range.start.line}:${p.range.start.character}`;
            if (seenTemplate.has(key)) continue;
            seenTemplate.add(key);
            templateProblems.push(p);
            if (p.severity === 'error') errors++;
            else if (p.severity === 'warning') warnings++;
          }
        }
        const { key } = checked.rendered;
        const earlier = keys.get(key);
        if (earlier !== undefined) {
          const what = key.startsWith('key:') ? `has the same Merge-Key as row ${earlier}` : key.startsWith('to:') ? `goes to the same recipients as row ${earlier} (${key.slice(3)})` : `repeats row ${earlier}`;
          addRowProblem(rowProblem(row, codes.MERGE_DUPLICATE_RECIPIENT, `${what}: each row is sent once, so one row per recipient`));
        } else keys.set(key, row.number);
        const state = options.journal?.get(key);
        if (!state || state.status === 'failed' || (state.status === 'unknown' && options.retryUnknown)) {
          pending++;
          if (firstRecipients.length < 3 && checked.message) firstRecipients.push(checked.message.envelope.to.join(', '));
        }
        if (rows % 100 === 0) options.onProgress?.(rows);
      }
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      addRowProblem({ ...err.problem, severity: 'error' });
    }
  }
  options.onProgress?.(rows);
  if (data && rows === 0 && checkedAll && errors === 0) {
    errors++;
    dataProblems.push({ code: codes.MERGE_DATA_INVALID, severity: 'error', message: 'the data file has no rows below its header', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, file: 'data' });
  }
  for (const { problem, rows: which, count } of echoes.values()) {
    const rowsText = `${count === 1 ? 'row' : `${count} rows:`} ${which.join(', ')}${count > which.length ? ', ...' : ''}`;
    const message = problem.message.replace(/^row \d+(, column | \([^)]*\): |: )/, '');
    templateProblems.push({ ...problem, row: undefined, message: `${rowsText}: ${message}` });
  }
  return {
    rows,
    checkedAll,
    problems: [...templateProblems, ...dataProblems],
    errors,
    warnings,
    sendable: errors === 0 && merge.data !== undefined,
    firstRecipients,
    pending,
  };
}

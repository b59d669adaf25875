// A table of recipients, read row by row without holding it all: what the merge iterates twice (once to
// check every row, once to send), each pass a fresh read of the file.
import type { Range } from '../../types';
import type { DataRow, MergeProblem } from '../types';

export interface DataItem {
  row: DataRow;
  /** What is wrong with the row as data (a field count that does not match the header, a nested value). */
  problems: MergeProblem[];
}

export interface DataSource {
  /** The data file's absolute path. */
  path: string;
  format: 'csv' | 'json';
  columns: string[];
  /** Where a column is named (the header cell, or its first key), if it is. */
  columnRange(column: string): Range | undefined;
  /** Problems of the whole file (no header, a duplicate column, not UTF-8, not valid JSON). */
  problems: MergeProblem[];
  /** Every row, read afresh; a problem that ends the reading (a broken quote) is thrown as DataError. */
  rows(): AsyncIterable<DataItem>;
}

/** The file cannot be read any further; the problem says where and why. */
export class DataError extends Error {
  constructor(readonly problem: MergeProblem) {
    super(problem.message);
  }
}

export function dataProblem(message: string, range: Range, code: string, severity: MergeProblem['severity'] = 'error', row?: number): MergeProblem {
  return { code, severity, message, range, file: 'data', ...(row !== undefined ? { row } : {}) };
}

export const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function lineRange(line: number, length: number): Range {
  return { start: { line, character: 0 }, end: { line, character: length } };
}

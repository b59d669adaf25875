// Types shared by the merge modules: problems that name a row and a column, and one row of the data.
import type { Problem, Range } from '../types';

/** A finding of a merge, placed in the template or in the data file. */
export interface MergeProblem extends Problem {
  file: 'template' | 'data';
  /** The data row that caused it (1-based, the header not counted). */
  row?: number;
  /** The columns whose values are involved. */
  columns?: string[];
}

/** One row of the data file. */
export interface DataRow {
  /** 1-based, the header not counted: what `--row N` and the report call it. */
  number: number;
  /** Where the row is in the data file (its first line). */
  range: Range;
  /** Column name -> value as text. */
  values: Readonly<Record<string, string>>;
  /** Where one column's value is in the data file (the row's range when it cannot be told). */
  cellRange(column: string): Range;
}

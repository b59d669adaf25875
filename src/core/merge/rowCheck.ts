// One row checked with the same rules as a single message: the rendered document is analysed as any
// document is (../document/analyze.ts) and its final bytes built; every problem found is placed where it
// was caused. A problem inside what a row's values filled (a header field holding a field, the body line
// holding one) is the row's: it is reported on the data file, row and column named. Anything else is the
// template's own, reported once on the template.
import { analyzeDocument, type AnalyzeOptions } from '../document/analyze';
import { lineStartsOf } from '../compose/lines';
import { offsetAt } from '../message/positions';
import type { PreparedMessage } from '../message/types';
import type { Problem, Range } from '../types';
import { renderRow, toTemplate, type RenderedRow } from './render';
import type { MergeTemplate } from './template';
import type { DataRow, MergeProblem } from './types';
import { rangeIn } from '../compose/lines';

export interface CheckedRow {
  rendered: RenderedRow;
  /** The row's problems (data file) and the template's (template file) found in this row. */
  problems: MergeProblem[];
  /** The message, when the row has no error and `prepare` was asked for. */
  message?: PreparedMessage;
  /** The files the row's message carries (for the review). */
  files?: Awaited<ReturnType<typeof analyzeDocument>>['files'];
}

export interface RowCheckOptions {
  analyze: AnalyzeOptions;
  defaultFrom?: string;
  /** Build the final bytes (default true): a check that will not send can stop at the rules. */
  prepare?: boolean;
  now?: Date;
  /** The row already rendered (the runner renders first to find the row's key). */
  rendered?: RenderedRow;
}

export async function checkRow(template: MergeTemplate, row: DataRow, options: RowCheckOptions): Promise<CheckedRow> {
  const rendered = options.rendered ?? renderRow(template, row, { defaultFrom: options.defaultFrom });
  const problems: MergeProblem[] = [...rendered.problems];
  // A refused value left its place empty: what the rules would say about that is noise.
  if (rendered.problems.some((p) => p.severity === 'error')) return { rendered, problems };
  const analysis = await analyzeDocument(rendered.text, options.analyze);
  const place = placer(template, rendered);
  for (const problem of analysis.problems) problems.push(place(problem));
  if (!analysis.sendable || rendered.problems.some((p) => p.severity === 'error') || options.prepare === false) {
    return { rendered, problems, files: analysis.files };
  }
  const prepared = await analysis.prepare(options.now);
  if (!prepared.ok) {
    // What only the final bytes show (the composed text's checks, the size): the row's.
    const known = new Set(analysis.problems.map((p) => `${p.code}|${p.message}`));
    for (const p of prepared.problems) {
      if (p.severity === 'error' && !known.has(`${p.code}|${p.message}`)) problems.push({ ...p, message: `row ${row.number}: ${p.message}`, range: row.range, file: 'data', row: row.number });
    }
    return { rendered, problems, files: analysis.files };
  }
  return { rendered, problems, message: prepared.message, files: analysis.files };
}

/** Places a problem of the rendered document: on the row (and its columns) or on the template. */
function placer(template: MergeTemplate, rendered: RenderedRow): (problem: Problem) => MergeProblem {
  let lineStarts: number[] | undefined;
  return (problem) => {
    lineStarts ??= lineStartsOf(rendered.text);
    const start = offsetAt(lineStarts, rendered.text.length, problem.range.start);
    const end = offsetAt(lineStarts, rendered.text.length, problem.range.end);
    const columns = new Set<string>();
    for (const span of rendered.spans) {
      if (!span.columns.length || start > span.ownerEnd || end < span.ownerStart) continue;
      // The values the problem's range touches, when it points inside the slot; else every value of it.
      const touched = span.parts?.filter((p) => start < p.end && end > p.start).map((p) => p.column) ?? [];
      for (const c of touched.length ? touched : span.columns) columns.add(c);
    }
    const { row } = rendered;
    if (columns.size > 0) {
      const named = [...columns];
      const range: Range = row.cellRange(named[0]);
      return { code: problem.code, severity: problem.severity, message: `row ${row.number} (${named.join(', ')}): ${problem.message}`, range, file: 'data', row: row.number, columns: named };
    }
    const range = rangeIn(template.lineStarts, toTemplate(rendered.spans, start), toTemplate(rendered.spans, end));
    // Quick fixes are dropped: their edits are for the rendered text, not the template.
    return { code: problem.code, severity: problem.severity, message: problem.message, range, file: 'template' };
  };
}

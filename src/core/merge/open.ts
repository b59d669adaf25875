// A merge put together: the template read, the data file found (named on the command line or by the
// picker, which the user chose; or named in the template, which must then lie inside the template's tree
// like any attachment, since a template from someone else's repository must not read your files) and
// opened, and the journal's place next to the data file.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { rangeIn } from '../compose/lines';
import type { AnalyzeOptions } from '../document/analyze';
import { inspectFile, type FileScope } from '../document/fileScope';
import type { Range } from '../types';
import * as codes from './codes';
import { openData, type DataSource } from './data';
import { DataError } from './data/source';
import { journalPathFor } from './journal';
import { parseTemplate, type MergeTemplate } from './template';
import type { MergeProblem } from './types';

export interface MergeSetup {
  templatePath: string;
  /** The template's text (an editor's, unsaved changes included); read from templatePath when absent. */
  templateText?: string;
  /** A data file the user chose (command line, picker): taken as it is. Else the one the template names. */
  dataPath?: string;
  /** How every row is analysed: the same options a single message of this template would get. */
  analyze: AnalyzeOptions;
  /** The tree a data file named in the template must be in. */
  scope: FileScope;
  /** The profile's default From (Message-ID domain when the template has no From). */
  defaultFrom?: string;
}

export interface OpenedMerge {
  setup: MergeSetup;
  template: MergeTemplate;
  data?: DataSource;
  /** The template's and the data file's own problems (before any row). */
  problems: MergeProblem[];
  journalPath?: string;
}

const TOP: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export async function openMerge(setup: MergeSetup): Promise<OpenedMerge> {
  const text = setup.templateText ?? (await readFile(setup.templatePath, 'utf8'));
  const template = await parseTemplate(text, setup.templatePath);
  const problems: MergeProblem[] = [...template.problems];
  const noData = (message: string, range: Range = TOP): OpenedMerge => ({
    setup,
    template,
    problems: [...problems, { code: codes.MERGE_NO_DATA, severity: 'error', message, range, file: 'template' }],
  });

  let dataPath = setup.dataPath;
  if (!dataPath) {
    if (!template.dataRef || !template.dataRef.path) {
      return noData(`no data file: name one in the template (${template.form === 'eml' ? '"Merge-Data: recipients.csv"' : '"mergeData: recipients.csv"'}) or give one (--data FILE)`);
    }
    const state = await inspectFile(template.dataRef.path, dirname(setup.templatePath), setup.scope);
    if (state.status !== 'ok') {
      const why = 'reason' in state ? state.reason : 'the template has no folder yet';
      return noData(`the data file "${template.dataRef.path}" cannot be used: ${why}`, template.dataRef.range);
    }
    dataPath = state.realPath;
  } else if (!isAbsolute(dataPath)) dataPath = resolve(dirname(setup.templatePath), dataPath);

  let data: DataSource;
  try {
    data = await openData(dataPath);
  } catch (err) {
    if (err instanceof DataError) return { ...noData(err.message), problems: [...problems, err.problem] };
    const code = (err as NodeJS.ErrnoException).code;
    return noData(`cannot read the data file ${dataPath}: ${code === 'ENOENT' ? 'no such file' : code ?? String(err)}`, template.dataRef?.range);
  }
  problems.push(...data.problems);
  for (const use of template.uses) {
    if (data.columns.includes(use.name)) continue;
    const near = data.columns.find((c) => c.toLowerCase() === use.name.toLowerCase());
    const list = data.columns.length ? data.columns.filter(Boolean).slice(0, 12).join(', ') : 'none';
    problems.push({
      code: codes.MERGE_UNKNOWN_COLUMN,
      severity: 'error',
      message: `\${${use.name}}: the data has no column "${use.name}"${near ? ` (did you mean "${near}"?)` : ''}; its columns: ${list}`,
      range: rangeIn(template.lineStarts, use.start, use.end),
      file: 'template',
    });
  }
  return { setup, template, data, problems, journalPath: journalPathFor(dataPath, setup.templatePath) };
}

// Whether a document is a merge template that names its data (`Merge-Data:` in the header block, or
// `mergeData:` in front matter): such a document is checked row by row by the merge, not as one message.
// Cheap on purpose (the editor asks on every change): only the start of the text is looked at.
import type { Problem } from '../types';
import { MERGE_TEMPLATE } from './codes';

const NAMES_DATA = /^(?:Merge-Data[ \t]*:|mergeData[ \t]*:)/im;

/** `head`: the document's first few kilobytes. */
export function namesMergeData(head: string): boolean {
  const match = NAMES_DATA.exec(head);
  if (!match) return false;
  // In an RFC 5322 document the field must come before the blank line that ends the header block.
  const blank = /\r?\n\r?\n|\r\r/.exec(head);
  return !blank || match.index < blank.index || /^\uFEFF?---/.test(head);
}

/**
 * A merge template sent as one message would carry its `${fields}` as written (and its Merge-Data line):
 * the single-message send refuses it and points at the merge. `text`: the whole document.
 */
export function mergeTemplateProblem(text: string): Problem | undefined {
  const head = text.slice(0, 64 * 1024);
  if (!namesMergeData(head)) return undefined;
  const at = NAMES_DATA.exec(head)?.index ?? 0;
  const line = (head.slice(0, at).match(/\r\n|\r|\n/g) ?? []).length;
  const end = head.slice(at).search(/\r|\n|$/);
  return {
    code: MERGE_TEMPLATE,
    severity: 'error',
    message: 'this is a mail merge template (it names its data file): send it with Mail Merge (mailsmith merge), which fills its ${fields} row by row; as one message it would go out with the fields as written',
    range: { start: { line, character: 0 }, end: { line, character: end } },
  };
}

// Whether a document is a merge template that names its data (`Merge-Data:` in the header block, or
// `mergeData:` in front matter): such a document is checked row by row by the merge, not as one message.
// Cheap on purpose (the editor asks on every change): only the start of the text is looked at.

const NAMES_DATA = /^(?:Merge-Data[ \t]*:|mergeData[ \t]*:)/im;

/** `head`: the document's first few kilobytes. */
export function namesMergeData(head: string): boolean {
  const match = NAMES_DATA.exec(head);
  if (!match) return false;
  // In an RFC 5322 document the field must come before the blank line that ends the header block.
  const blank = /\r?\n\r?\n|\r\r/.exec(head);
  return !blank || match.index < blank.index || /^\uFEFF?---/.test(head);
}

// `${name}` fields: the syntax New Email templates use (src/vscode/compose/templateText.ts), here for a
// merge. `$${name}` writes a literal `${name}` (a shell snippet in a body stays as it is).

/** `${name}`: a letter, then letters, digits, `_`, `.` or `-`; `$${...}` is the escaped form. */
const FIELD = /\$(\$?)\{([A-Za-z][\w.-]*)\}/g;

export interface FieldUse {
  name: string;
  /** Offsets of `${name}` in the text searched. */
  start: number;
  end: number;
}

export interface FieldScan {
  fields: FieldUse[];
  /** `$${name}` occurrences, written out as `${name}`. */
  escapes: { start: number; end: number }[];
}

export function scanFields(text: string): FieldScan {
  const fields: FieldUse[] = [];
  const escapes: { start: number; end: number }[] = [];
  for (const match of text.matchAll(FIELD)) {
    const start = match.index ?? 0;
    if (match[1]) escapes.push({ start, end: start + match[0].length });
    else fields.push({ name: match[2], start, end: start + match[0].length });
  }
  return { fields, escapes };
}

/** The distinct field names of a text, in order of first use. */
export function fieldNames(text: string): string[] {
  return [...new Set(scanFields(text).fields.map((f) => f.name))];
}

/** A text with its `$${name}` escapes written as `${name}` (for literal template text around fields). */
export function unescapeLiteral(text: string): string {
  return text.includes('$${') ? text.replace(/\$(\$\{[A-Za-z][\w.-]*\})/g, '$1') : text;
}

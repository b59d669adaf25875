// Template text for New Email: `${name}` placeholders found and filled. No `vscode` import, so the
// logic is unit-tested in plain Node.

/** `${name}`: a letter, then letters, digits, `_`, `.` or `-`. */
const PLACEHOLDER = /\$\{([A-Za-z][\w.-]*)\}/g;

/** The built-in template, used when the templates folder holds none (or the user picks it). */
export const DEFAULT_TEMPLATE = ['From: ${from}', 'To: ', 'Subject: ${subject}', '', '', ''].join('\n');
export const DEFAULT_TEMPLATE_NAME = 'Plain message (built in)';

/** The distinct placeholder names, in the order they first appear. */
export function placeholdersOf(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) if (!names.includes(match[1])) names.push(match[1]);
  return names;
}

/** Replaces each `${name}` that has a value; placeholders without one are left as written. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole));
}

/** Where the cursor goes: the end of the first `To:` line (the recipient is what a new message needs first). */
export function cursorOffset(text: string): number {
  const match = /^To:[^\r\n]*/im.exec(text);
  if (match) return match.index + match[0].length;
  const frontMatterTo = /^to:[^\r\n]*/m.exec(text);
  return frontMatterTo ? frontMatterTo.index + frontMatterTo[0].length : 0;
}

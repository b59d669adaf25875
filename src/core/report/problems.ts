// Problems in words, once: `file:line:col severity code message` lines and a count summary for terminals and
// problem matchers, and the short refusal a face shows when a send is refused.
import { escapeControls } from '../message/codePoints';
import type { Problem, Severity } from '../types';

/**
 * 1-based `file:line:column severity code message`, the format editors' problem matchers read. Whatever a
 * rule quotes from an untrusted file (and the file's own name) is escaped once here, so no control character
 * or escape sequence reaches a terminal through `mailsmith check`.
 */
export function problemLine(file: string, p: Problem): string {
  return escapeControls(`${file}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.code} ${p.message}`);
}

export function countBySeverity(problems: readonly Problem[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const p of problems) counts[p.severity]++;
  return counts;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "no problems in 2 files", or "3 problems (1 error, 2 warnings, 0 info, 0 hints) in 2 files". */
export function problemSummary(problems: readonly Problem[], files: number): string {
  const c = countBySeverity(problems);
  const where = plural(files, 'file');
  if (problems.length === 0) return `no problems in ${where}`;
  return `${plural(problems.length, 'problem')} (${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info, ${plural(c.hint, 'hint')}) in ${where}`;
}

/** Why a send was refused, in one line: how many errors, and the first one with its line. */
export function refusalSummary(errors: readonly Problem[]): string {
  if (errors.length === 0) return 'Not sent: the message cannot be prepared.';
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `Not sent: ${plural(errors.length, 'error')} in the message. Line ${first.range.start.line + 1}: ${first.message} (${first.code})${more}.`;
}

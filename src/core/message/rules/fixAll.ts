// "Fix all" (the editor's source.fixAll.mailsmith, on request or on save): every problem's preferred fix,
// in document order, each taken whole or not at all. A fix that touches text another fix already
// changes is left for the next round (the problem stays listed, with its fix, after the edit), as ESLint
// and markdownlint do: two overlapping edits have no order that keeps both meanings.
import type { Fix, Position, Problem, Range, TextEdit } from '../../types';

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

function isEmpty(r: Range): boolean {
  return compare(r.start, r.end) === 0;
}

/**
 * Two edits conflict when they share text, or are insertions at the same place (their order would be a
 * guess). An insertion where a replacement starts does not conflict: editors apply it first (VS Code's
 * text model sorts the edits by range), as `Name <` + `addr@x` + `>` then `;` -> `,` needs.
 */
function overlaps(a: Range, b: Range): boolean {
  if (isEmpty(a) && isEmpty(b)) return compare(a.start, b.start) === 0;
  return compare(a.start, b.end) < 0 && compare(b.start, a.end) < 0;
}

/** The fixes Fix all applies: preferred ones whose edits overlap no edit taken before them, in document order. */
export function fixAllFixes(problems: readonly Problem[]): Fix[] {
  const candidates = problems
    .flatMap((p) => (p.fixes ?? []).filter((f) => f.preferred && f.edits.length > 0).slice(0, 1))
    .map((fix) => ({ fix, first: fix.edits.reduce((min, e) => (compare(e.range.start, min) < 0 ? e.range.start : min), fix.edits[0].range.start) }))
    .sort((a, b) => compare(a.first, b.first));
  const taken = new TakenRanges();
  const chosen: Fix[] = [];
  for (const { fix } of candidates) {
    if (fix.edits.some((edit) => taken.overlaps(edit.range))) continue;
    // The edits of one fix never overlap each other (a rule makes them so).
    for (const edit of fix.edits) taken.add(edit.range);
    chosen.push(fix);
  }
  return chosen;
}

/**
 * Ranges that do not overlap, sorted by start then end: an overlap test is a binary search, not a scan.
 * At most two taken ranges share a start (an insertion and the replacement it precedes), so a new range
 * can only conflict with the one before its place or the two after it.
 */
class TakenRanges {
  private readonly ranges: Range[] = [];

  /** Index of the first range that sorts at or after `range`. */
  private lowerBound(range: Range): number {
    let low = 0;
    let high = this.ranges.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const other = this.ranges[mid];
      if ((compare(other.start, range.start) || compare(other.end, range.end)) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  overlaps(range: Range): boolean {
    const k = this.lowerBound({ start: range.start, end: range.start });
    return [k - 1, k, k + 1].some((i) => i >= 0 && i < this.ranges.length && overlaps(this.ranges[i], range));
  }

  add(range: Range): void {
    this.ranges.splice(this.lowerBound(range), 0, range);
  }
}

/** The edits of those fixes as one list, in document order (plain text: no snippet). */
export function fixAllEdits(problems: readonly Problem[]): TextEdit[] {
  return fixAllFixes(problems)
    .flatMap((f) => f.edits.map(({ range, newText }) => ({ range, newText })))
    .sort((a, b) => compare(a.range.start, b.range.start) || compare(a.range.end, b.range.end));
}

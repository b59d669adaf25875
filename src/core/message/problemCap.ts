// Issue #10: "there is no cap on problems per field: a 1 MB To of commas gives 1,000,000 warnings". A
// field lists at most MAX_PROBLEMS_PER_FIELD problems of one kind; the rest are counted in one summary
// that has the worst severity among them, so an error past the cap still refuses the send.
import type { Severity } from '../types';

export const MAX_PROBLEMS_PER_FIELD = 20;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Collects items, keeping the first `limit` and counting the rest. */
export class ProblemCap<T extends { severity: Severity }> {
  readonly kept: T[] = [];
  omitted = 0;
  worst: Severity = 'hint';
  firstOmitted?: T;
  lastOmitted?: T;

  constructor(private readonly limit = MAX_PROBLEMS_PER_FIELD) {}

  add(item: T): void {
    if (this.kept.length < this.limit) {
      this.kept.push(item);
      return;
    }
    this.omitted++;
    this.firstOmitted ??= item;
    this.lastOmitted = item;
    if (SEVERITY_RANK[item.severity] < SEVERITY_RANK[this.worst]) this.worst = item.severity;
  }

  /** The kept items, then the summary `summarise` makes of the omitted ones (if any were). */
  items(summarise: (count: number, worst: Severity, first: T, last: T) => T): T[] {
    if (this.omitted === 0) return this.kept;
    return [...this.kept, summarise(this.omitted, this.worst, this.firstOmitted!, this.lastOmitted!)];
  }
}

/** "524,268 more problems", the count written for people. */
export function moreProblems(count: number, what = 'problems'): string {
  return `${count.toLocaleString('en-US')} more ${what}`;
}

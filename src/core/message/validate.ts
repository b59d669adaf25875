// Runs every rule over a scanned document and returns the problems in document order. Never throws:
// a rule that fails becomes a problem of its own.
import type { Problem } from '../types';
import { countWork } from '../probe';
import { indexHeaders } from './headerIndex';
import { rules } from './rules';
import type { RuleContext } from './rules/rule';
import { rangeOf, scanMessage } from './scanner';
import type { ScannedMessage, ValidateOptions } from './types';

export const INTERNAL_ERROR = 'internal-error';

export function isScanned(input: unknown): input is ScannedMessage {
  return typeof input === 'object' && input !== null && !(input instanceof Uint8Array) && 'fields' in input;
}

export function validateMessage(input: string | Uint8Array | ScannedMessage, options: ValidateOptions = {}): Problem[] {
  const scanned = isScanned(input) ? input : scanMessage(input);
  countWork('validate');
  const problems: Problem[] = [];
  const index = indexHeaders(scanned);
  const context: RuleContext = {
    scanned,
    options,
    fieldsByKey: index.fieldsByKey,
    addressesOf: index.addressesOf,
    rangeOf: (start, end) => rangeOf(scanned, start, end),
    report(code, severity, message, range, fixes) {
      problems.push(fixes && fixes.length ? { code, severity, message, range, fixes } : { code, severity, message, range });
    },
  };
  for (const rule of rules) {
    try {
      rule.check(context);
    } catch (err) {
      problems.push({
        code: INTERNAL_ERROR,
        severity: 'error',
        message: `rule ${rule.name} failed: ${err instanceof Error ? err.message : String(err)}`,
        range: rangeOf(scanned, 0, 0),
      });
    }
  }
  return sortProblems(problems);
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2, hint: 3 } as const;

export function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

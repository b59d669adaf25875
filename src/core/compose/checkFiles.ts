// Runs the composer's rules over a document's files. Never throws: a failing rule becomes a problem.
import type { Problem } from '../types';
import * as codes from './codes';
import type { InspectedFile } from './files';
import { ZERO_RANGE } from './lines';
import { composeRules } from './rules';
import type { ComposeOptions, ComposeSource } from './types';

export function checkFiles(source: ComposeSource, files: InspectedFile[], options: ComposeOptions): Problem[] {
  const problems: Problem[] = [];
  for (const rule of composeRules) {
    try {
      rule.check({
        source,
        files,
        options,
        report: (code, severity, message, range, fixes) => problems.push(fixes?.length ? { code, severity, message, range, fixes } : { code, severity, message, range }),
      });
    } catch (err) {
      problems.push({ code: codes.COMPOSE_FAILED, severity: 'error', message: `rule ${rule.name} failed: ${err instanceof Error ? err.message : String(err)}`, range: ZERO_RANGE });
    }
  }
  return problems;
}

// Per-code severity, set by the user as linters let them (ESLint's rule levels, markdownlint's config, the
// Markdown language service's DiagnosticLevel): `off`, `hint`, `info`, `warning` or `error`, from the
// `mailsmith.rules` setting, a `.mailsmith.yaml` project file or `--rule CODE=LEVEL`. Rules report a default
// level; this decides what is shown. One exception, on purpose: a problem a rule reports as an error marks
// a message that cannot be sent correctly or safely (an address that does not parse would silently lose a
// recipient, a file outside the folder would leak), so configuration can raise anything but never lowers an
// error. What Problems shows as an error is exactly what refuses the send.
import type { Problem, Severity } from '../types';

export type RuleLevel = 'off' | Severity;
export type RuleLevels = Readonly<Record<string, RuleLevel>>;

export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'hint', 'info', 'warning', 'error'];

export function isRuleLevel(value: unknown): value is RuleLevel {
  return typeof value === 'string' && (RULE_LEVELS as readonly string[]).includes(value);
}

/** The problems as configured: `off` ones dropped, others at their configured severity (errors stay errors). */
export function applyRuleLevels(problems: readonly Problem[], levels: RuleLevels | undefined): Problem[] {
  if (!levels || Object.keys(levels).length === 0) return [...problems];
  const out: Problem[] = [];
  for (const problem of problems) {
    const level = Object.prototype.hasOwnProperty.call(levels, problem.code) ? levels[problem.code] : undefined;
    if (level === undefined || level === problem.severity || problem.severity === 'error') {
      out.push(problem);
      continue;
    }
    if (level === 'off') continue;
    out.push({ ...problem, severity: level });
  }
  return out;
}

/** Later layers win: built-in < project file < editor setting / command line. */
export function mergeRuleLevels(...layers: (RuleLevels | undefined)[]): RuleLevels {
  return Object.assign({}, ...layers.filter(Boolean)) as RuleLevels;
}

export interface ReadLevels {
  levels: Record<string, RuleLevel>;
  /** What was wrong with the configuration, worded for the user (the rest still applies). */
  problems: string[];
}

/** `{ code: level }` from a setting or a project file; unknown codes and levels are reported, not fatal. */
export function ruleLevelsFromObject(data: unknown, knownCodes: ReadonlySet<string>, where: string): ReadLevels {
  const levels: Record<string, RuleLevel> = {};
  const problems: string[] = [];
  if (data === undefined || data === null) return { levels, problems };
  if (typeof data !== 'object' || Array.isArray(data)) {
    problems.push(`${where}: "rules" is a mapping of problem codes to off, hint, info, warning or error`);
    return { levels, problems };
  }
  for (const [code, level] of Object.entries(data as Record<string, unknown>)) {
    if (!knownCodes.has(code)) problems.push(`${where}: unknown problem code "${code}"`);
    else if (!isRuleLevel(level)) problems.push(`${where}: "${code}" must be one of ${RULE_LEVELS.join(', ')}, not ${JSON.stringify(level)}`);
    else levels[code] = level;
  }
  return { levels, problems };
}

/** `CODE=LEVEL` as given on the command line. */
export function parseRuleArgument(text: string, knownCodes: ReadonlySet<string>): { code: string; level: RuleLevel } | string {
  const match = /^([a-z0-9-]+)=([a-z]+)$/i.exec(text.trim());
  if (!match) return `--rule takes CODE=LEVEL (for example line-over-78=off), not "${text}"`;
  const [, code, level] = match;
  if (!knownCodes.has(code)) return `--rule: unknown problem code "${code}"`;
  if (!isRuleLevel(level)) return `--rule: "${level}" is not one of ${RULE_LEVELS.join(', ')}`;
  return { code, level };
}

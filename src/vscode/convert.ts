// Core positions and problems to VS Code's types, in one place.
import * as vscode from 'vscode';
import type { Problem, Range, Severity } from '../core/types';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/**
 * A problem as a diagnostic. With `ruleDocs` (docs/rules/ of the installed extension) its code links to
 * the rule's page (`docs/rules/<code>.md`: what it means, why, how to fix it), as ESLint's codes do.
 */
export function toDiagnostic(problem: Problem, ruleDocs?: vscode.Uri): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(problem.range), problem.message, SEVERITY[problem.severity]);
  d.source = 'mailsmith';
  d.code = ruleDocs ? { value: problem.code, target: ruleDocUri(ruleDocs, problem.code) } : problem.code;
  return d;
}

/** The page of one code; codes are `[a-z0-9-]+`, so the name is safe as it is. */
export function ruleDocUri(ruleDocs: vscode.Uri, code: string): vscode.Uri {
  return vscode.Uri.joinPath(ruleDocs, `${code}.md`);
}

export function isEmailDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'email';
}

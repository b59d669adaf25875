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

export function toDiagnostic(problem: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(problem.range), problem.message, SEVERITY[problem.severity]);
  d.source = 'mailsmith';
  d.code = problem.code;
  return d;
}

export function isEmailDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'email';
}

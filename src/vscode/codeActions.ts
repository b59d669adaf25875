// Quick fixes: each core Problem may carry fixes (text edits); they become CodeActions on its diagnostic.
// Line endings are the exception: VS Code keeps one EOL per document, so that fix switches it to CRLF.
// The fixes come from the analysis the Problems view shows, for exactly this version: asking for code
// actions never starts a check of its own (VS Code asks again when the diagnostics change).
import * as vscode from 'vscode';
import { BARE_CR, BARE_LF } from '../core/message/codes';
import type { DocumentAnalyses } from './analyses';
import { toDiagnostic, toRange } from './convert';

export function registerCodeActions(analyses: DocumentAnalyses): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    { language: 'email' },
    {
      provideCodeActions(document, range) {
        const actions: vscode.CodeAction[] = [];
        for (const problem of analyses.peek(document)?.problems ?? []) {
          const problemRange = toRange(problem.range);
          if (!problemRange.intersection(range) && !problemRange.contains(range)) continue;
          if (problem.code === BARE_LF || problem.code === BARE_CR) {
            const action = new vscode.CodeAction('Use CRLF line endings', vscode.CodeActionKind.QuickFix);
            action.diagnostics = [toDiagnostic(problem)];
            action.command = { command: 'mailsmith.useCrlf', title: 'Use CRLF line endings', arguments: [document.uri] };
            actions.push(action);
            continue;
          }
          for (const fix of problem.fixes ?? []) {
            const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
            action.diagnostics = [toDiagnostic(problem)];
            action.isPreferred = fix.preferred;
            action.edit = new vscode.WorkspaceEdit();
            for (const edit of fix.edits) action.edit.replace(document.uri, toRange(edit.range), edit.newText);
            actions.push(action);
          }
        }
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}

export function registerUseCrlf(): vscode.Disposable {
  return vscode.commands.registerCommand('mailsmith.useCrlf', async (uri?: vscode.Uri) => {
    const editor = uri ? await vscode.window.showTextDocument(uri) : vscode.window.activeTextEditor;
    if (!editor) return false;
    return editor.edit((b) => b.setEndOfLine(vscode.EndOfLine.CRLF));
  });
}

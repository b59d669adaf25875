// Quick fixes and Fix all. Each core Problem may carry fixes (text edits); they become CodeActions on its
// diagnostic. An edit with a snippet becomes a SnippetTextEdit, so the cursor lands on what the user has to
// type (the From to fill in), not on line 1. Line endings are the exception: VS Code keeps one EOL per
// document, so that fix switches it to CRLF.
// Quick fixes come from the analysis the Problems view shows, for exactly this version: asking for them
// never starts a check of its own (VS Code asks again when the diagnostics change). Fix all
// (`source.fixAll.mailsmith`, from the Source Action menu or `editor.codeActionsOnSave`) applies every
// preferred fix that does not overlap another (core: message/rules/fixAll.ts); on save it waits for the
// analysis of the version being saved, which is the one the Problems view gets too (one per version).
import * as vscode from 'vscode';
import { BARE_CR, BARE_LF } from '../core/message/codes';
import { fixAllEdits, fixAllFixes } from '../core/message/rules/fixAll';
import type { Fix, Problem } from '../core/types';
import type { DocumentAnalyses } from './analyses';
import { toDiagnostic, toRange } from './convert';

/** `source.fixAll.mailsmith`: what `"editor.codeActionsOnSave": { "source.fixAll.mailsmith": "explicit" }` runs. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('mailsmith');

const FIX_ALL_TITLE = 'Fix all auto-fixable Mailsmith problems';

export function registerCodeActions(analyses: DocumentAnalyses): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    { language: 'email' },
    {
      async provideCodeActions(document, range, context) {
        const only = context.only;
        // Fix all is asked for by its kind (on save, the Source Action menu, a keybinding with "only"): it
        // judges the version being saved, which the Problems view is about to get anyway (one check per version).
        if (only && FIX_ALL_KIND.intersects(only)) return fixAllAction(document, (await analyses.get(document)).problems, FIX_ALL_KIND);
        if (only && !vscode.CodeActionKind.QuickFix.intersects(only)) return [];
        const problems = analyses.peek(document)?.problems ?? [];
        const actions = quickFixes(document, range, context, problems);
        // As ESLint does: beside the fixes of one problem, the fix of all of them when there are several.
        if (actions.length > 0 && fixAllFixes(problems).length > 1) actions.push(...fixAllAction(document, problems, vscode.CodeActionKind.QuickFix));
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND] },
  );
}

function quickFixes(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext, problems: readonly Problem[]): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  for (const problem of problems) {
    const problemRange = toRange(problem.range);
    if (!problemRange.intersection(range) && !problemRange.contains(range)) continue;
    const diagnostic = shownDiagnostic(context, problem) ?? toDiagnostic(problem);
    if (problem.code === BARE_LF || problem.code === BARE_CR) {
      const action = new vscode.CodeAction('Use CRLF line endings', vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.command = { command: 'mailsmith.useCrlf', title: 'Use CRLF line endings', arguments: [document.uri] };
      actions.push(action);
      continue;
    }
    for (const fix of problem.fixes ?? []) {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = fix.preferred;
      action.edit = toWorkspaceEdit(document.uri, fix);
      actions.push(action);
    }
  }
  return actions;
}

/** The diagnostic VS Code passed in for this problem (the one in the Problems view), if it did. */
function shownDiagnostic(context: vscode.CodeActionContext, problem: Problem): vscode.Diagnostic | undefined {
  const range = toRange(problem.range);
  return context.diagnostics.find((d) => d.source === 'mailsmith' && d.range.isEqual(range) && d.message === problem.message && codeOf(d) === problem.code);
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return code === undefined ? undefined : String(typeof code === 'object' ? code.value : code);
}

/** A fix's edits; those with a snippet as SnippetTextEdits (the editor puts the cursor on the placeholder). */
export function toWorkspaceEdit(uri: vscode.Uri, fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.set(
    uri,
    fix.edits.map((e) => {
      if (e.snippet === undefined) return vscode.TextEdit.replace(toRange(e.range), e.newText);
      const snippet = new vscode.SnippetTextEdit(toRange(e.range), new vscode.SnippetString(e.snippet));
      snippet.keepWhitespace = true;
      return snippet;
    }),
  );
  return edit;
}

function fixAllAction(document: vscode.TextDocument, problems: readonly Problem[], kind: vscode.CodeActionKind): vscode.CodeAction[] {
  const edits = fixAllEdits(problems);
  if (edits.length === 0) return [];
  const action = new vscode.CodeAction(FIX_ALL_TITLE, kind);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.set(document.uri, edits.map((e) => vscode.TextEdit.replace(toRange(e.range), e.newText)));
  action.diagnostics = [];
  return [action];
}

export function registerUseCrlf(): vscode.Disposable {
  return vscode.commands.registerCommand('mailsmith.useCrlf', async (uri?: vscode.Uri) => {
    const editor = uri ? await vscode.window.showTextDocument(uri) : vscode.window.activeTextEditor;
    if (!editor) return false;
    return editor.edit((b) => b.setEndOfLine(vscode.EndOfLine.CRLF));
  });
}

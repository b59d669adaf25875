// Which document a command acts on, and what it would send: the editor's text (unsaved changes
// included), prepared exactly as the CLI prepares a file.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { prepareDocument, type PrepareDocumentResult } from '../core/compose/prepareDocument';
import type { MessageDefaults } from '../core/message/types';

/** A command's target: the Uri it was given (explorer, CodeLens, tests) or the active editor's document. */
export async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : (arg as { uri?: unknown } | undefined)?.uri;
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  if (typeof uri === 'string') return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  return vscode.window.activeTextEditor?.document;
}

export function prepareEditorDocument(document: vscode.TextDocument, defaults: MessageDefaults | undefined, now?: Date): Promise<PrepareDocumentResult> {
  return prepareDocument(document.getText(), {
    defaults,
    now,
    fileName: document.uri.path,
    baseDir: document.uri.scheme === 'file' ? dirname(document.uri.fsPath) : undefined,
  });
}

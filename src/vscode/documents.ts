// Which document a command acts on: the Uri it was given (explorer, CodeLens, tests) or the active editor's.
import * as vscode from 'vscode';

export async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : (arg as { uri?: unknown } | undefined)?.uri;
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  if (typeof uri === 'string') return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  return vscode.window.activeTextEditor?.document;
}

/** How a document is named in the journal: its path, or its URI when it has no file. */
export function documentSource(document: vscode.TextDocument): string {
  return document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.toString();
}

/**
 * A new unsaved document named `name` (e.g. "New message.eml", "New message 2.eml" when that one is open), so the
 * tab says what it is and Save proposes that name, instead of VS Code naming it after its first line.
 */
export async function openUntitled(name: string, content: string, language: string): Promise<vscode.TextDocument> {
  const dot = name.indexOf('.');
  const [stem, extension] = dot === -1 ? [name, ''] : [name.slice(0, dot), name.slice(dot)];
  const open = new Set(vscode.workspace.textDocuments.filter((d) => d.isUntitled).map((d) => d.uri.path));
  let candidate = name;
  for (let n = 2; open.has(candidate); n++) candidate = `${stem} ${n}${extension}`;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: candidate }));
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, new vscode.Position(0, 0), content);
  await vscode.workspace.applyEdit(edit);
  return document.languageId === language ? document : vscode.languages.setTextDocumentLanguage(document, language);
}

// "Open a Sample Email": the samples shipped with the extension, opened as new unsaved documents so the
// user edits and sends a copy, never the installed extension's files. The walkthrough's first step.
import * as vscode from 'vscode';
import { openUntitled } from './documents';

export function registerOpenSample(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand('mailsmith.openSample', async (name?: string) => {
    const folder = vscode.Uri.joinPath(extensionUri, 'samples');
    const files = (await vscode.workspace.fs.readDirectory(folder)).filter(([n, type]) => type === vscode.FileType.File && n.endsWith('.eml')).map(([n]) => n);
    const chosen =
      typeof name === 'string'
        ? files.find((f) => f === name)
        : (await vscode.window.showQuickPick(files.map((f) => ({ label: f, description: f === 'broken.eml' ? 'shows the checks and quick fixes' : undefined })), { title: 'Mailsmith: open a sample email' }))?.label;
    if (!chosen) {
      if (typeof name === 'string') void vscode.window.showErrorMessage(`No sample named "${name}": there are ${files.join(', ')}.`);
      return undefined;
    }
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, chosen));
    // A copy named after the sample, never the installed extension's file.
    const document = await openUntitled(chosen.replace(/\.eml$/, ' (sample).eml'), Buffer.from(bytes).toString('utf8'), 'email');
    await vscode.window.showTextDocument(document);
    return document.uri;
  });
}

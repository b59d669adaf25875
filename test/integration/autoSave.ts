// VS Code in a browser (code-server) saves dirty editors after a delay by default: that would be the
// workbench writing the files these suites edit, not Mailsmith. Off while they run.
import * as vscode from 'vscode';

export async function withoutAutoSave(): Promise<void> {
  await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
}

export async function restoreAutoSave(): Promise<void> {
  await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Workspace);
}

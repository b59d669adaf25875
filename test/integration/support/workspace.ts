// The workspace the harness opened: a fresh temporary copy of samples/, so tests may edit files freely.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MailsmithTestApi } from '../../../src/vscode/extension';

export const EXTENSION_ID = 'mailsmith.mailsmith';

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return folder.uri.fsPath;
}

export function workspaceUri(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(join(workspaceDir(), ...parts));
}

/** Opens a file of the workspace in an editor and returns the editor. */
export async function openWorkspaceFile(...parts: string[]): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(...parts));
  return vscode.window.showTextDocument(document);
}

/** Activates Mailsmith (the extension under development) and returns its exports. */
export async function activateMailsmith(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is loaded as the extension under development`);
  await extension.activate();
  return extension;
}

/** Mailsmith's activation result: its services and the log file, as the extension returns them. */
export async function mailsmithApi(): Promise<MailsmithTestApi> {
  return (await activateMailsmith()).exports as MailsmithTestApi;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

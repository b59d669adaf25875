// "Show Captured Messages": what the local capture inbox received, newest first; opens the chosen one.
import * as vscode from 'vscode';
import { listCapturedMessages } from '../core/inbox/list';
import type { Services } from './services';

export function registerViewCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('mailsmith.showCapturedMessages', async () => {
      const entries = listCapturedMessages(services.inbox.dir);
      if (!entries.length) {
        void vscode.window.showInformationMessage('The local capture inbox is empty: send a message with the "Local capture inbox" profile.');
        return [];
      }
      const picked = await vscode.window.showQuickPick(
        entries.map((e) => ({ label: e.subject || '(no subject)', description: `to ${e.to.join(', ')}`, detail: `${e.receivedAt} · ${e.size.toLocaleString('en')} bytes · from ${e.from}`, file: e.file })),
        { title: 'Mailsmith: captured messages', matchOnDescription: true },
      );
      // As a recipient sees it, in the Preview; its source is one click away there (read-only).
      if (picked) await vscode.commands.executeCommand('mailsmith.preview', { uri: vscode.Uri.file(picked.file), asReceived: true });
      return entries;
    }),
    vscode.commands.registerCommand('mailsmith.showLog', () => services.log.show()),
  ];
}

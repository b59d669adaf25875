// "Send with <profile>" and "Dry run" above the first header of an email document ("Mail Merge..." on a
// merge template).
import * as vscode from 'vscode';
import { namesMergeData } from '../core/merge/detect';
import { CAPTURED_SCHEME } from './preview/capturedScheme';
import type { Services } from './services';

export function registerCodeLens(services: Services): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const listener = services.profiles.onDidChange(() => changed.fire());
  const provider = vscode.languages.registerCodeLensProvider(
    { language: 'email' },
    {
      onDidChangeCodeLenses: changed.event,
      provideCodeLenses(document) {
        if (!vscode.workspace.getConfiguration('mailsmith').get<boolean>('codeLens.enabled', true)) return [];
        // A received message is something to read, not to send.
        if (document.uri.scheme === CAPTURED_SCHEME) return [];
        const top = new vscode.Range(0, 0, 0, 0);
        // A merge template goes out only through the merge (Send refuses it): offer that instead.
        if (namesMergeData(document.getText(new vscode.Range(0, 0, 200, 0)))) {
          return [new vscode.CodeLens(top, { title: `$(mail) Mail Merge with ${services.profiles.active().name}...`, command: 'mailsmith.mailMerge', arguments: [document.uri] })];
        }
        return [
          new vscode.CodeLens(top, { title: `$(send) Send with ${services.profiles.active().name}`, command: 'mailsmith.send', arguments: [document.uri] }),
          new vscode.CodeLens(top, { title: '$(eye) Dry run', command: 'mailsmith.dryRun', arguments: [document.uri] }),
        ];
      },
    },
  );
  return vscode.Disposable.from(provider, listener, changed);
}

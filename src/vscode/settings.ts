// Settings that guard what leaves the machine are read from the user's own settings only. A repository's
// `.vscode/settings.json` is untrusted: it must not turn a confirmation off or let files outside the folder
// travel. (package.json also declares these with an application or machine scope, which makes VS Code ignore
// workspace values; reading the user value here holds even if a scope is ever changed.)
import * as vscode from 'vscode';

export function machineSetting<T>(key: string, fallback: T): T {
  const inspected = vscode.workspace.getConfiguration('mailsmith').inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

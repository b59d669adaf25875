// Mail merge in the editor: the command, the report opener, the row previews and the merge diagnostics.
import type * as vscode from 'vscode';
import type { Services } from '../services';
import { MergeDiagnostics } from './diagnostics';
import { registerMailMerge } from './mailMerge';

export function registerMerge(services: Services): vscode.Disposable[] {
  const diagnostics = new MergeDiagnostics(services);
  return [diagnostics, ...registerMailMerge(services, diagnostics)];
}

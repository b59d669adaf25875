// Waiting for the extension's diagnostics on a document (they are computed after a debounce).
import * as vscode from 'vscode';
import { waitFor, type WaitOptions } from './waitFor';

/** Mailsmith's diagnostics on `uri` (source "mailsmith"), once `accept` is satisfied by them. */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  options: WaitOptions & { what?: string } = {},
): Promise<vscode.Diagnostic[]> {
  return waitFor(options.what ?? `diagnostics on ${uri.fsPath}`, () => {
    const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source?.toLowerCase() === 'mailsmith');
    return accept(diagnostics) ? diagnostics : undefined;
  }, options);
}

/** The diagnostic codes as plain strings (a Diagnostic's code may be an object with a target link). */
export function diagnosticCodes(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
}

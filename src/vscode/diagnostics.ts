// Live diagnostics: the core's rules run on the editor's text, debounced while typing, and are dropped
// when the document closes. The same codes as `mailsmith check`.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { validateDocument } from '../core/compose/validateDocument';
import type { Problem } from '../core/types';
import { isEmailDocument, toDiagnostic } from './convert';

export class DiagnosticsService implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mailsmith');
  /** The problems behind the diagnostics, with their fixes, per document (for code actions). */
  private readonly problems = new Map<string, { version: number; problems: Problem[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.refresh(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
    for (const document of vscode.workspace.textDocuments) this.refresh(document, 0);
  }

  problemsFor(document: vscode.TextDocument): Problem[] {
    const entry = this.problems.get(document.uri.toString());
    if (!entry || entry.version !== document.version) return this.validateNow(document);
    return entry.problems;
  }

  /** Validates now, updating the Problems view (used before sending). */
  validateNow(document: vscode.TextDocument): Problem[] {
    const key = document.uri.toString();
    const problems = validateDocument(document.getText(), {
      fileName: document.uri.path,
      baseDir: document.uri.scheme === 'file' ? dirname(document.uri.fsPath) : undefined,
    });
    this.problems.set(key, { version: document.version, problems });
    this.collection.set(document.uri, problems.map(toDiagnostic));
    return problems;
  }

  private refresh(document: vscode.TextDocument, delay?: number): void {
    if (!isEmailDocument(document)) {
      if (this.problems.has(document.uri.toString())) this.forget(document.uri);
      return;
    }
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    const ms = delay ?? vscode.workspace.getConfiguration('mailsmith').get<number>('diagnostics.debounceMs', 250);
    // Larger documents wait a little longer, so typing in a 10 MB message stays smooth.
    // (The size comes from the last offset: getText() would copy 10 MB on every keystroke.)
    const size = document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
    const wait = ms + Math.min(1000, Math.floor(size / 20_000));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!document.isClosed) this.validateNow(document);
      }, delay === 0 ? 0 : wait),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.problems.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

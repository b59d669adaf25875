// Live diagnostics: the document's analysis (./analyses.ts: the same one Send, Dry Run and Preview use, with
// the active profile's defaults) shown in the Problems view, debounced while typing (longer for large
// documents), dropped when the document closes. The same codes as `mailsmith check`, each linked to its
// page (docs/rules/<code>.md in the installed extension). Hints (what the send does for the author: adds
// Date, CRLF line endings) are not listed in the Problems view; the CodeLens sums them up.
import * as vscode from 'vscode';
import type { Logger, Problem } from '../core/types';
import { isAnalysable, type DocumentAnalyses } from './analyses';
import { toDiagnostic } from './convert';

export class DiagnosticsService implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mailsmith');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly updated = new vscode.EventEmitter<vscode.TextDocument>();
  /** A document's diagnostics now show the analysis of its current version. */
  readonly onDidUpdate = this.updated.event;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.updated];

  constructor(
    private readonly analyses: DocumentAnalyses,
    private readonly log: Logger,
    /** docs/rules/ of the installed extension: each diagnostic's code links to its page there. */
    private readonly ruleDocs?: vscode.Uri,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      analyses.onDidInvalidate((uri) => {
        for (const document of vscode.workspace.textDocuments) if (!uri || document.uri.toString() === uri.toString()) this.schedule(document, 0);
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** Checks now and updates the Problems view; resolves with the problems of the document's current version. */
  async refresh(document: vscode.TextDocument): Promise<Problem[]> {
    const version = document.version;
    const analysis = await this.analyses.get(document);
    // A newer version is on its way: its own refresh will show it.
    if (!document.isClosed && document.version === version && isAnalysable(document)) {
      this.collection.set(document.uri, analysis.problems.map((p) => toDiagnostic(p, this.ruleDocs)));
      this.updated.fire(document);
    }
    return analysis.problems;
  }

  private schedule(document: vscode.TextDocument, delay?: number): void {
    const key = document.uri.toString();
    if (!isAnalysable(document)) {
      if (this.collection.has(document.uri)) this.forget(document.uri);
      return;
    }
    clearTimeout(this.timers.get(key));
    const ms = delay ?? vscode.workspace.getConfiguration('mailsmith').get<number>('diagnostics.debounceMs', 250);
    // Larger documents wait a little longer, so typing in a 10 MB message stays smooth. The size is the last
    // analysed version's: getText() would copy 10 MB on every keystroke, and offsetAt() of the end sums the
    // length of every line again after each edit.
    const size = this.analyses.latest(document)?.scanned.text.length ?? 0;
    const wait = delay === 0 ? 0 : ms + Math.min(1000, Math.floor(size / 20_000));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (document.isClosed) return;
        this.refresh(document).catch((err: unknown) => {
          // The analysis never throws on a document's content: this is a bug, worth a line in the log.
          this.collection.delete(document.uri);
          this.log.error(`Checking ${document.uri.toString(true)} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        });
      }, wait),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

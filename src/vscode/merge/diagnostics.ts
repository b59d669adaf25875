// A merge's problems in the Problems view: the template's own on the template, each row's on the data file
// (row and column named). Kept live for open templates that name their data (the first rows, debounced;
// the Mail Merge command checks every row before anything is sent), and set by the command for the merge
// it checked. The ordinary one-message diagnostics leave such templates alone (../analyses.ts).
import * as vscode from 'vscode';
import type { MergeCheck } from '../../core/merge/check';
import type { OpenedMerge } from '../../core/merge/open';
import { namesMergeData } from '../../core/merge/detect';
import { toDiagnostic } from '../convert';
import type { Services } from '../services';
import { mergeSetup } from './setup';

/** Rows checked while typing; the command checks them all. */
const LIVE_ROWS = 1000;
const DEBOUNCE_MS = 600;

export class MergeDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mailsmith-merge');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Template URI -> the data file its last check used (so a saved data file re-checks it). */
  private readonly dataOf = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly services: Services) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => {
        for (const [template, data] of this.dataOf) {
          if (data !== d.uri.fsPath) continue;
          const document = vscode.workspace.textDocuments.find((t) => t.uri.toString() === template);
          if (document) this.schedule(document);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document);
  }

  /** Shows the problems of a checked merge (template and data file). */
  show(templateUri: vscode.Uri, merge: OpenedMerge, check: MergeCheck): void {
    this.collection.set(templateUri, check.problems.filter((p) => p.file === 'template').map((p) => toDiagnostic(p)));
    if (merge.data) {
      this.dataOf.set(templateUri.toString(), merge.data.path);
      this.collection.set(vscode.Uri.file(merge.data.path), check.problems.filter((p) => p.file === 'data').map((p) => toDiagnostic(p)));
    }
  }

  private schedule(document: vscode.TextDocument): void {
    if (document.languageId !== 'email' || document.uri.scheme !== 'file' || !namesMergeData(document.getText(new vscode.Range(0, 0, 200, 0)))) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.check(document).catch((err: unknown) => this.services.log.error(`Checking the merge ${document.uri.fsPath} failed: ${err instanceof Error ? err.message : String(err)}`));
      }, DEBOUNCE_MS),
    );
  }

  private async check(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    const version = document.version;
    const { openMerge, checkMerge } = await import('../../core/merge/index.js');
    const profile = this.services.profiles.active();
    const merge = await openMerge(await mergeSetup(document, profile, undefined, this.services.log));
    const check = await checkMerge(merge, { rowLimit: LIVE_ROWS });
    if (document.isClosed || document.version !== version) return;
    this.show(document.uri, merge, check);
  }

  private forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (!this.dataOf.has(key)) return;
    this.collection.delete(document.uri);
    const data = this.dataOf.get(key);
    this.dataOf.delete(key);
    if (data && ![...this.dataOf.values()].includes(data)) this.collection.delete(vscode.Uri.file(data));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

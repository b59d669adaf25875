// "Show Sent History": the core's journal (src/core/journal/), which the CLI writes too, as a read-only
// Markdown document. Outcomes only: no message bodies and no credentials.
import * as vscode from 'vscode';
import type { SentJournal } from '../core/journal/sentJournal';

export const HISTORY_SCHEME = 'mailsmith-history';
export const HISTORY_URI = vscode.Uri.parse(`${HISTORY_SCHEME}:Sent history.md`);

export class SentHistoryDocument implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly journal: SentJournal) {}

  /** The journal has a new entry: an open history document follows. */
  refresh(): void {
    this.changed.fire(HISTORY_URI);
  }

  provideTextDocumentContent(): string {
    const entries = this.journal.entries();
    if (!entries.length) return '# Mailsmith: sent history\n\nNothing sent yet.\n';
    return (
      '# Mailsmith: sent history\n\n' +
      entries
        .map(
          (e) =>
            `## ${new Date(e.time).toLocaleString()} — ${e.status}\n\n- File: ${e.source}\n- Profile: ${e.profile} (${e.face})\n- From: ${e.from}\n- To: ${e.to.join(', ')}\n` +
            `${e.subject ? `- Subject: ${e.subject}\n` : ''}- Message-ID: ${e.messageId}\n${e.reply ? `- Reply: ${e.reply}\n` : ''}- ${e.summary}\n`,
        )
        .join('\n')
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}

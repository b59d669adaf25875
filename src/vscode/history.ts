// Sent History: the core's journal (src/core/journal/, which the CLI writes too) as a view in the Mailsmith
// side bar, newest first, in local time. Each entry opens the exact bytes sent (in the Preview), opens its
// source document, sends it again (through Send, with its confirmation) or copies the redacted SMTP dialogue.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import * as vscode from 'vscode';
import type { JournalEntry, SentJournal } from '../core/journal/sentJournal';

export const HISTORY_VIEW = 'mailsmith.sentHistory';
const SHOWN = 200;

const STATUS: Record<JournalEntry['status'], { word: string; icon: string; color: string }> = {
  sent: { word: 'sent', icon: 'pass', color: 'testing.iconPassed' },
  partial: { word: 'partly accepted', icon: 'warning', color: 'list.warningForeground' },
  failed: { word: 'not sent', icon: 'error', color: 'list.errorForeground' },
  unknown: { word: 'outcome unknown', icon: 'question', color: 'list.warningForeground' },
};

export class SentHistoryView implements vscode.TreeDataProvider<JournalEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly journal: SentJournal) {
    // The CLI records into the same journal: follow it.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(journal.file)), basename(journal.file)));
    this.disposables.push(watcher, watcher.onDidChange(() => this.refresh()), watcher.onDidCreate(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire();
  }

  getChildren(parent?: JournalEntry): JournalEntry[] {
    return parent ? [] : this.journal.entries(SHOWN);
  }

  getTreeItem(entry: JournalEntry): vscode.TreeItem {
    const status = STATUS[entry.status] ?? STATUS.unknown;
    const item = new vscode.TreeItem(entry.subject || '(no subject)', vscode.TreeItemCollapsibleState.None);
    const when = new Date(entry.time);
    item.description = `${status.word} · ${recipients(entry)} · ${when.toLocaleString()}`;
    item.iconPath = new vscode.ThemeIcon(status.icon, new vscode.ThemeColor(status.color));
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escape(entry.subject || '(no subject)')}**\n\n`);
    tooltip.appendMarkdown(`${escape(entry.summary)}\n\n`);
    tooltip.appendMarkdown(`- From: ${escape(entry.from)}\n- To: ${escape(entry.to.join(', '))}\n- Profile: ${escape(entry.profile)} (${escape(entry.face)})\n`);
    tooltip.appendMarkdown(`- ${when.toLocaleString()}\n- Message-ID: \`${entry.messageId}\`\n- Source: ${escape(entry.source)}`);
    item.tooltip = tooltip;
    // What the entry offers, for the menus' `viewItem` conditions.
    item.contextValue = ['entry', entry.copy ? 'copy' : '', this.sourceUri(entry) ? 'source' : '', entry.transcript ? 'transcript' : ''].filter(Boolean).join(' ');
    if (entry.copy) item.command = { command: 'mailsmith.history.openCopy', title: 'Open Sent Copy', arguments: [entry] };
    return item;
  }

  /** The entry's source document, if it can still be opened (a file that exists, or an open unsaved draft). */
  sourceUri(entry: JournalEntry): vscode.Uri | undefined {
    if (entry.source.startsWith('/') || /^[A-Za-z]:[\\/]/.test(entry.source)) return existsSync(entry.source) ? vscode.Uri.file(entry.source) : undefined;
    const uri = vscode.Uri.parse(entry.source);
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()) ? uri : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function registerHistoryCommands(view: SentHistoryView, journal: SentJournal): vscode.Disposable[] {
  const tree = vscode.window.createTreeView(HISTORY_VIEW, { treeDataProvider: view, showCollapseAll: false });
  return [
    tree,
    vscode.commands.registerCommand('mailsmith.showSentHistory', async () => {
      await vscode.commands.executeCommand(`${HISTORY_VIEW}.focus`);
      return journal.entries(SHOWN);
    }),
    vscode.commands.registerCommand('mailsmith.history.refresh', () => view.refresh()),
    vscode.commands.registerCommand('mailsmith.history.openCopy', (entry?: JournalEntry) => {
      if (!entry?.copy) return undefined;
      return vscode.commands.executeCommand('mailsmith.preview', { uri: vscode.Uri.file(entry.copy), asReceived: true });
    }),
    vscode.commands.registerCommand('mailsmith.history.openSource', async (entry?: JournalEntry) => {
      const uri = entry && view.sourceUri(entry);
      if (!uri) return void vscode.window.showWarningMessage('The message this was sent from is no longer there.');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    }),
    vscode.commands.registerCommand('mailsmith.history.sendAgain', (entry?: JournalEntry) => {
      const uri = entry && view.sourceUri(entry);
      if (!uri) return void vscode.window.showWarningMessage('The message this was sent from is no longer there: open the sent copy instead.');
      // Through Send, so the message is checked again and the confirmation shows what will leave.
      return vscode.commands.executeCommand('mailsmith.send', { uri, profileName: entry.profile });
    }),
    vscode.commands.registerCommand('mailsmith.history.copyTranscript', async (entry?: JournalEntry) => {
      if (!entry?.transcript || !existsSync(entry.transcript)) return void vscode.window.showWarningMessage('No SMTP dialogue was kept for this send.');
      await vscode.env.clipboard.writeText(readFileSync(entry.transcript, 'utf8'));
      void vscode.window.showInformationMessage('Copied the SMTP dialogue (credentials redacted).');
    }),
  ];
}

function recipients(entry: JournalEntry): string {
  return entry.to.length <= 2 ? entry.to.join(', ') : `${entry.to[0]} and ${entry.to.length - 1} more`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}

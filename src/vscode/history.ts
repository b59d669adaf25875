// The sent history: one entry per send attempt (time, profile, envelope, message-id, reply, outcome),
// kept in global storage as JSON. No message bodies and no credentials.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeOutcome } from '../core/send/describe';
import type { SendOutcome } from '../core/send/types';

export interface HistoryEntry {
  time: string;
  file: string;
  profile: string;
  from: string;
  to: string[];
  messageId: string;
  status: SendOutcome['status'];
  reply?: string;
  summary: string;
}

const MAX_ENTRIES = 500;
export const HISTORY_SCHEME = 'mailsmith-history';

export class SentHistory implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  readonly file: string;

  constructor(context: vscode.ExtensionContext) {
    this.file = vscode.Uri.joinPath(context.globalStorageUri, 'sent-history.json').fsPath;
  }

  entries(): HistoryEntry[] {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8'));
      return Array.isArray(data) ? data : [];
    } catch {
      return [];
    }
  }

  record(file: string, outcome: SendOutcome): void {
    const entry: HistoryEntry = {
      time: new Date().toISOString(),
      file,
      profile: outcome.profile,
      from: outcome.envelope.from,
      to: outcome.envelope.to,
      messageId: outcome.messageId,
      status: outcome.status,
      ...(outcome.reply ? { reply: outcome.reply } : {}),
      summary: describeOutcome(outcome),
    };
    const all = [entry, ...this.entries()].slice(0, MAX_ENTRIES);
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify(all, null, 2));
    this.changed.fire(vscode.Uri.parse(`${HISTORY_SCHEME}:Sent history.md`));
  }

  provideTextDocumentContent(): string {
    const entries = this.entries();
    if (!entries.length) return '# Mailsmith: sent history\n\nNothing sent yet.\n';
    return (
      '# Mailsmith: sent history\n\n' +
      entries
        .map((e) => `## ${e.time} — ${e.status}\n\n- File: ${e.file}\n- Profile: ${e.profile}\n- From: ${e.from}\n- To: ${e.to.join(', ')}\n- Message-ID: ${e.messageId}\n${e.reply ? `- Reply: ${e.reply}\n` : ''}- ${e.summary}\n`)
        .join('\n')
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}

// The built-in local capture inbox, started on first use on 127.0.0.1 and stopped with the extension.
// Its messages are kept in the extension's global storage.
import * as vscode from 'vscode';
import type { CaptureInbox } from '../core/inbox';
import type { MailsmithLog } from './log';

export class InboxService implements vscode.Disposable {
  private running: Promise<CaptureInbox> | undefined;
  readonly dir: string;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: MailsmithLog,
  ) {
    this.dir = vscode.Uri.joinPath(context.globalStorageUri, 'inbox').fsPath;
  }

  /** Starts the inbox if needed; the preferred port is taken when free, any free port otherwise. */
  ensure(): Promise<CaptureInbox> {
    if (!this.running) {
      this.running = this.start().catch((err) => {
        this.running = undefined;
        throw err;
      });
    }
    return this.running;
  }

  private async start(): Promise<CaptureInbox> {
    // Loaded on first use: smtp-server and the certificate generator are not needed to activate.
    const { startCaptureInbox } = await import('../core/inbox/index.js');
    const port = vscode.workspace.getConfiguration('mailsmith').get<number>('inbox.port', 2525);
    return startCaptureInbox({ dir: this.dir, port, freePortIfBusy: true, logger: this.log });
  }

  dispose(): void {
    void this.running?.then((inbox) => inbox.close()).catch(() => undefined);
  }
}

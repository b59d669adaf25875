// Preview Message: one panel beside the editor showing the message as its recipient's client would. A
// draft is prepared exactly as Send and Dry run prepare it (the final bytes), then parsed back; a message
// captured by the local inbox is shown from its file as received. Updates as the user types (debounced).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { HostToPage, PageToHost, PreviewMessage } from '../../webview/preview/protocol';
import { isEmailDocument } from '../convert';
import type { Services } from '../services';
import { previewHtml } from './html';

export const PREVIEW_VIEW_TYPE = 'mailsmith.preview';
const DEBOUNCE_MS = 300;

export interface PreviewArgs {
  /** A draft (any email document) or a captured message file; the active editor's document when absent. */
  uri?: vscode.Uri | string;
  /** Show the file's bytes as received (captured messages); true for files in the capture inbox folder. */
  asReceived?: boolean;
}

/** What the command returns (for tests): the view the page was sent. */
export type PreviewResult = { shown: PreviewMessage } | undefined;

export function registerPreview(context: vscode.ExtensionContext, services: Services): vscode.Disposable[] {
  const preview = new PreviewPanel(context.extensionUri, services);
  return [
    preview,
    vscode.commands.registerCommand('mailsmith.preview', async (arg?: vscode.Uri | PreviewArgs): Promise<PreviewResult> => {
      const args: PreviewArgs = arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {});
      const uri = typeof args.uri === 'string' ? vscode.Uri.parse(args.uri) : args.uri;
      const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!document) {
        void vscode.window.showErrorMessage('Open an email (.eml) file to preview it.');
        return undefined;
      }
      const captured = args.asReceived ?? (document.uri.scheme === 'file' && document.uri.fsPath.startsWith(services.inbox.dir));
      const shown = await preview.show(document, captured);
      return shown ? { shown } : undefined;
    }),
  ];
}

class PreviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private asReceived = false;
  private remoteImagesAllowed = false;
  private nonce = '';
  private ready: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private last: PreviewMessage | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: Services,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document && !this.asReceived) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // Follow the email the user switches to, as Markdown's preview does.
        if (this.panel && editor && isEmailDocument(editor.document) && editor.document !== this.document) void this.show(editor.document, false, false);
      }),
    );
  }

  async show(document: vscode.TextDocument, asReceived: boolean, reveal = true): Promise<PreviewMessage> {
    if (document !== this.document) this.remoteImagesAllowed = false; // a new message starts blocked again
    this.document = document;
    this.asReceived = asReceived;
    if (!this.panel) this.create();
    else if (reveal) this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.panel!.title = `Preview ${document.uri.path.split('/').pop() ?? 'message'}`;
    return this.update();
  }

  private create(): void {
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Message preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')],
    });
    // A fresh nonce from crypto for each page load.
    this.nonce = randomBytes(16).toString('base64');
    const webview = panel.webview;
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    const subscriptions = [
      webview.onDidReceiveMessage((message: PageToHost) => {
        if (message?.type === 'ready') markReady();
        else if (message?.type === 'loadRemoteImages') {
          this.remoteImagesAllowed = true;
          void this.update();
        }
      }),
      panel.onDidDispose(() => {
        for (const s of subscriptions) s.dispose();
        this.panel = undefined;
        this.document = undefined;
        clearTimeout(this.timer);
      }),
    ];
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      nonce: this.nonce,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'preview.css')).toString(),
    });
    this.panel = panel;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), DEBOUNCE_MS);
  }

  /** Prepares (or reads) the bytes, parses them and sends the view to the page. */
  private async update(): Promise<PreviewMessage> {
    const document = this.document;
    const title = document?.uri.path.split('/').pop() ?? 'message';
    let view: PreviewMessage;
    try {
      view = await this.render(document, title);
    } catch (err) {
      view = emptyView(title, [`The preview failed: ${err instanceof Error ? err.message : String(err)}`]);
      this.services.log.error(`Preview of ${title} failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
    if (document !== this.document || !this.panel) return view; // the user moved on meanwhile
    this.last = view;
    await this.ready;
    const message: HostToPage = { type: 'show', message: view, remoteImagesAllowed: this.remoteImagesAllowed };
    await this.panel?.webview.postMessage(message);
    return view;
  }

  private async render(document: vscode.TextDocument | undefined, title: string): Promise<PreviewMessage> {
    if (!document) return emptyView(title, ['No message to preview.']);
    // postal-mime is loaded with the first preview, not at activation.
    const { messageView } = await import('./messageView.js');
    if (this.asReceived) {
      const bytes = await vscode.workspace.fs.readFile(document.uri);
      return messageView(bytes, 'captured', title, this.remoteImagesAllowed, this.nonce);
    }
    const prepared = await (await this.services.analyses.get(document)).prepare();
    if (!prepared.ok) {
      const errors = prepared.problems.filter((p) => p.severity === 'error').map((p) => `Line ${p.range.start.line + 1}: ${p.message} (${p.code})`);
      // Keep showing the last good rendering under the errors, so a half-typed header does not blank the view.
      return this.last && this.last.title === title ? { ...this.last, errors } : emptyView(title, errors);
    }
    return messageView(prepared.message.raw, 'draft', title, this.remoteImagesAllowed, this.nonce);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function emptyView(title: string, errors: string[]): PreviewMessage {
  return { origin: 'draft', title, from: '', to: '', cc: '', subject: '', date: '', attachments: [], remoteImages: 0, size: 0, errors };
}

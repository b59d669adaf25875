// Preview Message: one panel beside the editor showing the message as its recipient's client would. A
// draft is prepared exactly as Send and Dry run prepare it (the final bytes), then parsed back; a message
// captured by the local inbox is shown from its file as received. Updates as the user types (debounced).
import { randomBytes } from 'node:crypto';
import { dirname, join, sep } from 'node:path';
import * as vscode from 'vscode';
import type { HostToPage, PageToHost, PreviewMessage } from '../../webview/preview/protocol';
import { isEmailDocument } from '../convert';
import type { Services } from '../services';
import { previewHtml } from './html';
import { MessageViewWorker } from './viewWorkerClient';

export const PREVIEW_VIEW_TYPE = 'mailsmith.preview';
/** Received messages' source, read-only: a captured message is looked at, not edited or sent again. */
import { CAPTURED_SCHEME } from './capturedScheme';

export { CAPTURED_SCHEME };
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
    vscode.workspace.registerFileSystemProvider(CAPTURED_SCHEME, new ReceivedMessages(), { isReadonly: true, isCaseSensitive: true }),
    // The preview's "Open source" button; also for a received message's file given directly.
    vscode.commands.registerCommand('mailsmith.openReceivedSource', async (uri?: vscode.Uri) => {
      const target = uri ?? preview.receivedUri();
      return target ? openReadOnlySource(target) : undefined;
    }),
    vscode.commands.registerCommand('mailsmith.preview', async (arg?: vscode.Uri | PreviewArgs): Promise<PreviewResult> => {
      const args: PreviewArgs = arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {});
      const uri = typeof args.uri === 'string' ? vscode.Uri.parse(args.uri) : args.uri;
      const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!document) {
        void vscode.window.showErrorMessage('Open an email (.eml) file to preview it.');
        return undefined;
      }
      const shown = await preview.show(document, args.asReceived ?? preview.isCaptured(document));
      return shown ? { shown } : undefined;
    }),
  ];
}

/** One load of the page into the webview: its nonces, its id and the image policy it was written with. */
interface PageLoad {
  id: string;
  scriptNonce: string;
  styleNonce: string;
  remoteImagesAllowed: boolean;
  ready: Promise<void>;
  markReady: () => void;
  isReady: boolean;
}

class PreviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private page: PageLoad | undefined;
  private document: vscode.TextDocument | undefined;
  private asReceived = false;
  /** The document whose remote images the user allowed, by a click on its own view; reset when another is shown. */
  private remoteImagesFor: vscode.TextDocument | undefined;
  private seq = 0;
  /** The view the page shows now: a "Load remote images" click counts only if it names this one. */
  private shown: { seq: number; document: vscode.TextDocument } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last: { view: PreviewMessage; document: vscode.TextDocument; page: PageLoad } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Parses the bytes on a worker thread (postal-mime on 10 MB takes 100-200 ms the extension host cannot spare). */
  private readonly reader: MessageViewWorker;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: Services,
  ) {
    this.reader = new MessageViewWorker(join(extensionUri.fsPath, 'dist', 'previewWorker.js'));
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document && !this.asReceived) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // Follow the email the user switches to, as Markdown's preview does (a received one as received).
        if (this.panel && editor && isEmailDocument(editor.document) && editor.document !== this.document) void this.show(editor.document, this.isCaptured(editor.document), false);
      }),
    );
  }

  /** A message the capture inbox received, or a copy of one sent, is shown as received, not prepared again. */
  isCaptured(document: vscode.TextDocument): boolean {
    if (document.uri.scheme === CAPTURED_SCHEME) return true;
    const sentCopies = dirname(this.services.journal.file);
    return document.uri.scheme === 'file' && [this.services.inbox.dir, sentCopies].some((dir) => document.uri.fsPath.startsWith(dir + sep));
  }

  /** The received message the preview shows, if it shows one. */
  receivedUri(): vscode.Uri | undefined {
    return this.document && this.asReceived ? this.document.uri : undefined;
  }

  async show(document: vscode.TextDocument, asReceived: boolean, reveal = true): Promise<PreviewMessage> {
    if (document !== this.document) this.remoteImagesFor = undefined; // a new message starts blocked again
    this.document = document;
    this.asReceived = asReceived;
    if (!this.panel) this.create();
    else if (reveal) this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.panel!.title = `Preview ${document.uri.path.split('/').pop() ?? 'message'}`;
    this.ensurePage();
    return this.update();
  }

  private create(): void {
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Message preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')],
    });
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: PageToHost) => this.receive(message)),
      panel.onDidDispose(() => {
        for (const s of subscriptions) s.dispose();
        this.panel = undefined;
        this.page = undefined;
        this.document = undefined;
        this.remoteImagesFor = undefined;
        this.shown = undefined;
        this.last = undefined;
        clearTimeout(this.timer);
        this.reader.dispose(); // its thread is not kept for a preview no one looks at
      }),
    ];
    this.panel = panel;
  }

  private remoteImagesWanted(): boolean {
    return this.document !== undefined && this.remoteImagesFor === this.document;
  }

  /**
   * The page's own CSP is what keeps the message's frame off the network (html.ts), and a page's CSP is
   * fixed when it loads: so allowing remote images, or blocking them again for another message, loads a
   * fresh page (new nonces, new id) with the policy that message needs. Synchronous, so no view can be
   * posted to the old page after the decision.
   */
  private ensurePage(): void {
    if (!this.panel || (this.page && this.page.remoteImagesAllowed === this.remoteImagesWanted())) return;
    const webview = this.panel.webview;
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    // Fresh nonces from crypto for each page load.
    const page: PageLoad = {
      id: randomBytes(12).toString('base64url'),
      scriptNonce: randomBytes(16).toString('base64'),
      styleNonce: randomBytes(16).toString('base64'),
      remoteImagesAllowed: this.remoteImagesWanted(),
      ready,
      markReady,
      isReady: false,
    };
    this.page = page;
    this.shown = undefined;
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      scriptNonce: page.scriptNonce,
      styleNonce: page.styleNonce,
      pageId: page.id,
      remoteImagesAllowed: page.remoteImagesAllowed,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'preview.css')).toString(),
    });
  }

  private receive(message: PageToHost): void {
    const page = this.page;
    if (!page || typeof message !== 'object' || message === null || message.page !== page.id) return; // an older page, or not ours
    if (message.type === 'ready') {
      if (!page.isReady) {
        page.isReady = true;
        page.markReady();
      } else void this.update(); // the same page loaded again (the panel was hidden and shown): show the message again
    } else if (message.type === 'openSource') {
      void vscode.commands.executeCommand('mailsmith.openReceivedSource', this.receivedUri());
    } else if (message.type === 'loadRemoteImages') {
      // Only for the message the user is looking at: the click names the view it was made on.
      if (!this.shown || message.seq !== this.shown.seq || this.shown.document !== this.document) return;
      this.remoteImagesFor = this.document;
      this.ensurePage();
      void this.update();
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), DEBOUNCE_MS);
  }

  /** Prepares (or reads) the bytes, parses them and sends the view to the page. */
  private async update(): Promise<PreviewMessage> {
    const document = this.document;
    const title = document?.uri.path.split('/').pop() ?? 'message';
    for (;;) {
      const page = this.page;
      let view: PreviewMessage;
      try {
        view = await this.render(document, title, page);
      } catch (err) {
        view = emptyView(title, [`The preview failed: ${err instanceof Error ? err.message : String(err)}`]);
        // Closing the panel ends its reader: not a failure worth a line.
        if (this.panel) this.services.log.error(`Preview of ${title} failed: ${err instanceof Error ? err.stack : String(err)}`);
      }
      if (!page || !document || document !== this.document || !this.panel) return view; // the user moved on meanwhile
      await page.ready;
      if (document !== this.document || !this.panel) return view;
      if (page !== this.page) continue; // a new page was loaded meanwhile: render again with its nonce and policy
      this.last = { view, document, page };
      const seq = ++this.seq;
      this.shown = { seq, document };
      const message: HostToPage = { type: 'show', seq, message: view, remoteImagesAllowed: page.remoteImagesAllowed };
      await this.panel.webview.postMessage(message);
      return view;
    }
  }

  private async render(document: vscode.TextDocument | undefined, title: string, page: PageLoad | undefined): Promise<PreviewMessage> {
    if (!document || !page) return emptyView(title, ['No message to preview.']);
    // The frame's own policy says what the page's says: both block remote images unless allowed for this message.
    const frame = { remoteImagesAllowed: page.remoteImagesAllowed, styleNonce: page.styleNonce };
    if (this.asReceived) {
      const bytes = await vscode.workspace.fs.readFile(document.uri);
      return this.reader.renderBytes(bytes, title, frame);
    }
    // The analysis the Problems view shows (one per version); the final bytes are prepared from its text, with
    // its options, on the reader's thread: composing and the hash of a 10 MB message do not hold the host.
    const analysis = await this.services.analyses.get(document);
    const result = analysis.sendable
      ? await this.reader.renderDraft(analysis.scanned.text, await this.services.analyses.options(document), title, frame)
      : { problems: analysis.problems };
    if ('problems' in result) {
      const errors = result.problems.filter((p) => p.severity === 'error').map((p) => `Line ${p.range.start.line + 1}: ${p.message} (${p.code})`);
      // Keep showing the last good rendering under the errors, so a half-typed header does not blank the view.
      const last = this.last;
      return last && last.document === document && last.page === page ? { ...last.view, errors } : emptyView(title, errors);
    }
    return result;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.reader.dispose();
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function emptyView(title: string, errors: string[]): PreviewMessage {
  return { origin: 'draft', title, from: '', to: '', cc: '', subject: '', date: '', attachments: [], remote: { images: 0, other: {} }, size: 0, errors };
}

/** The received message's bytes as text, read-only, beside the preview. */
async function openReadOnlySource(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const source = uri.scheme === CAPTURED_SCHEME ? uri : vscode.Uri.from({ scheme: CAPTURED_SCHEME, path: uri.fsPath });
  const document = await vscode.workspace.openTextDocument(source);
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: true });
  return document;
}

/**
 * Received messages (the capture inbox's files, copies of sent ones) as a read-only file system: their source
 * opens in an editor that cannot change them. Each path is the file's own path on disk.
 */
class ReceivedMessages implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): Thenable<vscode.FileStat> {
    return vscode.workspace.fs.stat(vscode.Uri.file(uri.path)).then((s) => ({ ...s, permissions: vscode.FilePermission.Readonly }));
  }
  readFile(uri: vscode.Uri): Thenable<Uint8Array> {
    return vscode.workspace.fs.readFile(vscode.Uri.file(uri.path));
  }
  readDirectory(): never {
    throw vscode.FileSystemError.NoPermissions('received messages are opened one by one');
  }
  createDirectory(): never {
    throw vscode.FileSystemError.NoPermissions('a received message is read-only');
  }
  writeFile(): never {
    throw vscode.FileSystemError.NoPermissions('a received message is read-only');
  }
  delete(): never {
    throw vscode.FileSystemError.NoPermissions('a received message is read-only');
  }
  rename(): never {
    throw vscode.FileSystemError.NoPermissions('a received message is read-only');
  }
}

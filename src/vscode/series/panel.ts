// The series review: a webview panel over the core's series plan (src/core/series/). It shows every message
// before anything leaves (recipients with their origins, size, threading, problems), takes what the command
// line would say (To, Cc, In-Reply-To, threading, running the repository's cc command), and sends through the
// core's sendSeries: Send all, Send to myself first, Skip, Edit, and Send the rest after a failure. The checks
// are also diagnostics on the patch files. A send goes only for the review the person saw (its fingerprint).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { SmtpProfile } from '../../core/profiles/profile';
import { planSeries, previewSeries, type SeriesOptions, type SeriesPlan } from '../../core/series/plan';
import { carriedOver, seriesShortfall, type GoneOutcome } from '../../core/series/resume';
import { buildSeriesReview } from '../../core/series/review';
import { sendSeries, type SeriesMessageResult } from '../../core/series/sendSeries';
import { defaultStateDir } from '../../core/state/paths';
import type { RowOutcome, SeriesFormOptions, SeriesHostMessage, SeriesPageState } from '../../webview/series/protocol';
import type { Services } from '../services';
import { renderSeriesPage } from './html';
import { parseSeriesPageMessage } from './pageMessages';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information, hint: vscode.DiagnosticSeverity.Hint };

const splitList = (text: string): string[] => text.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);

export class SeriesReviewPanel implements vscode.Disposable {
  static readonly viewType = 'mailsmith.seriesReview';
  private static current: SeriesReviewPanel | undefined;

  static show(extensionUri: vscode.Uri, services: Services, diagnostics: vscode.DiagnosticCollection, input: { cwd: string; paths: string[] }): SeriesReviewPanel {
    SeriesReviewPanel.current?.dispose();
    const panel = vscode.window.createWebviewPanel(SeriesReviewPanel.viewType, 'Patch Series', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'dist', 'codicons')],
    });
    SeriesReviewPanel.current = new SeriesReviewPanel(panel, extensionUri, services, diagnostics, input);
    return SeriesReviewPanel.current;
  }

  /** The open review (the extension's own tests read it). */
  static get open(): SeriesReviewPanel | undefined {
    return SeriesReviewPanel.current;
  }

  private readonly disposables: vscode.Disposable[] = [];
  private options: SeriesFormOptions = { to: '', cc: '', inReplyTo: '', thread: 'shallow', runRepositoryCommands: false };
  private threadChosen = false;
  private plan: SeriesPlan | undefined;
  private skipped = new Set<number>();
  private outcomes: RowOutcome[] = [];
  private results: SeriesMessageResult[] = [];
  private resend: number[] = [];
  /** How the messages sent in earlier runs ended (for "Send the rest" after "Send the rest"). */
  private carried = new Map<number, GoneOutcome>();
  private busy = false;
  private banner: SeriesPageState['banner'];
  private profile: SmtpProfile;
  /** Resolves once the first plan is shown (tests wait for it). */
  readonly ready: Promise<void>;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly services: Services,
    private readonly diagnostics: vscode.DiagnosticCollection,
    private readonly input: { cwd: string; paths: string[] },
  ) {
    this.profile = services.profiles.active();
    const webview = panel.webview;
    const uri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
    webview.html = renderSeriesPage({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: uri('dist', 'webview', 'series.js'),
      styleUri: uri('media', 'series.css'),
      codiconsUri: uri('dist', 'codicons', 'codicon.css'),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      services.profiles.onDidChange(() => void this.refresh()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.plan?.files.includes(d.uri.fsPath) && !this.busy) void this.refresh();
      }),
    );
    this.ready = this.refresh();
  }

  dispose(): void {
    if (SeriesReviewPanel.current === this) SeriesReviewPanel.current = undefined;
    this.diagnostics.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  /** The state the page shows now. */
  get state(): SeriesPageState | undefined {
    if (!this.plan) return undefined;
    const preview = previewSeries(this.plan, { skip: this.skipped });
    return {
      review: buildSeriesReview(this.plan, preview, this.profile, { skip: this.skipped }),
      options: this.options,
      repositoryCommands: this.plan.commands.filter((c) => c.origin === 'repository-config').map((c) => `${c.setting} = ${c.command}`),
      skipped: [...this.skipped].sort((a, b) => a - b),
      busy: this.busy,
      outcomes: this.outcomes,
      resend: this.resend,
      alreadySent: this.wentAlready(),
      ...(this.banner ? { banner: this.banner } : {}),
    };
  }

  private seriesOptions(messageIds?: string[]): SeriesOptions {
    return {
      cwd: this.input.cwd,
      paths: this.input.paths,
      profile: this.profile,
      to: splitList(this.options.to),
      cc: splitList(this.options.cc),
      inReplyTo: this.options.inReplyTo.trim() || undefined,
      ...(this.threadChosen ? { thread: this.options.thread } : {}),
      allowRepositoryCommands: this.options.runRepositoryCommands,
      stateDir: defaultStateDir(),
      ...(messageIds ? { messageIds } : {}),
    };
  }

  async refresh(messageIds?: string[]): Promise<void> {
    this.profile = this.services.profiles.active();
    try {
      this.plan = await planSeries(this.seriesOptions(messageIds ?? this.plan?.messages.map((m) => m.messageId)));
    } catch (err) {
      this.banner = { kind: 'error', text: `The series cannot be read: ${err instanceof Error ? err.message : String(err)}` };
      return this.post();
    }
    if (!this.threadChosen) this.options = { ...this.options, thread: this.plan.thread };
    this.publishDiagnostics(this.plan);
    this.post();
  }

  private publishDiagnostics(plan: SeriesPlan): void {
    this.diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of plan.problems) {
      if (!p.file) continue;
      const r = p.range;
      const d = new vscode.Diagnostic(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), p.message, SEVERITY[p.severity]);
      d.code = p.code;
      d.source = 'mailsmith';
      byFile.set(p.file, [...(byFile.get(p.file) ?? []), d]);
    }
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.file(file), list);
  }

  private post(): void {
    const state = this.state;
    if (state) void this.panel.webview.postMessage({ type: 'state', state } satisfies SeriesHostMessage);
  }

  private receive(raw: unknown): void {
    const message = parseSeriesPageMessage(raw);
    if (!message) {
      this.services.log.warn('Patch series: ignored a malformed message from the review page.');
      return;
    }
    void (async () => {
      switch (message.type) {
        case 'ready':
          return this.post();
        case 'refresh':
          return this.refresh();
        case 'apply':
          this.threadChosen ||= message.options.thread !== this.options.thread;
          this.options = message.options;
          this.banner = undefined;
          return this.refresh();
        case 'skip':
          if (message.skip) this.skipped.add(message.index);
          else this.skipped.delete(message.index);
          return this.post();
        case 'edit':
          return this.edit(message.index);
        case 'send':
          return this.send(message.mode, message.fingerprint);
        case 'resend':
          return this.send('rest', message.fingerprint);
      }
    })().catch((err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      this.services.log.error(`Patch series: ${message.type} failed: ${text}`);
      this.busy = false;
      this.banner = { kind: 'error', text };
      this.post();
    });
  }

  private async edit(index: number): Promise<void> {
    const m = this.plan?.messages[index];
    if (!m) return;
    const line = m.problems[0]?.range.start.line ?? m.source.startLine;
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(m.source.file), { viewColumn: vscode.ViewColumn.Beside, preview: false });
    const position = new vscode.Position(line, 0);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }

  /** A real send of this series reached the server for some message (its outcome may even be unknown). */
  private wentAlready(): boolean {
    return this.results.some((r) => r.status === 'sent' || r.status === 'partial' || r.status === 'unknown');
  }

  /** `all`, `self` (to the sender only), `rest` (what a failed send left, in the same thread). */
  async send(mode: 'all' | 'self' | 'rest', fingerprint: string): Promise<void> {
    if (this.busy || !this.plan) return;
    const shown = this.state?.review;
    if (!shown || shown.fingerprint !== fingerprint) {
      this.banner = { kind: 'error', text: 'The series changed since the review was shown: look at it again, then send.' };
      return this.post();
    }
    if (mode === 'all' && this.wentAlready()) {
      // Never twice: what went stays sent; the rest goes with "Send the rest" in the same thread.
      this.banner = { kind: 'error', text: 'This series was already sent: Send all would send it twice. "Send the rest" sends what did not go.' };
      return this.post();
    }
    const plan = this.plan;
    // An unknown outcome may have been delivered: "Send the rest" leaves it out (the thread refers to its ID).
    // What went in earlier runs (an "already sent" one in the last run keeps the outcome it had before).
    const earlier = mode === 'rest' ? this.results.map((r) => ({ ...r, status: r.status === 'already-sent' ? (this.carried.get(r.index) ?? 'sent') : r.status })) : [];
    const { alreadySent, earlierOutcomes } = carriedOver(earlier);
    if (mode !== 'self') this.carried = earlierOutcomes;
    this.busy = true;
    this.banner = undefined;
    if (mode !== 'rest') this.outcomes = [];
    this.post();
    const profile = this.profile;
    // As Send does: a notification with the progress, whose Cancel stops the series before its next message.
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sending the series with "${profile.name}"`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const listener = token.onCancellationRequested(() => controller.abort());
      try {
        return await sendSeries(
          plan,
          profile,
          {
            logger: this.services.log,
            stateDir: defaultStateDir(),
            face: 'vscode',
            secrets: this.services.profiles.secretsFor(profile),
            captureInbox: () => this.services.inbox.ensure(),
            signal: controller.signal,
            onProgress: ({ done, total }) => progress.report({ message: `${done} of ${total} sent`, increment: 100 / total }),
            // The person confirmed by pressing the button on this review (checked by its fingerprint above).
            confirm: async () => true,
          },
          { skip: this.skipped, toSelf: mode === 'self', ...(mode === 'rest' ? { alreadySent, earlierOutcomes } : {}) },
        );
      } finally {
        listener.dispose();
      }
    });
    this.busy = false;
    this.services.history.refresh();
    if (result.status !== 'done') {
      this.banner = { kind: 'error', text: result.status === 'error' ? `Not sent: ${result.reason}` : result.status === 'refused' ? 'Not sent: the series has errors.' : 'Not sent.' };
      return this.post();
    }
    const results = result.results;
    this.outcomes = results.filter((r) => r.status !== 'skipped').map((r) => ({ index: r.index, status: r.status, summary: r.summary, messageId: r.messageId }));
    const sent = results.filter((r) => r.status === 'sent' || r.status === 'partial' || r.status === 'already-sent').length;
    if (mode === 'self') {
      this.banner = { kind: 'info', text: `Sent ${results.filter((r) => r.status === 'sent').length} messages to you only (${plan.sender}), with Message-IDs of their own. Look at them, then Send all.` };
      this.resend = [];
    } else {
      this.results = results;
      this.resend = result.resend;
      this.banner = result.complete
        ? { kind: 'info', text: `Sent ${sent} of ${results.length - this.skipped.size} messages in one thread.` }
        : { kind: 'error', text: seriesShortfall(result, { resend: 'Fix what the outcome says, then "Send the rest" sends them in the same thread.', unknown: '"Send the rest" leaves them out.' }).join(' ') };
    }
    this.post();
  }
}

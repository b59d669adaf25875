// Mailsmith: Mail Merge...: the core's merge (src/core/merge) with the editor's parts only: the data file
// the template names (or one the user picks), the problems in the Problems view, a preview of any row
// (envelope and exact bytes), "send to myself first", a modal confirmation naming the row count, the first
// recipients and the profile, a progress notification with counts and Cancel (which stops after the
// message in flight), and the report, opened as CSV.
import * as vscode from 'vscode';
import type { MergeCheck, MergeProgress, MergeRunResult, OpenedMerge } from '../../core/merge';
import { namesMergeData } from '../../core/merge/detect';
import type { SmtpProfile } from '../../core/profiles/profile';
import { defaultStateDir } from '../../core/state/paths';
import { targetDocument } from '../documents';
import type { Services } from '../services';
import type { MergeDiagnostics } from './diagnostics';
import { mergeSetup } from './setup';

export const MERGE_ROW_SCHEME = 'mailsmith-merge-row';

export interface MailMergeArgs {
  /** The template (default: the active editor's document). */
  uri?: vscode.Uri | string;
  /** The data file (default: the one the template names; else the user picks one). */
  data?: string;
  profileName?: string;
  /** What to do, instead of asking: check only, preview a row, send a row to an address, or send. */
  action?: 'check' | 'preview' | 'send-to-self' | 'send';
  /** The row to preview or to send to yourself (default 1). */
  row?: number;
  /** Rows to send at most (default: the first row the first time, else every row left). */
  limit?: number;
  /** The address for send-to-self (default: asked, with the profile's From filled in). */
  testRecipient?: string;
  /** Answers the confirmation: honoured only in the extension's own tests (the question is still built). */
  confirm?: 'Send' | 'Cancel';
  /** Stops like the progress notification's Cancel. */
  cancel?: vscode.CancellationToken;
}

export interface MergeConfirmation {
  headline: string;
  detail: string;
}

export type MailMergeResult =
  | { status: 'no-template' | 'cancelled'; confirmation?: MergeConfirmation }
  | { status: 'problems'; errors: number; rows: number }
  | { status: 'checked'; rows: number; pending: number; warnings: number }
  | { status: 'preview'; uri: string; text: string }
  | { status: 'error'; reason: string }
  | { status: 'sent'; confirmation?: MergeConfirmation; progress: string[]; result: MergeRunResult; reportUri?: string };

export function registerMailMerge(services: Services, diagnostics: MergeDiagnostics): vscode.Disposable[] {
  const rows = new Map<string, string>();
  const provider: vscode.TextDocumentContentProvider = { provideTextDocumentContent: (uri) => rows.get(uri.toString()) ?? '' };
  let running = false;

  const command = vscode.commands.registerCommand('mailsmith.mailMerge', async (arg?: vscode.Uri | MailMergeArgs): Promise<MailMergeResult> => {
    const args: MailMergeArgs = arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {});
    if (running) {
      void vscode.window.showErrorMessage('A mail merge is already running: wait for it to finish (or cancel it).');
      return { status: 'error', reason: 'a merge is running' };
    }
    running = true;
    try {
      return await mailMerge(args);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      services.log.error(`Mail merge failed: ${reason}`);
      void vscode.window.showErrorMessage(`Mail merge: ${reason}`, 'Show Log').then((c) => c && services.log.show());
      return { status: 'error', reason };
    } finally {
      running = false;
    }
  });

  async function mailMerge(args: MailMergeArgs): Promise<MailMergeResult> {
    const document = await targetDocument(args);
    if (!document || document.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Open a saved email template (.eml or .email.md with ${column} fields) for a mail merge.');
      return { status: 'no-template' };
    }
    const profile = args.profileName ? services.profiles.get(args.profileName) : services.profiles.active();
    if (!profile) return { status: 'error', reason: `no profile named "${args.profileName}"` };
    let dataPath = args.data;
    if (!dataPath && !namesMergeData(document.getText(new vscode.Range(0, 0, 200, 0)))) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Mail merge: the table of recipients',
        openLabel: 'Merge with this file',
        filters: { 'CSV or JSON': ['csv', 'json'] },
        defaultUri: vscode.Uri.joinPath(document.uri, '..'),
      });
      if (!picked?.[0]) return { status: 'cancelled' };
      dataPath = picked[0].fsPath;
    }
    const core = await import('../../core/merge/index.js');
    const merge = await core.openMerge(await mergeSetup(document, profile, dataPath, services.log));
    const journal = merge.journalPath ? core.MergeJournal.open(merge.journalPath, false) : undefined;
    const check = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Mail merge: checking every row' }, (progress) =>
      core.checkMerge(merge, { journal: journal?.rows, onProgress: (n) => progress.report({ message: `${n.toLocaleString('en')} rows` }) }),
    );
    diagnostics.show(document.uri, merge, check);
    if (!check.sendable) {
      void vscode.window
        .showErrorMessage(`Mail merge: ${check.errors} error${check.errors === 1 ? '' : 's'} in ${check.rows} rows: nothing is sent until they are fixed.`, 'Show Problems')
        .then((c) => c && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return { status: 'problems', errors: check.errors, rows: check.rows };
    }
    const begun = journal?.begun === true;
    const action = args.action ?? (await chooseAction(check, profile, begun));
    switch (action) {
      case undefined:
        return { status: 'cancelled' };
      case 'check':
        void vscode.window.showInformationMessage(`Mail merge: ${check.rows} rows checked, no errors; ${check.pending} not yet sent.`);
        return { status: 'checked', rows: check.rows, pending: check.pending, warnings: check.warnings };
      case 'preview':
      case 'preview-other': {
        const row = args.row ?? (action === 'preview-other' ? await askRow(check.rows) : 1);
        return row === undefined ? { status: 'cancelled' } : preview(merge, row, profile);
      }
      case 'send-to-self': {
        const address = args.testRecipient ?? (await askAddress(profile));
        if (!address) return { status: 'cancelled' };
        return send(merge, check, profile, begun, args, { testRecipient: address, rows: [args.row ?? 1] });
      }
      case 'send-one':
        return send(merge, check, profile, begun, args, { limit: 1 });
      case 'send':
        return send(merge, check, profile, begun, args, args.limit !== undefined ? { limit: args.limit } : { limit: Number.POSITIVE_INFINITY });
    }
  }

  async function preview(merge: OpenedMerge, row: number, profile: SmtpProfile): Promise<MailMergeResult> {
    const { previewRow, rowPreviewLines } = await import('../../core/merge/index.js');
    const shown = await previewRow(merge, row, profile);
    if (!shown?.message) {
      const reason = shown ? shown.problems.find((p) => p.severity === 'error')?.message ?? 'the row cannot be prepared' : `there is no row ${row}`;
      void vscode.window.showErrorMessage(`Mail merge: ${reason}`);
      return { status: 'error', reason };
    }
    const m = shown.message;
    // CRLF like the message itself (as the dry run does): a document keeps one line ending.
    const text = [...rowPreviewLines(row, m, shown.review?.files ?? [], profile), ''].join('\r\n') + m.raw.toString('utf8');
    const name = merge.setup.templatePath.split(/[\\/]/).pop() ?? 'template';
    const uri = vscode.Uri.from({ scheme: MERGE_ROW_SCHEME, path: `/${name} (row ${row})`, query: String(Date.now()) });
    rows.set(uri.toString(), text);
    const opened = await vscode.workspace.openTextDocument(uri);
    // Beside the template, which keeps the focus: Mail Merge can be run again at once.
    await vscode.window.showTextDocument(opened, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    return { status: 'preview', uri: uri.toString(), text };
  }

  async function send(
    merge: OpenedMerge,
    check: MergeCheck,
    profile: SmtpProfile,
    begun: boolean,
    args: MailMergeArgs,
    options: { limit?: number; testRecipient?: string; rows?: number[] },
  ): Promise<MailMergeResult> {
    const core = await import('../../core/merge/index.js');
    const count = core.plannedSends(check, options, begun);
    if (count === 0) {
      void vscode.window.showInformationMessage('Mail merge: nothing to send: the journal records every row as sent (or with an unknown outcome).');
      return { status: 'cancelled' };
    }
    const test = options.testRecipient ? { address: options.testRecipient, row: options.rows?.[0] ?? 1 } : undefined;
    const limits = core.effectiveLimits(profile, {});
    const question = core.mergeConfirmation({ check, profile, limits, count, dataPath: merge.data?.path, journalPath: merge.journalPath, ...(test ? { test } : {}) });
    const confirmation: MergeConfirmation = { headline: question.headline, detail: question.detail.join('\n') };
    const answer = args.confirm !== undefined && services.testMode ? args.confirm : await vscode.window.showWarningMessage(confirmation.headline, { modal: true, detail: confirmation.detail }, 'Send');
    if (answer !== 'Send') return { status: 'cancelled', confirmation };

    const stop = new AbortController();
    const reported: string[] = [];
    const result: MergeRunResult = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Mail merge with "${profile.name}"`, cancellable: true },
      async (progress, token) => {
        let shown = 0;
        let last: MergeProgress | undefined;
        const onProgress = (p: MergeProgress) => {
          last = p;
          const message = core.mergeProgressText(p, { stopping: stop.signal.aborted });
          if (reported[reported.length - 1] !== message) reported.push(message);
          const fraction = p.planned ? (p.done / p.planned) * 100 : 0;
          progress.report({ message, increment: fraction - shown });
          shown = fraction;
        };
        // Cancel (the notification's, or the caller's token) stops after the message in flight. VS Code
        // closes a notification when its Cancel is pressed, so a notification of its own says the merge is
        // stopping until it has: that message may take a while on a slow server.
        let finished: () => void = () => undefined;
        const done = new Promise<void>((resolve) => (finished = resolve));
        const cancel = () => {
          if (stop.signal.aborted) return;
          stop.abort();
          if (last) onProgress(last);
          void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Mail merge: stopping after the message in flight' }, () => done);
        };
        const listeners = [token.onCancellationRequested(cancel), args.cancel?.onCancellationRequested(cancel)];
        try {
          return await core.runMerge(
            merge,
            check,
            profile,
            {
              logger: services.log,
              stateDir: defaultStateDir(),
              face: 'vscode',
              secrets: services.profiles.secretsFor(profile),
              captureInbox: () => services.inbox.ensure(),
              stop: stop.signal,
              onMergeProgress: onProgress,
            },
            options,
          );
        } finally {
          for (const listener of listeners) listener?.dispose();
          finished();
        }
      },
    );
    services.history.refresh();
    if (result.status === 'error') {
      void vscode.window.showErrorMessage(`Mail merge: nothing was sent: ${result.reason}`, 'Show Log').then((c) => c && services.log.show());
      return { status: 'error', reason: result.reason ?? 'the merge could not start' };
    }
    const reportUri = result.reportPath ? vscode.Uri.file(result.reportPath) : undefined;
    void announce(result, reportUri, core);
    return { status: 'sent', confirmation, progress: reported, result, ...(reportUri ? { reportUri: reportUri.toString() } : {}) };
  }

  async function announce(result: MergeRunResult, reportUri: vscode.Uri | undefined, core: typeof import('../../core/merge/index.js')): Promise<void> {
    const text = `${core.mergeSummary(result)}${result.reason ? ` ${result.reason}` : ''}`;
    const show = core.mergeNeedsAttention(result) ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = await show(text, ...(reportUri ? ['Open Report'] : []), 'Show Log');
    if (choice === 'Open Report' && reportUri) await vscode.commands.executeCommand('mailsmith.openMergeReport', reportUri);
    else if (choice === 'Show Log') services.log.show();
  }

  const openReport = vscode.commands.registerCommand('mailsmith.openMergeReport', async (uri?: vscode.Uri | string) => {
    const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
    if (!target) return undefined;
    const document = await vscode.workspace.openTextDocument(target);
    await vscode.window.showTextDocument(document, { preview: false });
    return document.uri.toString();
  });
  const forget = vscode.workspace.onDidCloseTextDocument((d) => {
    if (d.uri.scheme === MERGE_ROW_SCHEME) rows.delete(d.uri.toString());
  });
  return [command, openReport, vscode.workspace.registerTextDocumentContentProvider(MERGE_ROW_SCHEME, provider), forget, { dispose: () => rows.clear() }];
}

type Action = MailMergeArgs['action'] | 'preview-other' | 'send-one';

async function chooseAction(check: MergeCheck, profile: SmtpProfile, begun: boolean): Promise<Action> {
  const items: (vscode.QuickPickItem & { action: Action })[] = [
    { label: '$(eye) Preview row 1', description: check.firstRecipients[0], action: 'preview' },
    { label: '$(list-selection) Preview another row...', description: `${check.rows} rows`, action: 'preview-other' },
    { label: '$(account) Send row 1 to myself first', description: 'headers as the row\u2019s, only you receive it', action: 'send-to-self' },
  ];
  if (!begun && check.pending > 1) items.push({ label: '$(send) Send the first row only', description: `with "${profile.name}"`, action: 'send-one' });
  if (check.pending > 0) items.push({ label: `$(send) Send ${check.pending === 1 ? 'the row' : `all ${check.pending} rows`} not yet sent`, description: `with "${profile.name}"`, action: 'send' });
  const picked = await vscode.window.showQuickPick(items, { title: `Mail merge: ${check.rows} rows checked, ${check.pending} not yet sent`, placeHolder: 'Nothing is sent without a confirmation' });
  return picked?.action;
}

async function askRow(count: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Mail merge: preview a row',
    prompt: `A row number from 1 to ${count} (1 is the first row under the header)`,
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= count ? undefined : `A number from 1 to ${count}`),
  });
  return text === undefined ? undefined : Number(text);
}

async function askAddress(profile: SmtpProfile): Promise<string | undefined> {
  const from = profile.defaults?.from?.match(/<([^>]+)>/)?.[1] ?? profile.defaults?.from ?? profile.user ?? '';
  return vscode.window.showInputBox({ title: 'Mail merge: send row 1 to myself first', prompt: 'Your address: only it receives the message', value: from, ignoreFocusOut: true });
}

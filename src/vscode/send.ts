// Send Email: the core's send use case (src/core/pipeline/sendDocument.ts) with the editor's parts only: the
// confirmation (a modal naming everything that will leave), the progress notification with Cancel, and the
// secrets from SecretStorage. The document is never modified; what is sent is the editor's text, unsaved
// changes included.
import * as vscode from 'vscode';
import { sendDocument, type SendDocumentResult } from '../core/pipeline/sendDocument';
import type { SmtpProfile } from '../core/profiles/profile';
import type { JournalEntry } from '../core/journal/sentJournal';
import { nextSteps, type NextStep } from '../core/report/nextSteps';
import { refusalSummary } from '../core/report/problems';
import { reviewHeadline, reviewLines, type SendReview } from '../core/report/review';
import { describeOutcome } from '../core/send/describe';
import type { SendOutcome } from '../core/send/types';
import { defaultStateDir } from '../core/state/paths';
import { documentSource, targetDocument } from './documents';
import type { Services } from './services';
import { machineSetting } from './settings';

export interface SendArgs {
  uri?: vscode.Uri | string;
  profileName?: string;
  /** Skips the confirmation: honoured only when the extension runs its own tests (ExtensionMode.Test). */
  skipConfirm?: boolean;
  /** Cancels like the progress notification's Cancel button. */
  cancel?: vscode.CancellationToken;
  /** The Date to add when the message has none (tests compare a dry run and a send). */
  now?: string;
}

export type SendResult =
  | { status: 'refused'; reason: string }
  | { status: 'cancelled' }
  /** Something broke before the core could report an outcome (e.g. the capture inbox could not start). */
  | { status: 'error'; reason: string }
  | { status: SendOutcome['status']; outcome: SendOutcome; rawBase64: string };

export function registerSend(services: Services): vscode.Disposable {
  const inFlight = new Set<string>();
  return vscode.commands.registerCommand('mailsmith.send', async (arg?: vscode.Uri | SendArgs): Promise<SendResult> => {
    const args: SendArgs = arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {});
    const document = await targetDocument(args);
    if (!document) return refuse('Open an email (.eml) file to send it.');
    const key = document.uri.toString();
    if (inFlight.has(key)) return refuse('This message is already being sent: wait for the outcome before sending again.');
    // Held from the first check to the outcome, so a second click during the confirmation or the
    // transfer cannot send the same message twice.
    inFlight.add(key);
    try {
      return await send(document, args);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      services.log.error(`Send Email failed before an outcome: ${reason}`);
      void vscode.window.showErrorMessage(`Not sent: ${reason}`, 'Show Log').then((c) => c && services.log.show());
      return { status: 'error', reason };
    } finally {
      inFlight.delete(key);
    }
  });

  async function send(document: vscode.TextDocument, args: SendArgs): Promise<SendResult> {
    const profile = args.profileName ? services.profiles.get(args.profileName) : services.profiles.active();
    if (!profile) return refuse(`No profile named "${args.profileName}".`);
    const analysis = await services.analyses.get(document, profile);
    const controller = new AbortController();
    const cancelled = args.cancel?.onCancellationRequested(() => controller.abort());
    if (args.cancel?.isCancellationRequested) controller.abort();
    const progress = new SendProgress(profile, controller);
    try {
      const result = await sendDocument(analysis, profile, documentSource(document), {
        logger: services.log,
        stateDir: defaultStateDir(),
        face: 'vscode',
        secrets: services.profiles.secretsFor(profile),
        captureInbox: () => services.inbox.ensure(),
        signal: controller.signal,
        now: args.now ? new Date(args.now) : undefined,
        confirm: async (review) => {
          const ok = await confirm(review, args);
          if (ok) progress.start(review);
          return ok;
        },
      });
      return present(result, document, profile);
    } finally {
      progress.finish();
      cancelled?.dispose();
    }
  }

  async function confirm(review: SendReview, args: SendArgs): Promise<boolean> {
    if (args.skipConfirm && services.testMode) return true;
    // A workspace cannot turn the question off (./settings.ts): only the user's own settings can.
    if (!machineSetting<boolean>('confirmBeforeSend', true)) return true;
    const answer = await vscode.window.showWarningMessage(reviewHeadline(review), { modal: true, detail: reviewLines(review).join('\n') }, 'Send');
    return answer === 'Send';
  }

  function present(result: SendDocumentResult, document: vscode.TextDocument, profile: SmtpProfile): SendResult {
    switch (result.status) {
      case 'refused':
        return refuse(refusalSummary(result.problems), true);
      case 'cancelled':
        return { status: 'cancelled' };
      case 'error': {
        services.log.error(`Not sent: ${result.reason}`);
        // An OAuth profile that is not (or no longer) signed in gets the way to sign in on the spot.
        const signIn = profile.oauth ? ['Sign In'] : [];
        void vscode.window.showErrorMessage(`Not sent: ${result.reason}`, ...signIn, 'Show Log').then((c) => {
          if (c === 'Sign In') void vscode.commands.executeCommand('mailsmith.signIn', profile.name);
          else if (c) services.log.show();
        });
        return { status: 'error', reason: result.reason };
      }
      default:
        services.history.refresh();
        void announce(result.outcome, result.entry, document, profile, services);
        return { status: result.outcome.status, outcome: result.outcome, rawBase64: result.message.raw.toString('base64') };
    }
  }

  function refuse(reason: string, showProblems = false): SendResult {
    void vscode.window.showErrorMessage(reason, ...(showProblems ? ['Show Problems'] : [])).then((choice) => {
      if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return { status: 'refused', reason };
  }
}

/** The progress notification, from the confirmation to the outcome; its Cancel aborts the send. */
class SendProgress {
  private done: (() => void) | undefined;

  constructor(
    private readonly profile: SmtpProfile,
    private readonly controller: AbortController,
  ) {}

  start(review: SendReview): void {
    const count = review.recipients.length;
    const finished = new Promise<void>((resolve) => (this.done = resolve));
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Sending with "${this.profile.name}"`, cancellable: true },
      (progress, token) => {
        progress.report({ message: `to ${count} recipient${count === 1 ? '' : 's'}` });
        const listener = token.onCancellationRequested(() => this.controller.abort());
        return finished.finally(() => listener.dispose());
      },
    );
  }

  finish(): void {
    this.done?.();
  }
}

/** The outcome in a notification whose buttons are the next steps the core suggests (report/nextSteps.ts). */
async function announce(outcome: SendOutcome, entry: JournalEntry, document: vscode.TextDocument, profile: SmtpProfile, services: Services): Promise<void> {
  const steps = nextSteps(outcome, profile);
  const actions: Record<NextStep, { label: string; run: () => unknown }> = {
    'set-password': { label: 'Set Password', run: () => vscode.commands.executeCommand('mailsmith.setPassword', profile.name) },
    'sign-in': { label: 'Sign In', run: () => vscode.commands.executeCommand('mailsmith.signIn', profile.name) },
    'test-connection': { label: 'Test Connection', run: () => vscode.commands.executeCommand('mailsmith.testConnection', profile.name) },
    retry: { label: 'Retry', run: () => vscode.commands.executeCommand('mailsmith.send', { uri: document.uri, profileName: profile.name }) },
    'open-sent-copy': { label: 'Open Sent Copy', run: () => entry.copy && vscode.commands.executeCommand('mailsmith.preview', { uri: vscode.Uri.file(entry.copy), asReceived: true }) },
    'show-log': { label: 'Show Log', run: () => services.log.show() },
  };
  const offered = steps.filter((s) => s !== 'open-sent-copy' || entry.copy).map((s) => actions[s]);
  const show =
    outcome.status === 'sent' ? vscode.window.showInformationMessage : outcome.status === 'partial' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  const choice = await show(describeOutcome(outcome), ...offered.map((a) => a.label));
  await offered.find((a) => a.label === choice)?.run();
}

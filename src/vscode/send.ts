// Send Email: validate, prepare, confirm, send with progress and Cancel, then say exactly what happened.
// The document is never modified; what is sent is the editor's text, unsaved changes included.
import * as vscode from 'vscode';
import { LOCAL_INBOX_PROFILE_NAME } from '../core/profiles/presets';
import type { SmtpProfile, SmtpSecret } from '../core/profiles/profile';
import type { SendOutcome } from '../core/send/types';
import { describeOutcome } from '../core/send/describe';
import { prepareEditorDocument, targetDocument } from './documents';
import type { Services } from './services';

export interface SendArgs {
  uri?: vscode.Uri | string;
  profileName?: string;
  /** Skip the confirmation (tests, and the setting mailsmith.confirmBeforeSend). */
  skipConfirm?: boolean;
  /** Fixed clock for the Date a send adds (tests). */
  now?: string;
  /** Cancels like the progress notification's Cancel button (tests and other extensions calling in). */
  cancel?: vscode.CancellationToken;
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
      return await sendDocument(document, args);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      services.log.error(`Send Email failed before an outcome: ${reason}`);
      void vscode.window.showErrorMessage(`Not sent: ${reason}`, 'Show Log').then((c) => c && services.log.show());
      return { status: 'error', reason };
    } finally {
      inFlight.delete(key);
    }
  });

  async function sendDocument(document: vscode.TextDocument, args: SendArgs): Promise<SendResult> {
    const problems = services.diagnostics.validateNow(document);
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length) {
      const named = errors.slice(0, 3).map((e) => `line ${e.range.start.line + 1}: ${e.message} (${e.code})`);
      const more = errors.length > 3 ? `; and ${errors.length - 3} more` : '';
      return refuse(`Not sent: ${errors.length} error${errors.length > 1 ? 's' : ''} in the message. ${named.join('; ')}${more}.`, true);
    }

    const chosen = args.profileName ? services.profiles.get(args.profileName) : services.profiles.active();
    if (!chosen) return refuse(`No profile named "${args.profileName}".`);
    const prepared = await prepareEditorDocument(document, chosen.defaults, args.now ? new Date(args.now) : undefined);
    if (!prepared.ok) {
      const first = prepared.problems.find((p) => p.severity === 'error');
      return refuse(`Not sent: ${first?.message ?? 'the message cannot be prepared'}`, true);
    }
    const message = prepared.message;

    const confirm = vscode.workspace.getConfiguration('mailsmith').get<boolean>('confirmBeforeSend', true);
    if (confirm && !args.skipConfirm) {
      const recipients = message.envelope.to.length <= 5 ? message.envelope.to.join(', ') : `${message.envelope.to.slice(0, 5).join(', ')} and ${message.envelope.to.length - 5} more`;
      const answer = await vscode.window.showWarningMessage(
        `Send to ${recipients} with "${chosen.name}"?`,
        { modal: true, detail: `From ${message.envelope.from}, ${message.size.toLocaleString('en')} bytes. Bcc recipients receive it without a Bcc header.` },
        'Send',
      );
      if (answer !== 'Send') return { status: 'cancelled' };
    }

    let profile: SmtpProfile = chosen;
    let secret: SmtpSecret = {};
    if (chosen.name === LOCAL_INBOX_PROFILE_NAME) profile = (await services.inbox.ensure()).profile;
    else secret = await services.profiles.getSecret(chosen.name);
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Sending with "${chosen.name}"`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: `to ${message.envelope.to.length} recipient${message.envelope.to.length > 1 ? 's' : ''}` });
        const controller = new AbortController();
        const listeners = [token, args.cancel].map((t) => t?.onCancellationRequested(() => controller.abort()));
        if (args.cancel?.isCancellationRequested) controller.abort();
        try {
          // nodemailer is loaded on the first send, not at activation.
          const { sendMessage } = await import('../core/send/send.js');
          return await sendMessage(message, profile, secret, {
            logger: services.log,
            signal: controller.signal,
            rateLimitStatePath: services.rateLimitStatePath,
          });
        } finally {
          for (const l of listeners) l?.dispose();
        }
      },
    );
    services.history.record(document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.toString(), outcome);
    void announce(outcome, services);
    return { status: outcome.status, outcome, rawBase64: message.raw.toString('base64') };
  }

  function refuse(reason: string, showProblems = false): SendResult {
    void vscode.window.showErrorMessage(reason, ...(showProblems ? ['Show Problems'] : [])).then((choice) => {
      if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return { status: 'refused', reason };
  }
}

async function announce(outcome: SendOutcome, services: Services): Promise<void> {
  const text = describeOutcome(outcome);
  const show =
    outcome.status === 'sent' ? vscode.window.showInformationMessage : outcome.status === 'partial' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  const choice = await show(text, 'Show Log');
  if (choice === 'Show Log') services.log.show();
}

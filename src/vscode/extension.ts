// Mailsmith's one activate(): builds the shared services and registers every feature, each from its own
// file. Every disposable goes onto context.subscriptions. Heavy parts (nodemailer, smtp-server, markdown-it,
// yaml, postal-mime) load on first use, not here.
import * as vscode from 'vscode';
import { SentJournal } from '../core/journal/sentJournal';
import { workCounts } from '../core/probe';
import { defaultStateDir } from '../core/state/paths';
import { DocumentAnalyses } from './analyses';
import { registerViewCommands } from './capturedMessages';
import { registerCodeActions, registerUseCrlf } from './codeActions';
import { registerCodeLens } from './codeLens';
import { registerNewEmail } from './compose/newEmail';
import { DiagnosticsService } from './diagnostics';
import { registerDryRun } from './dryRun';
import { registerHistoryCommands, SentHistoryView } from './history';
import { InboxService } from './inbox';
import { createLog } from './log';
import { registerMerge } from './merge/register';
import { registerPreview } from './preview/panel';
import { registerProfileCommands } from './profiles/profileCommands';
import { ProfileStore } from './profiles/profileStore';
import { registerProfileSettings } from './profileSettings/register';
import { registerOpenSample } from './samples';
import { registerSend } from './send';
import { registerSeries } from './series/register';
import type { Services } from './services';
import { registerStatusBar } from './statusBar';

/**
 * What activate() returns to the extension's own integration tests (ExtensionMode.Test) and to nobody else:
 * the services reach the secret store, and VS Code would hand exports to any extension that asks.
 */
export interface MailsmithTestApi {
  services: Services;
  /** The log channel's file, as the user sees it in the Output view. */
  logFile: vscode.Uri;
  /** The core's work counters inside this bundle (src/core/probe.ts). */
  workCounts: typeof workCounts;
}

export function activate(context: vscode.ExtensionContext): MailsmithTestApi | undefined {
  const log = createLog();
  context.subscriptions.push(log);
  try {
    const profiles = new ProfileStore(context);
    const analyses = new DocumentAnalyses(profiles, log);
    const diagnostics = new DiagnosticsService(analyses, log, vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules'));
    const inbox = new InboxService(context, log);
    const journal = new SentJournal(defaultStateDir());
    const history = new SentHistoryView(journal);
    const testMode = context.extensionMode === vscode.ExtensionMode.Test;
    const services: Services = { log, profiles, analyses, diagnostics, inbox, journal, history, testMode };
    context.subscriptions.push(
      profiles,
      analyses,
      diagnostics,
      inbox,
      history,
      ...registerHistoryCommands(history, journal),
      registerCodeActions(analyses),
      registerUseCrlf(),
      registerCodeLens(services),
      registerSend(services),
      ...registerDryRun(services),
      registerNewEmail(services),
      registerOpenSample(context.extensionUri),
      ...registerPreview(context, services),
      ...registerStatusBar(services),
      ...registerProfileCommands(services),
      ...registerViewCommands(services),
      ...registerMerge(services),
      ...registerSeries(context, services),
    );
    registerProfileSettings(context, profiles, { logger: log, show: () => log.show() }, async () => (await inbox.ensure()).profile);
    for (const problem of profiles.problems()) log.warn(`Ignoring an invalid profile: ${problem}`);
    log.info('Mailsmith activated');
    return testMode ? { services, logFile: vscode.Uri.joinPath(context.logUri, 'Mailsmith.log'), workCounts } : undefined;
  } catch (err) {
    // Say so where the user looks, then let VS Code record the failure too.
    const message = err instanceof Error ? err.message : String(err);
    log.error(`Activation failed: ${message}`);
    void vscode.window.showErrorMessage(`Mailsmith failed to start: ${message}`, 'Show Log').then((c) => c && log.show());
    throw err;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

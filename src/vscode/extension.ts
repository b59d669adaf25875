// Mailsmith's one activate(): builds the shared services and registers every feature, each from its
// own file. Every disposable goes onto context.subscriptions. Heavy parts (nodemailer, smtp-server)
// load on first use, not here.
import * as vscode from 'vscode';
import { registerCodeActions, registerUseCrlf } from './codeActions';
import { registerCodeLens } from './codeLens';
import { registerViewCommands } from './capturedMessages';
import { DiagnosticsService } from './diagnostics';
import { registerNewEmail } from './compose/newEmail';
import { registerDryRun } from './dryRun';
import { HISTORY_SCHEME, SentHistory } from './history';
import { InboxService } from './inbox';
import { createLog } from './log';
import { registerProfileCommands } from './profiles/profileCommands';
import { ProfileStore } from './profiles/profileStore';
import { registerProfileSettings } from './profileSettings/register';
import { registerPreview } from './preview/panel';
import { registerOpenSample } from './samples';
import { registerSend } from './send';
import type { Services } from './services';
import { registerStatusBar } from './statusBar';
import { defaultStateDir, rateLimitFile } from '../core/state/paths';

/** What activate() returns: for the integration tests and other extensions. */
export interface MailsmithApi {
  services: Services;
  /** The log channel's file, as the user sees it in the Output view. */
  logFile: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): MailsmithApi {
  const log = createLog();
  context.subscriptions.push(log);
  try {
    const profiles = new ProfileStore(context);
    const diagnostics = new DiagnosticsService();
    const inbox = new InboxService(context, log);
    const history = new SentHistory(context);
    const services: Services = {
      log,
      profiles,
      diagnostics,
      inbox,
      history,
      rateLimitStatePath: rateLimitFile(defaultStateDir()),
    };
    context.subscriptions.push(
      profiles,
      diagnostics,
      inbox,
      history,
      vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, history),
      registerCodeActions(diagnostics),
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
    );
    registerProfileSettings(context, profiles, { logger: log, show: () => log.show() }, async () => (await inbox.ensure()).profile);
    for (const problem of profiles.problems()) log.warn(`Ignoring an invalid profile: ${problem}`);
    log.info('Mailsmith activated');
    return { services, logFile: vscode.Uri.joinPath(context.logUri, 'Mailsmith.log') };
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

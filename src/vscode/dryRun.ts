// Dry run: a read-only virtual document with the envelope, every local file that would travel and the exact
// bytes a send would transmit. It uses the document's analysis, like Send, so it shows what Send would send.
import * as vscode from 'vscode';
import { refusalSummary } from '../core/report/problems';
import { buildReview, travellingFileLines } from '../core/report/review';
import { targetDocument } from './documents';
import type { Services } from './services';

export const DRY_RUN_SCHEME = 'mailsmith-dry-run';

export function registerDryRun(services: Services): vscode.Disposable[] {
  const contents = new Map<string, string>();
  const provider: vscode.TextDocumentContentProvider = { provideTextDocumentContent: (uri) => contents.get(uri.toString()) ?? '' };
  const command = vscode.commands.registerCommand('mailsmith.dryRun', async (arg?: vscode.Uri | { uri?: vscode.Uri; profileName?: string; now?: string }) => {
    const args = arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {});
    const document = await targetDocument(args);
    if (!document) {
      void vscode.window.showErrorMessage('Open an email (.eml) file for a dry run.');
      return undefined;
    }
    const profile = (args.profileName && services.profiles.get(args.profileName)) || services.profiles.active();
    const analysis = await services.analyses.get(document, profile);
    const result = await analysis.prepare(args.now ? new Date(args.now) : undefined);
    let text: string;
    if (!result.ok) {
      const errors = result.problems.filter((p) => p.severity === 'error');
      text = `${refusalSummary(errors)}\n\n${errors.map((p) => `line ${p.range.start.line + 1}: ${p.code}: ${p.message}`).join('\n')}\n`;
    } else {
      const m = result.message;
      // CRLF like the message itself: a VS Code document keeps one line ending, so mixed endings would
      // let it show the message's bytes with LF.
      text =
        [
          `Dry run with profile "${profile.name}": nothing was sent.`,
          `MAIL FROM:<${m.envelope.from}>`,
          ...m.envelope.to.map((t) => `RCPT TO:<${t}>`),
          `SIZE: ${m.size} bytes${m.needsSmtpUtf8 ? ', needs SMTPUTF8' : ''}`,
          ...travellingFileLines(buildReview(m, analysis.files, profile).files),
          '-'.repeat(72),
          '',
        ].join('\r\n') + m.raw.toString('utf8');
    }
    const name = document.uri.path.split('/').pop() ?? 'message';
    const uri = vscode.Uri.from({ scheme: DRY_RUN_SCHEME, path: `/${name} (dry run)`, query: String(Date.now()) });
    contents.set(uri.toString(), text);
    const shown = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(shown, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return { ok: result.ok, text, uri: uri.toString() };
  });
  // A dry run holds a whole message: let it go when its document closes.
  const forget = vscode.workspace.onDidCloseTextDocument((d) => {
    if (d.uri.scheme === DRY_RUN_SCHEME) contents.delete(d.uri.toString());
  });
  return [vscode.workspace.registerTextDocumentContentProvider(DRY_RUN_SCHEME, provider), command, forget, { dispose: () => contents.clear() }];
}

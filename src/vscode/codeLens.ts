// Above the first header of an email document: "Send with <profile>", "Dry run", and what the send will do
// for the author ("adds Date and Message-ID · CRLF line endings"): the notes the rules report as hints,
// which the Problems view does not list, said where the author looks before sending. The notes come from
// the newest finished analysis (never a check of its own) and follow the Problems view as it updates. On a
// merge template: "Mail Merge..." instead.
import * as vscode from 'vscode';
import { isFrontMatterDocument } from '../core/compose/source';
import { namesMergeData } from '../core/merge/detect';
import { describeSendEffects, fieldsFromDefaults } from '../core/message/rules/sendEffects';
import { CAPTURED_SCHEME } from './preview/capturedScheme';
import type { Services } from './services';

export function registerCodeLens(services: Services): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const listeners = [
    services.profiles.onDidChange(() => changed.fire()),
    services.diagnostics.onDidUpdate(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mailsmith.codeLens')) changed.fire();
    }),
  ];
  const provider = vscode.languages.registerCodeLensProvider(
    { language: 'email' },
    {
      onDidChangeCodeLenses: changed.event,
      provideCodeLenses(document) {
        if (!vscode.workspace.getConfiguration('mailsmith').get<boolean>('codeLens.enabled', true)) return [];
        // A received message is something to read, not to send.
        if (document.uri.scheme === CAPTURED_SCHEME) return [];
        const top = new vscode.Range(0, 0, 0, 0);
        const profile = services.profiles.active();
        // A merge template goes out only through the merge (Send refuses it): offer that instead.
        if (namesMergeData(document.getText(new vscode.Range(0, 0, 200, 0)))) {
          return [new vscode.CodeLens(top, { title: `$(mail) Mail Merge with ${profile.name}...`, command: 'mailsmith.mailMerge', arguments: [document.uri] })];
        }
        const lenses = [
          new vscode.CodeLens(top, { title: `$(send) Send with ${profile.name}`, command: 'mailsmith.send', arguments: [document.uri] }),
          new vscode.CodeLens(top, { title: '$(eye) Dry run', command: 'mailsmith.dryRun', arguments: [document.uri] }),
        ];
        const analysis = services.analyses.latest(document);
        if (!analysis) return lenses;
        const fromProfile = isFrontMatterDocument(analysis.scanned.text, document.uri.path) ? [] : fieldsFromDefaults(analysis.scanned, profile.defaults);
        const effects = describeSendEffects(analysis.problems, fromProfile);
        if (effects.summary) {
          // Clicking it shows exactly what leaves: the dry run.
          const tooltip = ['When sent:', ...effects.details.map((d) => `- ${d}`), '', 'Click for the exact bytes (Dry Run).'].join('\n');
          lenses.push(new vscode.CodeLens(top, { title: effects.summary, tooltip, command: 'mailsmith.dryRun', arguments: [document.uri] }));
        }
        return lenses;
      },
    },
  );
  return vscode.Disposable.from(provider, ...listeners, changed);
}

// A merge as the editor sets it up: the template's text as in the editor (unsaved changes included), its
// workspace folder as the tree its files (and a data file it names) must stay in, the rule levels and the
// profile's defaults: the options the editor gives a single message (../analyses.ts).
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { knownProblemCodes } from '../../core/document/catalog';
import { findProjectConfig } from '../../core/document/projectConfig';
import { mergeRuleLevels, ruleLevelsFromObject } from '../../core/document/ruleLevels';
import type { MergeSetup } from '../../core/merge/open';
import type { SmtpProfile } from '../../core/profiles/profile';
import type { Logger } from '../../core/types';
import { machineSetting } from '../settings';

export async function mergeSetup(template: vscode.TextDocument, profile: SmtpProfile, dataPath: string | undefined, log: Logger): Promise<MergeSetup> {
  const templatePath = template.uri.fsPath;
  const baseDir = dirname(templatePath);
  const folder = vscode.workspace.getWorkspaceFolder(template.uri);
  const root = folder?.uri.scheme === 'file' ? folder.uri.fsPath : baseDir;
  const scope = { root, allowOutside: machineSetting<boolean>('attachments.allowOutside', false) };
  const project = await findProjectConfig(baseDir, root);
  const setting = ruleLevelsFromObject(vscode.workspace.getConfiguration('mailsmith').get('rules'), knownProblemCodes(), 'mailsmith.rules');
  for (const problem of [...project.problems, ...setting.problems]) log.warn(problem);
  return {
    templatePath,
    templateText: template.getText(),
    dataPath,
    analyze: { fileName: template.uri.path, baseDir, scope, defaults: profile.defaults, rules: mergeRuleLevels(project.rules, setting.levels) },
    scope,
    defaultFrom: profile.defaults?.from,
  };
}

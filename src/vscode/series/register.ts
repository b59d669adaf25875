// Send Patch Series: from the explorer (a folder or .patch files), from a .patch file in the editor, or from a
// revision range (git format-patch into .mailsmith/series/RANGE, the cover letter opened for writing). Opens
// the series review (./panel.ts). Also Import SMTP Profile from Git Config: sendemail.* of the workspace's
// repository as a profile, the password from git's credential helpers into SecretStorage.
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';

export const SERIES_COMMAND = 'mailsmith.series.review';
export const IMPORT_GIT_PROFILE_COMMAND = 'mailsmith.series.importGitProfile';

/** Arguments for scripts and tests: the paths of a series, or a range. */
export interface SeriesArgs {
  paths?: string[];
  rev?: string;
}

const loadPanel = async () => (await import('./panel.js')).SeriesReviewPanel;

export function registerSeries(context: vscode.ExtensionContext, services: Services): vscode.Disposable[] {
  const diagnostics = vscode.languages.createDiagnosticCollection('mailsmith-series');
  return [
    diagnostics,
    vscode.commands.registerCommand(SERIES_COMMAND, async (arg?: vscode.Uri | SeriesArgs, selected?: vscode.Uri[]) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
      let paths: string[] | undefined;
      if (arg instanceof vscode.Uri) paths = (selected?.length ? selected : [arg]).map((u) => u.fsPath);
      else if (arg?.paths) paths = arg.paths;
      else if (arg?.rev) paths = await fromRange(folder, arg.rev);
      else {
        const active = vscode.window.activeTextEditor?.document;
        if (active?.uri.scheme === 'file' && /\.(patch|mbox|mbx)$/i.test(active.uri.fsPath)) {
          // A patch in the editor: its folder is the series (format-patch writes one folder per series).
          paths = [/\.patch$/i.test(active.uri.fsPath) ? dirname(active.uri.fsPath) : active.uri.fsPath];
        } else paths = await ask(folder);
      }
      if (!paths?.length) return undefined;
      const Panel = await loadPanel();
      const panel = Panel.show(context.extensionUri, services, diagnostics, { cwd: folder, paths });
      await panel.ready;
      return panel.state;
    }),
    vscode.commands.registerCommand(IMPORT_GIT_PROFILE_COMMAND, () => importGitProfile(services)),
  ];
}

async function ask(folder: string): Promise<string[] | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: '$(files) Patch files or a folder\u2026', id: 'files' },
      { label: '$(git-commit) A revision range (git format-patch)\u2026', id: 'range' },
    ],
    { title: 'Send Patch Series' },
  );
  if (choice?.id === 'files') {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: true, canSelectFolders: true, canSelectFiles: true, openLabel: 'Review', filters: { Patches: ['patch', 'mbox', 'mbx'] } });
    return picked?.map((u) => u.fsPath);
  }
  if (choice?.id === 'range') {
    const rev = await vscode.window.showInputBox({ title: 'Send Patch Series: revision range', prompt: 'Commits to send, as git format-patch takes them', placeHolder: 'main..topic, @{upstream}.. or HEAD~3' });
    return rev ? fromRange(folder, rev) : undefined;
  }
  return undefined;
}

async function fromRange(folder: string, rev: string): Promise<string[] | undefined> {
  const { repositoryRoot } = await import('../../core/series/git.js');
  const { formatPatch, rangeFolderName } = await import('../../core/series/formatPatch.js');
  const root = await repositoryRoot(folder);
  if (!root) {
    void vscode.window.showErrorMessage('Send Patch Series: the workspace folder is not in a git repository.');
    return undefined;
  }
  const made = await formatPatch({ root, range: rev, outputDir: join(root, '.mailsmith', 'series', rangeFolderName(rev)) });
  if (!made.ok) {
    void vscode.window.showErrorMessage(`Send Patch Series: ${made.reason}`);
    return undefined;
  }
  // The cover letter needs its subject and introduction: open it.
  if (made.cover) await vscode.window.showTextDocument(vscode.Uri.file(made.files[0]), { preview: false });
  return [made.dir];
}

async function importGitProfile(services: Services): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  const { configEntries } = await import('../../core/series/git.js');
  const { importGitConfig } = await import('../../core/profiles/import/git.js');
  const { gitCredentialFill } = await import('../../core/series/gitCredential.js');
  const result = importGitConfig(await configEntries(folder, '^sendemail\\.'));
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Import from git config: ${result.error}`);
    return undefined;
  }
  const profile = result.profile;
  const secret = result.secret?.password
    ? result.secret
    : profile.user
      ? await gitCredentialFill({ host: profile.host, port: profile.port, user: profile.user })
      : undefined;
  const detail = [
    `${profile.host}:${profile.port} (${profile.security})${profile.user ? `, user ${profile.user}` : ''}`,
    secret?.password ? 'The password (from git) goes to VS Code\u2019s secret store, never to settings.' : profile.user ? 'No password was found in git: set it with Set Profile Password.' : '',
    ...result.notes,
  ].filter(Boolean);
  const answer = await vscode.window.showInformationMessage(`Add the profile "${profile.name}" from git send-email's settings?`, { modal: true, detail: detail.join('\n') }, 'Add Profile');
  if (answer !== 'Add Profile') return undefined;
  await services.profiles.save(profile);
  if (secret?.password) await services.profiles.setPassword(profile.name, secret.password);
  services.log.info(`Imported the profile "${profile.name}" from git send-email's settings${secret?.password ? ' (password to SecretStorage)' : ''}.`);
  return profile.name;
}

// One analysis per document version, shared by diagnostics, code actions, CodeLens, preview, dry run and send
// (as the Markdown language service shares its parsed documents between features). The analysis uses what
// the send would use: the profile's defaults, the rule levels, the folder the files must stay in. Referenced
// files are watched: creating a missing attachment clears its problem without another keystroke.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { analyzeDocument, type AnalyzeOptions, type DocumentAnalysis } from '../core/document/analyze';
import { scanMessage } from '../core/message/scanner';
import { knownProblemCodes } from '../core/document/catalog';
import { findProjectConfig, PROJECT_CONFIG_NAMES } from '../core/document/projectConfig';
import { mergeRuleLevels, ruleLevelsFromObject, type RuleLevels } from '../core/document/ruleLevels';
import { namesMergeData } from '../core/merge/detect';
import type { SmtpProfile } from '../core/profiles/profile';
import type { MailsmithLog } from './log';
import type { ProfileStore } from './profiles/profileStore';
import { machineSetting } from './settings';

/** Documents from this size on are analysed in several tasks (see analyse). */
const YIELD_ABOVE = 512 * 1024;

const nextTask = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Entry {
  version: number;
  key: string;
  analysis: Promise<DocumentAnalysis>;
  /** Set once the analysis is done: code actions read it without waiting. */
  done?: DocumentAnalysis;
  /** Files the analysis looked at (absolute and real paths): a change to one of them makes it stale. */
  watched: string[];
}

/** Documents whose problems belong in the Problems view: the user's files and unsaved drafts, not diff views or output. */
export function isAnalysable(document: vscode.TextDocument): boolean {
  return (
    document.languageId === 'email' &&
    (document.uri.scheme === 'file' || document.uri.scheme === 'untitled') &&
    // A merge template is checked row by row by the merge (./merge/diagnostics.ts), not as one message.
    !namesMergeData(document.getText(new vscode.Range(0, 0, 200, 0)))
  );
}

export class DocumentAnalyses implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** The last finished analysis of the active profile per document, whatever its version (CodeLens shows it while the next one runs). */
  private readonly lastDone = new Map<string, DocumentAnalysis>();
  private readonly watchers = new Map<string, { watcher: vscode.FileSystemWatcher; users: Set<string> }>();
  /**
   * Rule levels per folder, kept until a project file or the setting changes (invalidateAll): a keystroke
   * costs no file look-ups, and a bad project file is logged once, not on every keystroke.
   */
  private readonly levels = new Map<string, Promise<RuleLevels>>();
  private readonly invalidated = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** A document's analysis went stale without an edit (a file it names changed, a setting, the profile): undefined = all. */
  readonly onDidInvalidate = this.invalidated.event;
  private readonly disposables: vscode.Disposable[] = [this.invalidated];

  constructor(
    private readonly profiles: ProfileStore,
    private readonly log: MailsmithLog,
  ) {
    const projectFiles = vscode.workspace.createFileSystemWatcher(`**/{${PROJECT_CONFIG_NAMES.join(',')}}`);
    const everything = () => this.invalidateAll();
    this.disposables.push(
      projectFiles,
      projectFiles.onDidCreate(everything),
      projectFiles.onDidChange(everything),
      projectFiles.onDidDelete(everything),
      profiles.onDidChange(everything),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mailsmith.rules') || e.affectsConfiguration('mailsmith.attachments')) everything();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri.toString())),
    );
  }

  /** The analysis of the document's current version with `profile`'s defaults (the active profile's by default). */
  get(document: vscode.TextDocument, profile: SmtpProfile = this.profiles.active()): Promise<DocumentAnalysis> {
    const uri = document.uri.toString();
    const key = JSON.stringify(profile.defaults ?? {});
    const entry = this.entries.get(uri);
    if (entry && entry.version === document.version && entry.key === key) return entry.analysis;
    const created: Entry = { version: document.version, key, analysis: undefined as never, watched: [] };
    created.analysis = this.analyse(document, profile).then((analysis) => {
      created.done = analysis;
      if (this.entries.get(uri) === created) this.lastDone.set(uri, analysis);
      this.watch(uri, created, analysis);
      return analysis;
    });
    // The active profile's analysis is the one kept; another profile's (a send with a named profile) is used once.
    if (key === JSON.stringify(this.profiles.active().defaults ?? {})) this.entries.set(uri, created);
    return created.analysis;
  }

  /** The finished analysis of exactly this version, if there is one (never starts work). */
  peek(document: vscode.TextDocument): DocumentAnalysis | undefined {
    const entry = this.entries.get(document.uri.toString());
    return entry && entry.version === document.version ? entry.done : undefined;
  }

  /** The newest finished analysis of the document, possibly of an earlier version (never starts work). */
  latest(document: vscode.TextDocument): DocumentAnalysis | undefined {
    return this.peek(document) ?? this.lastDone.get(document.uri.toString());
  }

  /** What an analysis of the document is given with `profile`: what Send uses (the preview's worker too). */
  async options(document: vscode.TextDocument, profile: SmtpProfile = this.profiles.active()): Promise<AnalyzeOptions> {
    const baseDir = document.uri.scheme === 'file' ? dirname(document.uri.fsPath) : undefined;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const root = folder?.uri.scheme === 'file' ? folder.uri.fsPath : baseDir;
    return {
      fileName: document.uri.path,
      baseDir,
      // The workspace folder the message belongs to; an untitled draft has no tree: any file is outside.
      scope: { root, allowOutside: machineSetting<boolean>('attachments.allowOutside', false) },
      defaults: profile.defaults,
      rules: await this.cachedRuleLevels(baseDir, root),
    };
  }

  private async analyse(document: vscode.TextDocument, profile: SmtpProfile): Promise<DocumentAnalysis> {
    // The text of exactly the version get() was asked for: read before anything is awaited.
    const text = document.getText();
    const options = await this.options(document, profile);
    if (text.length < YIELD_ABOVE) return analyzeDocument(text, options);
    // A large document is read, scanned and checked in separate tasks, each well under 50 ms for 10 MB, so
    // the extension host (every extension's, and the typing it relays) is never held for long.
    await nextTask();
    const scanned = scanMessage(text);
    await nextTask();
    return analyzeDocument(scanned, options);
  }

  private cachedRuleLevels(baseDir: string | undefined, root: string | undefined): Promise<RuleLevels> {
    const key = `${baseDir ?? ''}\0${root ?? ''}`;
    let levels = this.levels.get(key);
    if (!levels) {
      levels = this.ruleLevels(baseDir, root);
      this.levels.set(key, levels);
    }
    return levels;
  }

  /** `.mailsmith.yaml` found upward from the document (within its workspace folder), then the `mailsmith.rules` setting. */
  private async ruleLevels(baseDir: string | undefined, root: string | undefined): Promise<RuleLevels> {
    const project = baseDir ? await findProjectConfig(baseDir, root) : { rules: {}, problems: [] };
    const setting = ruleLevelsFromObject(vscode.workspace.getConfiguration('mailsmith').get('rules'), knownProblemCodes(), 'mailsmith.rules');
    for (const problem of [...project.problems, ...setting.problems]) this.log.warn(problem);
    return mergeRuleLevels(project.rules, setting.levels);
  }

  private watch(uri: string, entry: Entry, analysis: DocumentAnalysis): void {
    if (this.entries.get(uri) !== entry) return;
    const paths = new Set<string>();
    for (const { state } of analysis.files) {
      if ('absolutePath' in state) paths.add(state.absolutePath);
      if ('realPath' in state) paths.add(state.realPath);
    }
    entry.watched = [...paths];
    for (const path of entry.watched) {
      let watched = this.watchers.get(path);
      if (!watched) {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(path)), path.slice(dirname(path).length + 1)));
        const changed = () => {
          for (const user of this.watchers.get(path)?.users ?? []) this.invalidate(user);
        };
        watcher.onDidCreate(changed);
        watcher.onDidChange(changed);
        watcher.onDidDelete(changed);
        watched = { watcher, users: new Set() };
        this.watchers.set(path, watched);
      }
      watched.users.add(uri);
    }
    this.releaseUnused();
  }

  private invalidate(uri: string): void {
    if (!this.entries.delete(uri)) return;
    this.invalidated.fire(vscode.Uri.parse(uri));
  }

  private invalidateAll(): void {
    this.entries.clear();
    this.levels.clear();
    this.invalidated.fire(undefined);
  }

  private forget(uri: string): void {
    this.entries.delete(uri);
    this.lastDone.delete(uri);
    this.releaseUnused();
  }

  /** Watchers whose files no kept analysis names any more. */
  private releaseUnused(): void {
    const inUse = new Set([...this.entries.values()].flatMap((e) => e.watched));
    for (const [path, watched] of this.watchers) {
      if (inUse.has(path)) continue;
      watched.watcher.dispose();
      this.watchers.delete(path);
    }
  }

  dispose(): void {
    for (const { watcher } of this.watchers.values()) watcher.dispose();
    this.watchers.clear();
    for (const d of this.disposables) d.dispose();
  }
}

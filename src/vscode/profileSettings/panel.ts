// The profile settings webview panel: one at a time, a strict CSP with a fresh nonce, resources only from
// media/ and dist/. The page edits a draft; this side validates (the core's validateProfile), stores
// profiles and passwords (ProfileStore -> settings and SecretStorage), imports, exports and runs the
// connection doctor. A password goes one way only: page -> SecretStorage.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { exportProfileYaml, importProfile, type ImportedSecret } from '../../core/profiles/import';
import type { SmtpProfile } from '../../core/profiles/profile';
import type { Logger } from '../../core/types';
import { profileToDraft } from '../../webview/profiles/draft';
import type {
  DoctorStepView,
  FieldIssue,
  HostMessage,
  PageMessage,
  PresetView,
  ProfileDraft,
  ProfileSummary,
  SignInView,
} from '../../webview/profiles/protocol';
import { renderPage } from './html';
import { parsePageMessage } from './pageMessages';
import { validateDraft } from './validateDraft';

/** The parts of the extension the panel works with, passed in (tests and register.ts supply them). */
export interface ProfileSettingsDeps {
  store: {
    readonly onDidChange: vscode.Event<void>;
    list(): SmtpProfile[];
    get(name: string): SmtpProfile | undefined;
    save(profile: SmtpProfile, previousName?: string): Promise<void>;
    remove(name: string): Promise<void>;
    getSecret(name: string): Promise<{ password?: string; accessToken?: string }>;
    setPassword(name: string, password: string | undefined): Promise<void>;
    hasPassword(name: string): Promise<boolean>;
    active(): SmtpProfile;
    setActive(name: string): Promise<void>;
    /** The profile's OAuth 2.0 sign-in, for display (undefined without oauth settings). */
    signInStatus(profile: SmtpProfile): Promise<SignInView | undefined>;
    /** The credentials a send with this profile would use (a command's output, a renewed OAuth token). */
    secretsFor(profile: SmtpProfile): { get(): Promise<{ password?: string; accessToken?: string }> };
  };
  presets: PresetView[];
  /** What each OAuth provider asks the user to set up (register a client), by provider id. */
  oauthNotes: Record<string, string>;
  /** Runs a command (Sign In / Sign Out) and gives its result. */
  runCommand<T>(command: string, ...args: unknown[]): Promise<T>;
  builtInName: string;
  /** The built-in local capture inbox as it runs now (started on demand, on whatever port it got). */
  builtInProfile(): Promise<SmtpProfile>;
  /** Runs the connection doctor, reporting each step as it finishes; resolves with the overall result. */
  runDoctor(
    profile: SmtpProfile,
    secret: { password?: string; accessToken?: string },
    onStep: (step: DoctorStepView) => void,
  ): Promise<{ ok: boolean; summary: string }>;
  log: Logger;
  /** Reveals the log channel (for "Show log"). */
  showLog(): void;
}

export class ProfileSettingsPanel implements vscode.Disposable {
  static readonly viewType = 'mailsmith.profileSettings'; // = VIEW_TYPE in register.ts and package.json's activation event
  private static current: ProfileSettingsPanel | undefined;

  /** Opens the panel (or brings the open one forward), optionally on one profile. */
  static show(extensionUri: vscode.Uri, deps: ProfileSettingsDeps, select?: string): ProfileSettingsPanel {
    const existing = ProfileSettingsPanel.current;
    if (existing) {
      existing.panel.reveal();
      if (select) existing.post({ type: 'select', name: select });
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      ProfileSettingsPanel.viewType,
      'Mailsmith Profile Settings',
      vscode.ViewColumn.Active,
      ProfileSettingsPanel.options(extensionUri),
    );
    ProfileSettingsPanel.current = new ProfileSettingsPanel(panel, extensionUri, deps, select ?? null);
    return ProfileSettingsPanel.current;
  }

  /** Takes over a panel VS Code restored after a reload; the page brings back its own state (getState). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, deps: ProfileSettingsDeps): void {
    ProfileSettingsPanel.current?.dispose();
    panel.webview.options = ProfileSettingsPanel.options(extensionUri);
    ProfileSettingsPanel.current = new ProfileSettingsPanel(panel, extensionUri, deps, null);
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // Only what the page needs: its CSS, its bundle and the codicons; not the extension's own code.
      localResourceRoots: [
        vscode.Uri.joinPath(extensionUri, 'media'),
        vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
        vscode.Uri.joinPath(extensionUri, 'dist', 'codicons'),
      ],
    };
  }

  /** The open panel, if any (used by tests through the extension's test API). */
  static get open(): ProfileSettingsPanel | undefined {
    return ProfileSettingsPanel.current;
  }

  private readonly disposables: vscode.Disposable[] = [];
  /** A password or token found by the last import, held here (never in the page) until Save. */
  private importedSecret: ImportedSecret | undefined;
  private dirty = false;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly deps: ProfileSettingsDeps,
    private pendingSelect: string | null,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      deps.store.onDidChange(() => void this.postProfiles()),
    );
  }

  dispose(): void {
    if (ProfileSettingsPanel.current === this) ProfileSettingsPanel.current = undefined;
    this.importedSecret = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private html(): string {
    const webview = this.panel.webview;
    const uri = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts)).toString();
    return renderPage({
      cspSource: webview.cspSource,
      // A CSP nonce must be unguessable: crypto, not Math.random.
      nonce: randomBytes(18).toString('base64'),
      scriptUri: uri('dist', 'webview', 'profiles.js'),
      styleUri: uri('media', 'profiles.css'),
      codiconsUri: uri('dist', 'codicons', 'codicon.css'),
    });
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const message = parsePageMessage(raw);
    if (!message) {
      this.deps.log.warn('Profile settings: ignored a malformed message from the page.');
      return;
    }
    this.handle(message).catch((err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      this.deps.log.error(`Profile settings: ${message.type} failed: ${text}`);
      void vscode.window.showErrorMessage(`Mailsmith: ${text}`);
    });
  }

  private async summaries(): Promise<ProfileSummary[]> {
    const { store, builtInName } = this.deps;
    return Promise.all(
      store.list().map(async (profile) => {
        const signIn = await store.signInStatus(profile).catch(() => undefined);
        return { profile, hasPassword: await store.hasPassword(profile.name), builtIn: profile.name === builtInName, ...(signIn ? { signIn } : {}) };
      }),
    );
  }

  private async postProfiles(): Promise<void> {
    this.post({ type: 'profiles', profiles: await this.summaries(), active: this.deps.store.active().name });
  }

  private validate(draft: ProfileDraft, previousName: string | null): { profile: SmtpProfile; issues: FieldIssue[] } {
    return validateDraft(draft, previousName, { get: (name) => this.deps.store.get(name), builtInName: this.deps.builtInName });
  }

  private async handle(message: PageMessage): Promise<void> {
    const { store } = this.deps;
    switch (message.type) {
      case 'ready':
        this.post({ type: 'init', profiles: await this.summaries(), active: store.active().name, presets: this.deps.presets, select: this.pendingSelect, oauthNotes: this.deps.oauthNotes });
        this.pendingSelect = null;
        return;
      case 'validate':
        this.post({ type: 'validation', seq: message.seq, issues: this.validate(message.draft, message.previousName).issues });
        return;
      case 'save':
        return this.save(message);
      case 'delete': {
        if (message.name === this.deps.builtInName) return;
        const answer = await vscode.window.showWarningMessage(
          `Delete the profile "${message.name}"? Its stored password is removed too.`,
          { modal: true },
          'Delete',
        );
        if (answer !== 'Delete') return;
        await store.remove(message.name);
        await store.setPassword(message.name, undefined);
        await this.postProfiles();
        this.post({ type: 'deleted', name: message.name });
        return;
      }
      case 'clearPassword':
        await store.setPassword(message.name, undefined);
        await this.postProfiles();
        return;
      case 'setActive':
        await store.setActive(message.name);
        await this.postProfiles();
        return;
      case 'confirmDiscard': {
        const answer = await vscode.window.showWarningMessage('Discard the unsaved changes to this profile?', { modal: true }, 'Discard');
        this.post({ type: 'confirmed', requestId: message.requestId, ok: answer === 'Discard' });
        return;
      }
      case 'dirty':
        this.dirty = message.dirty;
        this.panel.title = this.dirty ? 'Mailsmith Profile Settings \u25CF' : 'Mailsmith Profile Settings';
        return;
      case 'import':
        return this.import(message.text);
      case 'export': {
        const { profile } = this.validate(message.draft, null);
        const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: exportProfileYaml(profile) });
        await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
        return;
      }
      case 'testConnection':
        return this.testConnection(message);
      case 'showLog':
        this.deps.showLog();
        return;
      case 'signIn':
      case 'signOut': {
        // The same commands as the palette's: one way to sign in, whatever starts it.
        const result = await this.deps.runCommand<{ ok: boolean; message: string } | undefined>(message.type === 'signIn' ? 'mailsmith.signIn' : 'mailsmith.signOut', message.name);
        await this.postProfiles();
        this.post({ type: 'signInDone', name: message.name, ok: result?.ok ?? false, message: result?.message ?? '' });
        return;
      }
    }
  }

  private async save(message: Extract<PageMessage, { type: 'save' }>): Promise<void> {
    const { store } = this.deps;
    const { profile, issues } = this.validate(message.draft, message.previousName);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      this.post({ type: 'saveFailed', message: 'Not saved: fix the errors first.', issues });
      return;
    }
    if (message.previousName === this.deps.builtInName) {
      this.post({ type: 'saveFailed', message: 'The built-in local inbox cannot be changed.', issues });
      return;
    }
    await store.save(profile, message.previousName ?? undefined);
    const password = message.password ?? (message.useImportedSecret ? this.importedSecret?.password : undefined);
    if (password !== undefined) await store.setPassword(profile.name, password);
    if (message.useImportedSecret) this.importedSecret = undefined;
    this.deps.log.info(`Profile settings: saved profile "${profile.name}"${password !== undefined ? ' and its password (in SecretStorage)' : ''}.`);
    await this.postProfiles();
    this.post({ type: 'saved', name: profile.name, passwordStored: await store.hasPassword(profile.name) });
  }

  private async import(text: string | undefined): Promise<void> {
    let source = text;
    if (source === undefined) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Import',
        title: 'Import SMTP settings (Dapr component, Sesam system, curl command)',
        filters: { 'SMTP settings': ['yaml', 'yml', 'json', 'txt', 'sh'], 'All files': ['*'] },
      });
      if (!picked?.[0]) return;
      source = new TextDecoder().decode(await vscode.workspace.fs.readFile(picked[0]));
    }
    const result = importProfile(source);
    if (!result.ok) {
      this.post({ type: 'importFailed', message: result.error });
      return;
    }
    this.importedSecret = result.secret;
    const notes = result.secret
      ? [...result.notes, `The input holds a ${result.secret.password ? 'password' : 'token'} in plain text: it is not in the profile, and goes to the secret store when you save, never to settings.`]
      : result.notes;
    this.deps.log.info(`Profile settings: imported a ${result.format} profile "${result.profile.name}".`);
    this.post({ type: 'imported', draft: profileToDraft(result.profile), notes, hasImportedSecret: result.secret !== undefined });
  }

  private async testConnection(message: Extract<PageMessage, { type: 'testConnection' }>): Promise<void> {
    let { profile } = this.validate(message.draft, message.previousName);
    let secret: { password?: string; accessToken?: string } = {};
    if (message.previousName === this.deps.builtInName) profile = await this.deps.builtInProfile();
    else if (message.password !== undefined) secret = { password: message.password };
    else if (message.useImportedSecret && this.importedSecret) secret = this.importedSecret;
    this.deps.log.info(`Profile settings: testing the connection of "${profile.name || profile.host}".`);
    let result: { ok: boolean; summary: string };
    try {
      // A saved profile's credentials come the way a send gets them: its command, its OAuth 2.0 sign-in
      // (the token renewed if due), or the stored password.
      if (message.previousName && message.previousName !== this.deps.builtInName && message.password === undefined && !message.useImportedSecret)
        secret = profile.oauth || profile.passwordCommand || profile.tokenCommand ? await this.deps.store.secretsFor(profile).get() : await this.deps.store.getSecret(message.previousName);
      result = await this.deps.runDoctor(profile, secret, (step) => this.post({ type: 'doctorStep', runId: message.runId, step }));
    } catch (err) {
      result = { ok: false, summary: `The test stopped: ${err instanceof Error ? err.message : String(err)}` };
    }
    this.post({ type: 'doctorDone', runId: message.runId, ok: result.ok, summary: result.summary });
  }
}

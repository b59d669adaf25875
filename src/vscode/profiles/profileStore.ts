// Profiles live in the `mailsmith.profiles` setting (no secrets there); passwords and tokens in
// SecretStorage, keyed by profile name; the active profile per workspace in workspaceState.
// The built-in local capture inbox is always first and is the default.
import * as vscode from 'vscode';
import { BUILT_IN_INBOX_PROFILE } from '../../core/profiles/builtIn';
import { profileFromObject } from '../../core/profiles/fromObject';
import type { SmtpProfile, SmtpSecret } from '../../core/profiles/profile';
import { secretFor, type SecretProvider } from '../../core/secrets/provider';

const ACTIVE_KEY = 'mailsmith.activeProfile';
const SECRET_PREFIX = 'mailsmith.password.';
const TOKEN_PREFIX = 'mailsmith.token.';
const BUILT_IN_NAME = BUILT_IN_INBOX_PROFILE.name;

export class ProfileStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mailsmith.profiles')) this.changed.fire();
      }),
      context.secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX) || e.key.startsWith(TOKEN_PREFIX)) this.changed.fire();
      }),
    );
  }

  /** The profiles as the user wrote them in settings; invalid entries are skipped (and reported by `problems`). */
  list(): SmtpProfile[] {
    return [BUILT_IN_INBOX_PROFILE, ...this.userProfiles()];
  }

  /** Entries of `mailsmith.profiles` that could not be read, worded for a notification. */
  problems(): string[] {
    const out: string[] = [];
    for (const [i, raw] of this.rawProfiles().entries()) {
      const parsed = profileFromObject(raw, `profile ${i + 1}`);
      if (!parsed.ok) out.push(`mailsmith.profiles[${i}]: ${parsed.errors.join('; ')}`);
    }
    return out;
  }

  get(name: string): SmtpProfile | undefined {
    return this.list().find((p) => p.name === name);
  }

  async save(profile: SmtpProfile, previousName?: string): Promise<void> {
    if (profile.name === BUILT_IN_NAME) throw new Error(`"${BUILT_IN_NAME}" is built in and cannot be changed`);
    const clean = { ...profile } as Record<string, unknown>;
    for (const key of Object.keys(clean)) if (/^pass(word)?$|secret|token/i.test(key) && key !== 'passwordEnv') delete clean[key];
    const others = this.rawProfiles().filter((p) => {
      const name = (p as { name?: unknown })?.name;
      return name !== profile.name && name !== previousName;
    });
    await vscode.workspace.getConfiguration('mailsmith').update('profiles', [...others, clean], vscode.ConfigurationTarget.Global);
    if (previousName && previousName !== profile.name) {
      const secret = await this.getSecret(previousName);
      if (secret.password) await this.context.secrets.store(SECRET_PREFIX + profile.name, secret.password);
      if (secret.accessToken) await this.context.secrets.store(TOKEN_PREFIX + profile.name, secret.accessToken);
      await this.deleteSecrets(previousName);
      if (this.activeName() === previousName) await this.setActive(profile.name);
    }
    this.changed.fire();
  }

  async remove(name: string): Promise<void> {
    if (name === BUILT_IN_NAME) return;
    const others = this.rawProfiles().filter((p) => (p as { name?: unknown })?.name !== name);
    await vscode.workspace.getConfiguration('mailsmith').update('profiles', others, vscode.ConfigurationTarget.Global);
    await this.deleteSecrets(name);
    if (this.activeName() === name) await this.setActive(BUILT_IN_NAME);
    this.changed.fire();
  }

  async getSecret(name: string): Promise<SmtpSecret> {
    const [password, accessToken] = await Promise.all([this.context.secrets.get(SECRET_PREFIX + name), this.context.secrets.get(TOKEN_PREFIX + name)]);
    return { ...(password ? { password } : {}), ...(accessToken ? { accessToken } : {}) };
  }

  /**
   * Where a send with this profile gets its credentials: the secret store, else the environment variable the
   * profile names (the user's own settings: a workspace cannot define profiles).
   */
  secretsFor(profile: SmtpProfile): SecretProvider {
    return {
      get: async () => {
        if (!profile.user) return {};
        const stored = await this.getSecret(profile.name);
        if (stored.password || stored.accessToken) return stored;
        const fromEnv = profile.passwordEnv ? process.env[profile.passwordEnv] : undefined;
        return fromEnv ? secretFor(profile, fromEnv) : {};
      },
    };
  }

  async setPassword(name: string, password: string | undefined): Promise<void> {
    const profile = this.get(name);
    const key = (profile?.auth === 'XOAUTH2' ? TOKEN_PREFIX : SECRET_PREFIX) + name;
    if (password) await this.context.secrets.store(key, password);
    else await this.context.secrets.delete(key);
  }

  async hasPassword(name: string): Promise<boolean> {
    const secret = await this.getSecret(name);
    return Boolean(secret.password || secret.accessToken);
  }

  active(): SmtpProfile {
    return this.get(this.activeName()) ?? BUILT_IN_INBOX_PROFILE;
  }

  async setActive(name: string): Promise<void> {
    await this.context.workspaceState.update(ACTIVE_KEY, name);
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private activeName(): string {
    return this.context.workspaceState.get<string>(ACTIVE_KEY) ?? BUILT_IN_NAME;
  }

  private rawProfiles(): unknown[] {
    const value = vscode.workspace.getConfiguration('mailsmith').get<unknown>('profiles');
    return Array.isArray(value) ? value : [];
  }

  private userProfiles(): SmtpProfile[] {
    const out: SmtpProfile[] = [];
    for (const [i, raw] of this.rawProfiles().entries()) {
      const parsed = profileFromObject(raw, `profile ${i + 1}`);
      if (parsed.ok && parsed.profile.name !== BUILT_IN_NAME) out.push(parsed.profile);
    }
    return out;
  }

  private async deleteSecrets(name: string): Promise<void> {
    await this.context.secrets.delete(SECRET_PREFIX + name);
    await this.context.secrets.delete(TOKEN_PREFIX + name);
  }
}

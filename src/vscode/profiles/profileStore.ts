// Profiles live in the `mailsmith.profiles` setting (no secrets there); passwords and tokens in
// SecretStorage, keyed by profile name; OAuth 2.0 sign-ins (refresh tokens) in SecretStorage too, keyed by
// account (./secretTokenStore.ts); the active profile per workspace in workspaceState.
// The built-in local capture inbox is always first and is the default.
// Profiles are read from the user's own settings only (`inspect().globalValue`): the setting is
// application-scoped, so VS Code ignores a workspace's value anyway, and reading the user value here keeps a
// repository's `.vscode/settings.json` from ever supplying a passwordCommand or tokenCommand that would run.
import * as vscode from 'vscode';
import { BUILT_IN_INBOX_PROFILE } from '../../core/profiles/builtIn';
import { profileFromObject } from '../../core/profiles/fromObject';
import type { SmtpProfile, SmtpSecret } from '../../core/profiles/profile';
import { signInWithBrowser } from '../../core/secrets/oauth/browserFlow';
import { resolveOAuth, type ResolvedOAuth } from '../../core/secrets/oauth/config';
import { signInWithDeviceCode, type DeviceCodePrompt } from '../../core/secrets/oauth/deviceFlow';
import { AccessTokenCache, storeSignIn } from '../../core/secrets/oauth/oauthSecrets';
import { secretFor, SecretUnavailable, type SecretProvider } from '../../core/secrets/provider';
import { secretsForProfile } from '../../core/secrets/select';
import { GRANT_PREFIX, SecretStorageTokenStore } from './secretTokenStore';
import { signInWithVsCodeAccount, vscodeAccountAvailable, vscodeAccountName, vscodeAccountSecrets } from './vscodeAccount';

const ACTIVE_KEY = 'mailsmith.activeProfile';
const SECRET_PREFIX = 'mailsmith.password.';
const TOKEN_PREFIX = 'mailsmith.token.';
const BUILT_IN_NAME = BUILT_IN_INBOX_PROFILE.name;

/** What the settings form shows of a profile's OAuth 2.0 sign-in. */
export interface SignInStatus {
  /** "Microsoft", "Google", or the provider's host. */
  provider: string;
  /** The account signed in; undefined when not signed in. */
  account?: string;
  /** Signed in through VS Code's Microsoft account. */
  viaVsCode?: boolean;
}

/** How the person takes part in a sign-in: the browser to open, or the code to type elsewhere. */
export interface SignInUi {
  /** Opens the authorization URL (vscode.env.openExternal; tests answer it themselves). */
  open(url: string): Promise<void>;
  /** Given: sign in with a code on another device (RFC 8628) instead of the browser. */
  showDeviceCode?(prompt: DeviceCodePrompt): void;
  signal?: AbortSignal;
}

/** How a profile signs in again, for "sign in again" messages. */
export const SIGN_IN_HINT = 'use "Mailsmith: Sign In (OAuth 2.0)" for the profile, or the profile settings\u2019 Sign in button';

export class ProfileStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** OAuth 2.0 sign-ins, in SecretStorage. */
  readonly tokens: SecretStorageTokenStore;
  /** Access tokens, in memory for the extension's lifetime. */
  readonly accessTokens = new AccessTokenCache();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.tokens = new SecretStorageTokenStore(context.secrets);
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mailsmith.profiles')) this.changed.fire();
      }),
      context.secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX) || e.key.startsWith(TOKEN_PREFIX) || e.key.startsWith(GRANT_PREFIX)) this.changed.fire();
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
    // Secret-looking keys never reach settings; the names of commands and variables are not secrets.
    for (const key of Object.keys(clean)) if (/^pass(word)?$|secret|token/i.test(key) && !['passwordEnv', 'tokenCommand'].includes(key)) delete clean[key];
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
   * Where a send with this profile gets its credentials: its credential command, its OAuth 2.0 sign-in, or the
   * secret store, else the environment variable the profile names. Profiles come from the user's own settings
   * only (see rawProfiles), so a command here is one the user wrote.
   */
  secretsFor(profile: SmtpProfile): SecretProvider {
    const password: SecretProvider = {
      get: async () => {
        if (!profile.user) return {};
        const stored = await this.getSecret(profile.name);
        if (stored.password || stored.accessToken) return stored;
        const fromEnv = profile.passwordEnv ? process.env[profile.passwordEnv] : undefined;
        return fromEnv ? secretFor(profile, fromEnv) : {};
      },
    };
    const own = secretsForProfile(profile, {
      command: { env: process.env },
      oauth: { store: this.tokens, env: process.env, cache: this.accessTokens, signInHint: SIGN_IN_HINT },
      password,
    });
    if (this.usesVsCodeAccount(profile)) {
      const resolved = resolveOAuth(profile, process.env, { forgetOnly: true });
      if (!resolved.ok) return { get: async () => Promise.reject(new SecretUnavailable(resolved.reason)) };
      const viaVsCode = vscodeAccountSecrets(profile.name, resolved.config);
      // Where VS Code has no Microsoft account provider, Sign In used Mailsmith's own browser sign-in: so does sending.
      return {
        get: async () => ((await vscodeAccountAvailable(resolved.config)) ? viaVsCode.get() : own.get()),
        refresh: async () => ((await vscodeAccountAvailable(resolved.config)) ? undefined : own.refresh?.()),
      };
    }
    return own;
  }

  /** The profile asks for VS Code's Microsoft account (oauth.vscodeAccount; Microsoft only). */
  private usesVsCodeAccount(profile: SmtpProfile): boolean {
    return profile.oauth?.vscodeAccount === true && profile.oauth.provider === 'microsoft';
  }

  /** Signed in through VS Code's Microsoft account provider, which exists here (sign out in VS Code's Accounts menu). */
  async signedInThroughVsCode(profile: SmtpProfile): Promise<boolean> {
    if (!this.usesVsCodeAccount(profile)) return false;
    const resolved = resolveOAuth(profile, process.env, { forgetOnly: true });
    return resolved.ok && (await vscodeAccountAvailable(resolved.config));
  }

  /** The OAuth 2.0 sign-in of a profile, for display; undefined for a profile without oauth. */
  async signInStatus(profile: SmtpProfile): Promise<SignInStatus | undefined> {
    if (!profile.oauth) return undefined;
    const resolved = resolveOAuth(profile, process.env, { forgetOnly: true });
    if (!resolved.ok) return { provider: profile.oauth.provider ?? 'the provider' };
    const config = resolved.config;
    if (this.usesVsCodeAccount(profile) && (await vscodeAccountAvailable(config))) {
      const account = await vscodeAccountName(config);
      return { provider: config.providerLabel, ...(account ? { account } : {}), viaVsCode: true };
    }
    if (config.refreshTokenFromEnv) return { provider: config.providerLabel, account: `${config.user} ($${config.refreshTokenEnv})` };
    const grant = await this.tokens.load(config.grantKey).catch(() => undefined);
    return { provider: config.providerLabel, ...(grant ? { account: grant.account ?? config.user } : {}) };
  }

  /** The profile's OAuth settings made concrete, or why they cannot be. */
  oauthConfig(profile: SmtpProfile, forgetOnly = false): ResolvedOAuth {
    const resolved = resolveOAuth(profile, process.env, { forgetOnly });
    if (!resolved.ok) throw new SecretUnavailable(resolved.reason);
    return resolved.config;
  }

  /**
   * Signs the profile in and keeps the sign-in (the refresh token) in SecretStorage; with
   * `oauth.vscodeAccount`, through VS Code's Microsoft account where that provider exists. Resolves with the
   * account's name.
   */
  async signIn(profile: SmtpProfile, ui: SignInUi): Promise<string> {
    const config = this.oauthConfig(profile);
    if (this.usesVsCodeAccount(profile) && !ui.showDeviceCode && (await vscodeAccountAvailable(config))) {
      const account = await signInWithVsCodeAccount(config);
      this.changed.fire();
      return account;
    }
    const tokens = ui.showDeviceCode
      ? await signInWithDeviceCode(config, { show: ui.showDeviceCode, signal: ui.signal })
      : await signInWithBrowser(config, { open: ui.open, signal: ui.signal });
    const grant = await storeSignIn(config, tokens, this.tokens, this.accessTokens);
    this.changed.fire();
    return grant.account ?? config.user;
  }

  /** Forgets the profile's sign-in; true when there was one. */
  async signOut(profile: SmtpProfile): Promise<boolean> {
    const config = this.oauthConfig(profile, true);
    this.accessTokens.delete(config.grantKey);
    const had = await this.tokens.forget(config.grantKey);
    this.changed.fire();
    return had;
  }

  async setPassword(name: string, password: string | undefined): Promise<void> {
    const profile = this.get(name);
    const key = (profile?.auth === 'XOAUTH2' || profile?.auth === 'OAUTHBEARER' ? TOKEN_PREFIX : SECRET_PREFIX) + name;
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

  /** The user's own `mailsmith.profiles` (never a workspace's or a folder's: see the top of this file). */
  private rawProfiles(): unknown[] {
    const value = vscode.workspace.getConfiguration('mailsmith').inspect<unknown>('profiles')?.globalValue;
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

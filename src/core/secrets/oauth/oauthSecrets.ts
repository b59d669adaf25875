// The credentials of an OAuth 2.0 profile: an access token, renewed silently with the stored refresh token
// shortly before it expires, and once more when the server refuses it (deliver asks `refresh`). When the
// provider no longer honours the refresh token (RFC 6749 section 5.2: invalid_grant, it was revoked or has
// expired), the sign-in is forgotten and the error says how to sign in again. The refresh token and every
// access token go along as the secret's `related` values, so the redactor hides them wherever they appear.
import type { SmtpProfile, SmtpSecret } from '../../profiles/profile';
import { SecretUnavailable, type SecretProvider } from '../provider';
import type { StoredGrant, TokenStore } from '../tokenStore';
import { resolveOAuth, type ResolvedOAuth } from './config';
import { accountFromIdToken, OAuthError, refreshAccessToken, type HttpOptions, type TokenSet } from './tokenEndpoint';

/** An access token with the refresh token it came from (kept only to be redacted too). */
export interface CachedToken extends TokenSet {
  refreshTokenUsed?: string;
}

/** Access tokens in memory only, per sign-in: the extension keeps one cache for its lifetime, the CLI one per run. */
export class AccessTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  /** Renewals under way, so that two sends at once do not spend a rotating refresh token twice. */
  readonly pending = new Map<string, Promise<CachedToken>>();

  get(key: string): CachedToken | undefined {
    return this.tokens.get(key);
  }
  set(key: string, tokens: CachedToken): void {
    this.tokens.set(key, tokens);
  }
  delete(key: string): void {
    this.tokens.delete(key);
  }
}

export interface OAuthSecretOptions extends HttpOptions {
  store: TokenStore;
  env: Record<string, string | undefined>;
  cache?: AccessTokenCache;
  /** How this face signs in again, ending the "sign in again" sentence: "run: mailsmith login --profile-file work.yaml". */
  signInHint: string;
}

/**
 * Renew this long before the provider's expiry: a minute, or a tenth of a short lifetime, so that a token
 * does not run out between the check and the AUTH command.
 */
export function renewalMargin(tokens: Pick<TokenSet, 'expiresAt' | 'obtainedAt'>): number {
  return Math.min(60_000, Math.max(0, tokens.expiresAt - tokens.obtainedAt) / 10);
}

export function oauthSecrets(profile: SmtpProfile, options: OAuthSecretOptions): SecretProvider {
  const cache = options.cache ?? new AccessTokenCache();
  const now = options.now ?? Date.now;
  let lastToken: string | undefined;

  const config = (): ResolvedOAuth => {
    const resolved = resolveOAuth(profile, options.env);
    if (!resolved.ok) throw new SecretUnavailable(resolved.reason);
    return resolved.config;
  };

  const secretOf = (c: ResolvedOAuth, tokens: CachedToken): SmtpSecret => {
    const related = [tokens.refreshTokenUsed, tokens.refreshToken, lastToken !== tokens.accessToken ? lastToken : undefined, c.clientSecret].filter((v): v is string => Boolean(v));
    lastToken = tokens.accessToken;
    return { accessToken: tokens.accessToken, related };
  };

  async function renew(c: ResolvedOAuth): Promise<{ tokens: TokenSet; refreshToken: string }> {
    const fromEnv = c.refreshTokenFromEnv;
    let grant: StoredGrant | undefined;
    if (!fromEnv) {
      try {
        grant = await options.store.load(c.grantKey);
      } catch (err) {
        throw new SecretUnavailable(`the sign-in of the profile "${profile.name}" cannot be read: ${(err as Error).message}`);
      }
    }
    const refreshToken = fromEnv ?? grant?.refreshToken;
    if (!refreshToken) {
      const env = c.refreshTokenEnv ? ` (and $${c.refreshTokenEnv} is not set)` : '';
      throw new SecretUnavailable(`the profile "${profile.name}" is not signed in to ${c.providerLabel}${env}: sign in first; ${options.signInHint}`);
    }
    let tokens: TokenSet;
    try {
      tokens = await refreshAccessToken(c, refreshToken, options);
    } catch (err) {
      if (err instanceof OAuthError && err.error === 'invalid_grant') {
        // The provider will never take this refresh token again: forget it, so the faces show "not signed in".
        if (!fromEnv) await options.store.forget(c.grantKey).catch(() => false);
        const where = fromEnv ? ` (the refresh token in $${c.refreshTokenEnv} expired or was revoked)` : ' (the sign-in expired or was revoked)';
        throw new SecretUnavailable(`${c.providerLabel} no longer accepts the sign-in of the profile "${profile.name}"${where}: sign in again; ${options.signInHint}`);
      }
      throw new SecretUnavailable(`could not renew the access token of the profile "${profile.name}": ${(err as Error).message}`);
    }
    // Providers that rotate refresh tokens (RFC 6749 section 10.4) send a new one: keep it, or the next
    // renewal would present a spent one.
    if (tokens.refreshToken && tokens.refreshToken !== refreshToken && !fromEnv && grant) {
      await options.store.save(c.grantKey, { ...grant, refreshToken: tokens.refreshToken, savedAt: new Date(now()).toISOString() });
    }
    return { tokens, refreshToken };
  }

  /** One renewal at a time per sign-in, shared by everyone who asks meanwhile. */
  async function renewShared(c: ResolvedOAuth): Promise<SmtpSecret> {
    let pending = cache.pending.get(c.grantKey);
    if (!pending) {
      pending = renew(c).then(({ tokens, refreshToken }) => {
        const cached: CachedToken = { ...tokens, refreshTokenUsed: refreshToken };
        cache.set(c.grantKey, cached);
        return cached;
      });
      cache.pending.set(c.grantKey, pending);
      void pending.finally(() => cache.pending.delete(c.grantKey)).catch(() => undefined);
    }
    return secretOf(c, await pending);
  }

  return {
    async get() {
      if (!profile.user) return {};
      const c = config();
      const cached = cache.get(c.grantKey);
      if (cached && now() < cached.expiresAt - renewalMargin(cached)) return secretOf(c, cached);
      return renewShared(c);
    },
    async refresh() {
      const c = config();
      // The server refused a token we thought good (revoked early, or the clocks disagree): renew now.
      cache.delete(c.grantKey);
      return renewShared(c);
    },
  };
}

/** What a completed sign-in (browser or device code) leaves: the stored grant, and the first access token in the cache. */
export async function storeSignIn(config: ResolvedOAuth, tokens: TokenSet, store: TokenStore, cache: AccessTokenCache | undefined, now: () => number = Date.now): Promise<StoredGrant> {
  if (!tokens.refreshToken) {
    throw new OAuthError(
      `${config.providerLabel} signed you in but gave no refresh token, so Mailsmith could not renew the access token by itself: ask for offline access (Microsoft: the offline_access scope)`,
    );
  }
  const grant: StoredGrant = {
    refreshToken: tokens.refreshToken,
    account: accountFromIdToken(tokens.idToken) ?? config.user,
    provider: config.providerLabel,
    ...(tokens.scope ? { scope: tokens.scope } : {}),
    savedAt: new Date(now()).toISOString(),
  };
  await store.save(config.grantKey, grant);
  cache?.set(config.grantKey, { ...tokens, refreshTokenUsed: tokens.refreshToken });
  return grant;
}

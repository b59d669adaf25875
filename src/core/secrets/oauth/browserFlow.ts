// Signing in with the browser: the authorization code grant (RFC 6749 section 4.1) as a native app does it
// (RFC 8252): PKCE (RFC 7636), a `state`, the system browser, and a loopback redirect to this process.
import type { ResolvedOAuth } from './config';
import { listenForRedirect } from './loopback';
import { createPkce, randomState } from './pkce';
import { exchangeCode, OAuthError, type HttpOptions, type TokenSet } from './tokenEndpoint';

export interface BrowserSignInOptions extends HttpOptions {
  /** Opens the authorization URL in a browser (the system's, or VS Code's openExternal). */
  open(url: string): Promise<void>;
  /** How long to wait for the browser (default 5 minutes). */
  waitMs?: number;
}

/** The authorization request URL (RFC 6749 section 4.1.1, RFC 7636 section 4.3). */
export function authorizationUrl(config: ResolvedOAuth, redirectUri: string, state: string, challenge: string): string {
  if (!config.authorizeUrl) throw new OAuthError(`no authorization endpoint is known for ${config.providerLabel} (oauth.authorizeUrl)`);
  const url = new URL(config.authorizeUrl);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: config.scopes,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    // Pre-selects the mailbox's account at Microsoft and Google (OpenID Connect Core section 3.1.2.1).
    ...(config.user ? { login_hint: config.user } : {}),
    ...config.authorizeParams,
  };
  for (const [key, value] of Object.entries(params)) if (value) url.searchParams.set(key, value);
  return url.toString();
}

export async function signInWithBrowser(config: ResolvedOAuth, options: BrowserSignInOptions): Promise<TokenSet> {
  const pkce = createPkce();
  const state = randomState();
  const redirect = await listenForRedirect({ state, host: config.redirectHost, providerLabel: config.providerLabel, signal: options.signal, timeoutMs: options.waitMs });
  try {
    const url = authorizationUrl(config, redirect.redirectUri, state, pkce.challenge);
    await options.open(url);
    const code = await redirect.code;
    return await exchangeCode(config, code, pkce.verifier, redirect.redirectUri, options);
  } finally {
    await redirect.close();
  }
}

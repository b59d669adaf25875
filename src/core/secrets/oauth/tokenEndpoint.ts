// The token endpoint (RFC 6749 section 3.2): redeeming an authorization code (section 4.1.3, with the PKCE
// verifier of RFC 7636 section 4.5), renewing with a refresh token (section 6), and the device code grant
// (RFC 8628 section 3.4). Requests are form-encoded POSTs; the client authenticates with its client_id (and
// client_secret in the body, section 2.3.1, for providers that issue one). Nothing of a request or of a
// response body ever goes into an error: only the error code and the provider's description (RFC 6749
// section 5.2), made safe for display.
import { scrubSecrets, secretNeedles } from '../../send/redact';
import { sanitizeForDisplay } from '../../send/sanitize';
import type { ResolvedOAuth } from './config';

export interface TokenSet {
  accessToken: string;
  /** When the access token stops working, by the provider's `expires_in` (ms since the epoch). */
  expiresAt: number;
  /** When it was obtained (ms since the epoch). */
  obtainedAt: number;
  /** A new refresh token, when the provider sends one (on sign-in; on renewal when it rotates them). */
  refreshToken?: string;
  scope?: string;
  /** An OpenID Connect ID token, when the scopes asked for one: only read for the account's name. */
  idToken?: string;
}

/** The provider said no (its `error` code, e.g. invalid_grant), or could not be reached. */
export class OAuthError extends Error {
  constructor(
    message: string,
    /** RFC 6749 section 5.2 / RFC 8628 section 3.5 error code, when the provider gave one. */
    readonly error?: string,
  ) {
    super(message);
  }
}

export interface HttpOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  now?: () => number;
}

/** Without expires_in (it is only RECOMMENDED, section 5.1) the token is assumed to last an hour. */
const DEFAULT_LIFETIME_S = 3600;

/** A form POST whose answer is JSON; transport failures and non-JSON answers become OAuthErrors. */
export async function postForm(url: string, params: Record<string, string>, what: string, options: HttpOptions = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const doFetch = options.fetch ?? fetch;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const host = hostOf(url);
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
      signal,
      // A token endpoint that redirects is misconfigured; following could post the credentials elsewhere.
      redirect: 'error',
    });
  } catch (err) {
    if (options.signal?.aborted) throw new OAuthError('cancelled');
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = timeout.aborted ? 'no answer in time' : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new OAuthError(`could not reach the ${what} at ${host} (${sanitizeForDisplay(String(why))})`);
  }
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OAuthError(`the ${what} at ${host} answered HTTP ${response.status} with something other than JSON`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new OAuthError(`the ${what} at ${host} answered HTTP ${response.status} with unexpected JSON`);
  return { status: response.status, body: body as Record<string, unknown> };
}

/**
 * An error response's code and description, safe to show (RFC 6749 section 5.2). `sent`: the secrets of the
 * request (a refresh token, a code, a client secret), removed should the provider echo one back.
 */
export function providerError(body: Record<string, unknown>, what: string, host: string, status: number, sent: readonly string[] = []): OAuthError {
  const needles = sent.length ? secretNeedles(undefined, { related: sent.filter((v) => v.length >= 4) }) : [];
  const safe = (value: string) => scrubSecrets(sanitizeForDisplay(value), needles);
  const code = typeof body.error === 'string' ? safe(body.error).slice(0, 80) : undefined;
  const rawDescription = typeof body.error_description === 'string' ? safe(body.error_description) : '';
  const description = rawDescription.length > 300 ? `${rawDescription.slice(0, 300)}...` : rawDescription;
  return new OAuthError(`the ${what} at ${host} refused${code ? `: ${code}` : ` (HTTP ${status})`}${description ? ` (${description})` : ''}`, code);
}

export async function tokenRequest(config: Pick<ResolvedOAuth, 'tokenUrl' | 'clientId' | 'clientSecret'>, grant: Record<string, string>, options: HttpOptions = {}): Promise<TokenSet> {
  const params: Record<string, string> = { ...grant, client_id: config.clientId, ...(config.clientSecret ? { client_secret: config.clientSecret } : {}) };
  const what = 'token endpoint';
  const host = hostOf(config.tokenUrl);
  const { status, body } = await postForm(config.tokenUrl, params, what, options);
  if (status !== 200 || typeof body.error === 'string') {
    const sent = [grant.refresh_token, grant.code, grant.code_verifier, grant.device_code, config.clientSecret].filter((v): v is string => Boolean(v));
    throw providerError(body, what, host, status, sent);
  }
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || !accessToken) throw new OAuthError(`the ${what} at ${host} answered without an access token`);
  // RFC 6749 section 7.1: the token type must be understood; SMTP's mechanisms carry Bearer tokens (RFC 6750).
  if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') throw new OAuthError(`the ${what} at ${host} issued a "${sanitizeForDisplay(body.token_type)}" token; SMTP needs a Bearer token`);
  const now = (options.now ?? Date.now)();
  const lifetime = Number(body.expires_in);
  return {
    accessToken,
    obtainedAt: now,
    expiresAt: now + (Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_S) * 1000,
    ...(typeof body.refresh_token === 'string' && body.refresh_token ? { refreshToken: body.refresh_token } : {}),
    ...(typeof body.scope === 'string' ? { scope: body.scope } : {}),
    ...(typeof body.id_token === 'string' ? { idToken: body.id_token } : {}),
  };
}

/** Redeems an authorization code (RFC 6749 section 4.1.3) with its PKCE verifier (RFC 7636 section 4.5). */
export function exchangeCode(config: ResolvedOAuth, code: string, verifier: string, redirectUri: string, options: HttpOptions = {}): Promise<TokenSet> {
  return tokenRequest(config, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, options);
}

/** A new access token for a refresh token (RFC 6749 section 6); the scope is left as granted. */
export function refreshAccessToken(config: ResolvedOAuth, refreshToken: string, options: HttpOptions = {}): Promise<TokenSet> {
  return tokenRequest(config, { grant_type: 'refresh_token', refresh_token: refreshToken }, options);
}

/**
 * The signed-in account's name from an OpenID Connect ID token, for display only (its signature is not
 * checked: nothing is decided by it).
 */
export function accountFromIdToken(idToken: string | undefined): string | undefined {
  if (!idToken) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const name = [claims.email, claims.preferred_username, claims.upn].find((v) => typeof v === 'string' && v);
    return typeof name === 'string' ? sanitizeForDisplay(name).slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}

// A profile's OAuth settings made concrete: the preset's endpoints and scopes filled in, the client secret read
// from the environment, and the key under which its sign-in (the refresh token) is stored.
import { createHash } from 'node:crypto';
import { expandProfileEnv } from '../../profiles/envExpand';
import type { SmtpProfile } from '../../profiles/profile';
import { OAUTH_PRESETS } from './presets';

export interface ResolvedOAuth {
  provider: 'microsoft' | 'google' | 'custom';
  /** "Microsoft", "Google", or the token endpoint's host: for "Sign in with ...". */
  providerLabel: string;
  clientId: string;
  clientSecret?: string;
  authorizeUrl?: string;
  tokenUrl: string;
  deviceUrl?: string;
  scopes: string;
  redirectHost: '127.0.0.1' | 'localhost';
  authorizeParams: Record<string, string>;
  /** The mailbox (the profile's user): the login hint, and the XOAUTH2/OAUTHBEARER user. */
  user: string;
  tenant?: string;
  /** A refresh token from the environment (oauth.refreshTokenEnv), used instead of a stored sign-in. */
  refreshTokenFromEnv?: string;
  refreshTokenEnv?: string;
  /** Where the sign-in is stored: the same account at the same client and endpoint shares it. */
  grantKey: string;
  /** What the provider asks of the user to set up (presets only). */
  clientNote?: string;
}

export type OAuthResolution = { ok: true; config: ResolvedOAuth } | { ok: false; reason: string };

/** `forgetOnly`: for signing out, which needs the key but not the client secret. */
export function resolveOAuth(rawProfile: SmtpProfile, env: Record<string, string | undefined>, options: { forgetOnly?: boolean } = {}): OAuthResolution {
  // `${env:NAME}` in the user or the client ID, as anywhere in a profile.
  const { profile, missing } = expandProfileEnv(rawProfile, env);
  if (missing.length) return { ok: false, reason: `the profile "${rawProfile.name}" uses environment variables that are not set: ${missing.join(', ')}` };
  const o = profile.oauth;
  if (!o) return { ok: false, reason: `the profile "${profile.name}" has no oauth settings` };
  const provider = o.provider ?? 'custom';
  const preset = provider === 'custom' ? undefined : OAUTH_PRESETS[provider];
  const tenant = preset?.defaultTenant ? o.tenant?.trim() || preset.defaultTenant : undefined;
  const tokenUrl = o.tokenUrl?.trim() || preset?.tokenUrl(tenant ?? '');
  if (!tokenUrl) return { ok: false, reason: `the profile "${profile.name}" names no token endpoint (oauth.tokenUrl)` };
  const clientId = o.clientId?.trim() ?? '';
  // VS Code's Microsoft account provider has a client of its own (used when none is named).
  if (!clientId && !o.vscodeAccount) return { ok: false, reason: `the profile "${profile.name}" names no OAuth client (oauth.clientId)${preset ? `: ${preset.clientNote}` : ''}` };
  let clientSecret: string | undefined;
  if (o.clientSecretEnv && !options.forgetOnly) {
    clientSecret = env[o.clientSecretEnv];
    if (!clientSecret) return { ok: false, reason: `the profile "${profile.name}" reads its OAuth client secret from $${o.clientSecretEnv}, which is not set` };
  }
  const user = profile.user ?? '';
  const refreshTokenFromEnv = o.refreshTokenEnv ? env[o.refreshTokenEnv] || undefined : undefined;
  return {
    ok: true,
    config: {
      provider,
      providerLabel: preset?.label ?? hostOf(o.authorizeUrl ?? tokenUrl),
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      ...(o.authorizeUrl?.trim() || preset ? { authorizeUrl: o.authorizeUrl?.trim() || preset!.authorizeUrl(tenant ?? '') } : {}),
      tokenUrl,
      ...(o.deviceUrl?.trim() || preset ? { deviceUrl: o.deviceUrl?.trim() || preset!.deviceUrl(tenant ?? '') } : {}),
      scopes: normaliseScopes(o.scopes) || preset?.scopes || '',
      redirectHost: preset?.redirectHost ?? '127.0.0.1',
      authorizeParams: preset?.authorizeParams ?? {},
      user,
      ...(tenant ? { tenant } : {}),
      ...(refreshTokenFromEnv ? { refreshTokenFromEnv } : {}),
      ...(o.refreshTokenEnv ? { refreshTokenEnv: o.refreshTokenEnv } : {}),
      grantKey: grantKey(tokenUrl, clientId, user),
      ...(preset ? { clientNote: preset.clientNote } : {}),
    },
  };
}

/** A file-name-safe key for one account at one client and token endpoint. */
export function grantKey(tokenUrl: string, clientId: string, user: string): string {
  return createHash('sha256').update(`${tokenUrl}\n${clientId}\n${user.toLowerCase()}`).digest('hex').slice(0, 32);
}

function normaliseScopes(scopes: string | undefined): string {
  return (scopes ?? '').split(/\s+/).filter(Boolean).join(' ');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}

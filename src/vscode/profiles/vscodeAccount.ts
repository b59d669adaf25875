// Signing in through VS Code's own Microsoft account provider (vscode.authentication) for a profile with
// `oauth.vscodeAccount: true`: VS Code keeps the refresh token and renews the access token; Mailsmith only asks
// for a session with the profile's scopes, client ID and tenant (the provider's VSCODE_CLIENT_ID: and
// VSCODE_TENANT: scopes). Where the provider is missing (some VS Code builds and servers) the browser sign-in
// of Mailsmith's own is used instead.
import * as vscode from 'vscode';
import type { ResolvedOAuth } from '../../core/secrets/oauth/config';
import { SecretUnavailable, type SecretProvider } from '../../core/secrets/provider';

const PROVIDER_ID = 'microsoft';

export function vscodeAccountScopes(config: ResolvedOAuth, useClientId: boolean): string[] {
  return [
    ...config.scopes.split(' ').filter(Boolean),
    ...(useClientId && config.clientId ? [`VSCODE_CLIENT_ID:${config.clientId}`] : []),
    ...(config.tenant ? [`VSCODE_TENANT:${config.tenant}`] : []),
  ];
}

/** Whether VS Code has a Microsoft account provider here: asking silently throws when none is registered. */
export async function vscodeAccountAvailable(config: ResolvedOAuth): Promise<boolean> {
  try {
    await vscode.authentication.getSession(PROVIDER_ID, vscodeAccountScopes(config, true), { silent: true });
    return true;
  } catch {
    return false;
  }
}

/** Interactive: VS Code shows its own sign-in. Resolves with the account's name. */
export async function signInWithVsCodeAccount(config: ResolvedOAuth): Promise<string> {
  const session = await vscode.authentication.getSession(PROVIDER_ID, vscodeAccountScopes(config, true), { createIfNone: true });
  return session.account.label;
}

export async function vscodeAccountName(config: ResolvedOAuth): Promise<string | undefined> {
  try {
    return (await vscode.authentication.getSession(PROVIDER_ID, vscodeAccountScopes(config, true), { silent: true }))?.account.label;
  } catch {
    return undefined;
  }
}

export function vscodeAccountSecrets(profileName: string, config: ResolvedOAuth): SecretProvider {
  return {
    async get() {
      let session: vscode.AuthenticationSession | undefined;
      try {
        session = await vscode.authentication.getSession(PROVIDER_ID, vscodeAccountScopes(config, true), { silent: true });
      } catch (err) {
        throw new SecretUnavailable(`VS Code's Microsoft account provider is not available here (${(err as Error).message}): turn off oauth.vscodeAccount for the profile "${profileName}" to sign in in the browser`);
      }
      if (!session) throw new SecretUnavailable(`the profile "${profileName}" is not signed in to Microsoft: sign in first; use "Mailsmith: Sign In (OAuth 2.0)"`);
      // VS Code renews the token inside getSession; a refused one gets no second chance from here.
      return { accessToken: session.accessToken };
    },
  };
}

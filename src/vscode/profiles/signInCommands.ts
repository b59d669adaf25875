// Sign In / Sign In with a Code / Sign Out for OAuth 2.0 profiles. Sign In opens the provider's page in the
// browser (vscode.env.openExternal) and waits, cancellably, for its redirect to a loopback listener of the
// extension host (RFC 8252); that works wherever the browser runs on the same machine as the extension host.
// Elsewhere (a remote server), Sign In with a Code (RFC 8628) works from any device.
import * as vscode from 'vscode';
import type { SmtpProfile } from '../../core/profiles/profile';
import { OAuthError } from '../../core/secrets/oauth/tokenEndpoint';
import { SecretUnavailable } from '../../core/secrets/provider';
import type { Services } from '../services';

export interface SignInCommandResult {
  ok: boolean;
  account?: string;
  message: string;
}

/**
 * Honoured only when the extension runs its own tests (ExtensionMode.Test): the test plays the browser, since
 * vscode.env.openExternal would open one outside its reach. Everything else is the real command.
 */
export interface SignInTestOptions {
  openExternal?: (url: string) => Promise<boolean>;
}

export function registerSignInCommands(services: Services): vscode.Disposable[] {
  const testOptions = (value: unknown): SignInTestOptions => (services.testMode && value && typeof value === 'object' ? (value as SignInTestOptions) : {});
  return [
    vscode.commands.registerCommand('mailsmith.signIn', (name?: unknown, test?: unknown) => signIn(services, name, false, testOptions(test))),
    vscode.commands.registerCommand('mailsmith.signInWithCode', (name?: unknown) => signIn(services, name, true, {})),
    vscode.commands.registerCommand('mailsmith.signOut', async (name?: unknown): Promise<SignInCommandResult> => {
      const profile = await pickOAuthProfile(services, name, 'Sign out of which profile?');
      if (!profile) return { ok: false, message: 'No profile was chosen.' };
      if (await services.profiles.signedInThroughVsCode(profile)) {
        const message = `"${profile.name}" uses VS Code's Microsoft account: sign out of it in the Accounts menu.`;
        void vscode.window.showInformationMessage(message);
        return { ok: false, message };
      }
      const had = await services.profiles.signOut(profile);
      const message = had ? `Signed out: the sign-in of "${profile.name}" is forgotten.` : `"${profile.name}" was not signed in.`;
      services.log.info(message);
      void vscode.window.showInformationMessage(message);
      return { ok: true, message };
    }),
  ];
}

async function signIn(services: Services, name: unknown, withCode: boolean, test: SignInTestOptions): Promise<SignInCommandResult> {
  const openExternal = test.openExternal ?? ((url: string) => vscode.env.openExternal(vscode.Uri.parse(url, true)));
  const profile = await pickOAuthProfile(services, name, 'Sign in which profile?');
  if (!profile) return { ok: false, message: 'No profile was chosen.' };
  let provider = 'the provider';
  try {
    provider = services.profiles.oauthConfig(profile).providerLabel;
    const account = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Signing "${profile.name}" in to ${provider}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return services.profiles.signIn(profile, {
          signal: controller.signal,
          open: async (url) => {
            progress.report({ message: 'finish in the browser that opened' });
            // Uri.parse(url, true): the URL is already encoded; parsing must not encode it again.
            if (!(await openExternal(url))) throw new OAuthError('the browser could not be opened: try Sign In with a Code');
          },
          ...(withCode
            ? {
                showDeviceCode: (prompt) => {
                  progress.report({ message: `enter the code ${prompt.userCode} at ${prompt.verificationUri}` });
                  void vscode.window.showInformationMessage(`To sign "${profile.name}" in, open ${prompt.verificationUri} on any device and enter the code ${prompt.userCode}.`, 'Copy Code and Open').then(async (choice) => {
                    if (!choice) return;
                    await vscode.env.clipboard.writeText(prompt.userCode);
                    await vscode.env.openExternal(vscode.Uri.parse(prompt.verificationUri, true));
                  });
                },
              }
            : {}),
        });
      },
    );
    const message = `Signed in to ${provider} as ${account}: "${profile.name}" renews its access token by itself from now on.`;
    services.log.info(message);
    void vscode.window.showInformationMessage(message);
    return { ok: true, account, message };
  } catch (err) {
    const known = err instanceof OAuthError || err instanceof SecretUnavailable;
    const message = known && (err as Error).message === 'cancelled' ? 'Sign-in cancelled.' : `Not signed in to ${provider}: ${known ? (err as Error).message : String(err)}`;
    services.log.warn(message);
    void vscode.window.showErrorMessage(message, 'Show Log').then((c) => c && services.log.show());
    return { ok: false, message };
  }
}

async function pickOAuthProfile(services: Services, name: unknown, title: string): Promise<SmtpProfile | undefined> {
  const candidates = services.profiles.list().filter((p) => p.oauth);
  if (typeof name === 'string') return candidates.find((p) => p.name === name);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('No profile signs in with OAuth 2.0 yet: choose an OAuth provider for one in Mailsmith: Open Profile Settings.');
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((p) => ({ label: p.name, description: `${p.user ?? ''} · ${p.oauth?.provider ?? 'custom'}` })),
    { title },
  );
  return candidates.find((p) => p.name === picked?.label);
}

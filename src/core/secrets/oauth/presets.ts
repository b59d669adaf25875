// The providers most users sign in with, so that a profile needs only `provider` and `clientId`. Both require
// an OAuth client of the user's own (or their organisation's): Mailsmith ships none, since a client ID
// embedded in an open-source tool is anyone's to abuse, and Google and Microsoft may block it for everyone.
import type { OAuthProviderId } from '../../profiles/profile';

export interface OAuthProviderPreset {
  id: Exclude<OAuthProviderId, 'custom'>;
  /** "Sign in with <label>". */
  label: string;
  authorizeUrl(tenant: string): string;
  tokenUrl(tenant: string): string;
  /** RFC 8628 device authorization endpoint. */
  deviceUrl(tenant: string): string;
  scopes: string;
  defaultTenant?: string;
  /**
   * The host of the loopback redirect URI (RFC 8252 section 7.3). Google takes 127.0.0.1 with any port.
   * Microsoft's app registrations take `http://localhost` (any port at run time); the listener then also
   * answers on ::1, where a browser may send `localhost`.
   */
  redirectHost: '127.0.0.1' | 'localhost';
  /** Extra authorization request parameters the provider needs to hand out a refresh token. */
  authorizeParams: Record<string, string>;
  /** What the user must set up with the provider: shown by the settings form, `mailsmith login` and the README. */
  clientNote: string;
  /** Whether its device flow allows the mail scope. */
  deviceFlowForMail: boolean;
}

export const OAUTH_PRESETS: Record<OAuthProviderPreset['id'], OAuthProviderPreset> = {
  microsoft: {
    id: 'microsoft',
    label: 'Microsoft',
    authorizeUrl: (tenant) => `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`,
    tokenUrl: (tenant) => `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
    deviceUrl: (tenant) => `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/devicecode`,
    // offline_access: the refresh token. SMTP.Send: AUTH XOAUTH2 for Outlook.com and Exchange Online.
    scopes: 'https://outlook.office.com/SMTP.Send offline_access',
    defaultTenant: 'common',
    redirectHost: 'localhost',
    authorizeParams: {},
    clientNote:
      'Microsoft needs an app registration of your own (Microsoft Entra admin center > App registrations > New registration): supported account types to match your accounts (personal, work, or both), a "Mobile and desktop applications" redirect URI http://localhost, "Allow public client flows" on for the device code, and the delegated API permission Office 365 Exchange Online > SMTP.Send. Its Application (client) ID goes in oauth.clientId. Work accounts also need SMTP AUTH allowed for the mailbox by an administrator.',
    deviceFlowForMail: true,
  },
  google: {
    id: 'google',
    label: 'Google',
    authorizeUrl: () => 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: () => 'https://oauth2.googleapis.com/token',
    deviceUrl: () => 'https://oauth2.googleapis.com/device/code',
    scopes: 'https://mail.google.com/',
    redirectHost: '127.0.0.1',
    // Google hands out a refresh token only for offline access, and again only when consent is asked.
    authorizeParams: { access_type: 'offline', prompt: 'consent' },
    clientNote:
      'Google needs an OAuth client of your own (Google Cloud console > APIs & Services > Credentials > Create credentials > OAuth client ID, application type "Desktop app"), with the Gmail API scope https://mail.google.com/ on its consent screen (while the app is in "Testing", add yourself as a test user). Its client ID goes in oauth.clientId; Google gives desktop clients a client secret that is not really secret: put it in an environment variable and name it in oauth.clientSecretEnv. Google\u2019s device flow does not allow the Gmail scope: sign in with the browser.',
    deviceFlowForMail: false,
  },
};

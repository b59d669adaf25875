// Replies big providers give to a sign-in that they will not take, and what the person should do about each.
// One table, read by the send outcome (./classify.ts) and therefore by the doctor too. A reply is recognised
// by its code and enhanced status code (RFC 3463), sometimes with its wording; multi-line replies
// (`535-5.7.8 ...\n535 5.7.8 ...`) match on their first line.

export interface ReplyContext {
  /** The credential was an OAuth 2.0 access token (XOAUTH2, OAUTHBEARER), not a password. */
  token: boolean;
}

export interface KnownReply {
  id: string;
  /** Who sends it, for the wording. */
  provider: string;
  /** Tested against the whole reply text. */
  pattern: RegExp;
  advice(context: ReplyContext): string;
}

const MICROSOFT_OAUTH = 'sign in with OAuth 2.0 instead (auth: XOAUTH2 with oauth.provider: microsoft; see "Sign-in" in the README)';
const GOOGLE_OAUTH = 'OAuth 2.0 (auth: XOAUTH2 with oauth.provider: google)';

export const KNOWN_REPLIES: readonly KnownReply[] = [
  {
    id: 'microsoft-smtp-auth-disabled',
    provider: 'Microsoft',
    pattern: /^535[ -]5\.7\.139\b.*SmtpClientAuthentication is disabled/is,
    advice: () =>
      'Microsoft has SMTP AUTH turned off for this mailbox or its whole tenant: an administrator must turn on "Authenticated SMTP" for the mailbox (Microsoft 365 admin center > Users > the user > Mail > Manage email apps); then sign in with OAuth 2.0 (auth: XOAUTH2 with oauth.provider: microsoft)',
  },
  {
    id: 'microsoft-basic-auth-disabled',
    provider: 'Microsoft',
    pattern: /^535[ -]5\.7\.139\b/,
    advice: ({ token }) =>
      token
        ? 'Microsoft refused the sign-in for this account (SMTP AUTH may be disabled for the mailbox or the tenant, or security defaults block it): an administrator must allow "Authenticated SMTP" for the mailbox'
        : 'Microsoft no longer accepts a password or an app password for SMTP here (Outlook.com ended basic authentication in September 2024; Microsoft 365 tenants can turn it off): ' + MICROSOFT_OAUTH,
  },
  {
    id: 'microsoft-basic-auth-not-supported',
    provider: 'Microsoft',
    pattern: /^550[ -]5\.7\.30\b/,
    advice: () => 'Microsoft 365 has basic authentication (a password) turned off for SMTP client submission (the default from the end of December 2026): ' + MICROSOFT_OAUTH,
  },
  {
    id: 'microsoft-auth-unsuccessful',
    provider: 'Microsoft',
    pattern: /^535[ -]5\.7\.3\b/,
    advice: ({ token }) =>
      token
        ? 'Microsoft refused the access token: it may have expired or been revoked, or lack the SMTP.Send permission; sign in again'
        : 'Microsoft refused the user name or password; personal Microsoft accounts no longer accept passwords for SMTP at all: ' + MICROSOFT_OAUTH,
  },
  {
    id: 'google-bad-credentials',
    provider: 'Google',
    pattern: /^535[ -]5\.7\.8\b/,
    advice: ({ token }) =>
      token
        ? 'Gmail refused the access token: it expired or was revoked, or it lacks the scope https://mail.google.com/; sign in again'
        : `Gmail does not take your Google account password here: use an app password (it needs 2-Step Verification; myaccount.google.com/apppasswords) or ${GOOGLE_OAUTH}`,
  },
  {
    id: 'google-app-password-required',
    provider: 'Google',
    pattern: /^534[ -]5\.7\.9\b/,
    advice: () => `Gmail wants an application-specific password (the account has 2-Step Verification): create an app password at myaccount.google.com/apppasswords and store it as the password, or use ${GOOGLE_OAUTH}`,
  },
  {
    id: 'google-web-login-required',
    provider: 'Google',
    pattern: /^534[ -]5\.7\.14\b/,
    advice: () => `Google blocked the sign-in as unusual: sign in to Gmail in a browser from this network first, or use ${GOOGLE_OAUTH}`,
  },
  {
    id: 'too-many-logins',
    provider: 'the server',
    pattern: /^454[ -]4\.7\.0\b/,
    advice: () => 'The server saw too many sign-ins in a short time and refuses more for now: wait several minutes before trying again (each new attempt can extend the wait)',
  },
];

/** The advice for a reply the table knows, or undefined. */
export function adviceForReply(reply: string | undefined, context: ReplyContext): { id: string; advice: string } | undefined {
  if (!reply) return undefined;
  const text = reply.trim();
  const known = KNOWN_REPLIES.find((k) => k.pattern.test(text));
  return known ? { id: known.id, advice: known.advice(context) } : undefined;
}

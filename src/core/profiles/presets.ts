// Provider presets: the host, port and security mode each provider documents, and the one thing users
// trip over with it (an app password, an authorisation code). Data only.
import type { ProfileKind, SecurityMode } from './profile';

export interface ProviderPreset {
  id: string;
  label: string;
  host: string;
  port: number;
  security: SecurityMode;
  /** The local capture inbox preset makes a capture-inbox profile (Mailsmith runs the server). */
  kind?: ProfileKind;
  /** A user name the provider fixes (SendGrid's literal "apikey"). */
  user?: string;
  note: string;
  docsUrl?: string;
}

export const LOCAL_INBOX_PROFILE_NAME = 'Local capture inbox';
/** The port the local capture inbox prefers; any free port is taken when it is busy. */
export const LOCAL_INBOX_DEFAULT_PORT = 2525;

export const PRESETS: readonly ProviderPreset[] = [
  {
    id: 'local-inbox',
    label: LOCAL_INBOX_PROFILE_NAME,
    host: '127.0.0.1',
    port: LOCAL_INBOX_DEFAULT_PORT,
    // As the built-in inbox: it always offers STARTTLS on its own certificate.
    security: 'starttls',
    kind: 'capture-inbox',
    note: 'A capture server on this machine: messages are stored as .eml files and nothing leaves the machine. No password.',
  },
  {
    id: 'gmail',
    label: 'Gmail',
    host: 'smtp.gmail.com',
    port: 587,
    security: 'starttls',
    note: 'Needs 2-Step Verification and an app password (not your Google password), or XOAUTH2 with an access token.',
    docsUrl: 'https://support.google.com/mail/answer/185833',
  },
  {
    id: 'outlook',
    label: 'Outlook.com',
    host: 'smtp-mail.outlook.com',
    port: 587,
    security: 'starttls',
    note: 'Personal Microsoft accounts: use an app password if two-step verification is on; basic AUTH may be disabled for your account.',
    docsUrl: 'https://support.microsoft.com/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040',
  },
  {
    id: 'hotmail',
    label: 'Hotmail',
    host: 'smtp-mail.outlook.com',
    port: 587,
    security: 'starttls',
    note: 'Hotmail and Live addresses use the Outlook.com server; an app password if two-step verification is on.',
  },
  {
    id: 'yahoo',
    label: 'Yahoo Mail',
    host: 'smtp.mail.yahoo.com',
    port: 465,
    security: 'tls',
    note: 'Needs an app password generated in Account security (your normal password is refused).',
  },
  {
    id: 'icloud',
    label: 'iCloud Mail',
    host: 'smtp.mail.me.com',
    port: 587,
    security: 'starttls',
    note: 'Needs an app-specific password from appleid.apple.com; the user is your full iCloud address.',
  },
  {
    id: 'zoho',
    label: 'Zoho Mail',
    host: 'smtp.zoho.com',
    port: 465,
    security: 'tls',
    note: 'Use smtppro.zoho.com for organisation accounts; an application-specific password if two-factor is on.',
  },
  {
    id: 'qq',
    label: 'QQ Mail',
    host: 'smtp.qq.com',
    port: 465,
    security: 'tls',
    note: 'Turn on SMTP in QQ Mail settings and use the authorisation code it gives (授权码), not your QQ password.',
  },
  {
    id: '163',
    label: '163 Mail',
    host: 'smtp.163.com',
    port: 465,
    security: 'tls',
    note: 'Turn on the SMTP service in settings and use the client authorisation code (授权码), not your login password.',
  },
  {
    id: 'aliyun-mail',
    label: 'Aliyun Mail',
    host: 'smtp.qiye.aliyun.com',
    port: 465,
    security: 'tls',
    note: 'Alibaba Mail for business; personal accounts use smtp.aliyun.com. Your full address is the user.',
  },
  {
    id: 'aliyun-directmail',
    label: 'Aliyun DirectMail',
    host: 'smtpdm.aliyun.com',
    port: 465,
    security: 'tls',
    note: 'The user is a sender address configured in the DirectMail console, with the SMTP password set there.',
  },
  {
    id: 'sendgrid',
    label: 'SendGrid',
    host: 'smtp.sendgrid.net',
    port: 587,
    security: 'starttls',
    user: 'apikey',
    note: 'The user is the literal word "apikey"; the password is an API key with Mail Send permission.',
    docsUrl: 'https://docs.sendgrid.com/for-developers/sending-email/integrating-with-the-smtp-api',
  },
];

export function findPreset(id: string): ProviderPreset | undefined {
  return PRESETS.find((p) => p.id === id);
}

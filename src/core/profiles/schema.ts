// The profile's vocabulary, written once: every field with its type, choices, limits and wording. Reading a
// profile file, validation, export, the settings form and the `mailsmith.profiles` schema in package.json are
// derived from this table (a unit test holds package.json to it), as VS Code derives its Settings UI from
// `contributes.configuration`.

export const SECURITY_CHOICES = [
  { id: 'none', label: 'None (plain text)', description: 'No TLS (local servers only)', port: 25 },
  { id: 'starttls-optional', label: 'STARTTLS if offered', description: 'STARTTLS if the server offers it', port: 587 },
  { id: 'starttls', label: 'STARTTLS required', description: 'STARTTLS required', port: 587 },
  { id: 'tls', label: 'Implicit TLS', description: 'Implicit TLS (port 465)', port: 465 },
] as const;

export const AUTH_CHOICES = [
  { id: 'auto', label: 'Automatic (best the server offers)', description: 'The strongest mechanism the server offers' },
  { id: 'PLAIN', label: 'PLAIN', description: 'PLAIN (RFC 4616), over TLS only' },
  { id: 'LOGIN', label: 'LOGIN', description: 'LOGIN, over TLS only' },
  { id: 'CRAM-MD5', label: 'CRAM-MD5', description: 'CRAM-MD5 (RFC 2195)' },
  { id: 'XOAUTH2', label: 'XOAUTH2', description: 'OAuth 2.0 bearer token (Google, Microsoft)' },
  { id: 'OAUTHBEARER', label: 'OAUTHBEARER', description: 'OAuth 2.0 bearer token, the standard mechanism (RFC 7628)' },
] as const;

export const OAUTH_PROVIDER_CHOICES = [
  { id: 'microsoft', label: 'Microsoft (Outlook.com, Microsoft 365)', description: 'Microsoft identity platform: Outlook.com and work or school accounts' },
  { id: 'google', label: 'Google (Gmail)', description: 'Google accounts (Gmail, Google Workspace)' },
  { id: 'custom', label: 'Another provider', description: 'Any OAuth 2.0 provider, given its endpoints' },
] as const;

export const PARTIAL_CHOICES = [
  { id: 'reject', label: 'All or nothing: cancel if any recipient is rejected', description: 'All recipients or none' },
  { id: 'accept', label: 'Send to the recipients the server accepts', description: 'Send to those the server accepts' },
] as const;

export const KIND_CHOICES = [
  { id: 'smtp', label: 'SMTP server', description: 'An SMTP server named by host and port' },
  { id: 'capture-inbox', label: 'Local capture inbox', description: 'The capture inbox Mailsmith runs on 127.0.0.1: nothing leaves the machine' },
] as const;

export interface Choice {
  readonly id: string;
  readonly label: string;
  readonly description: string;
}

export type FieldGroup = 'server' | 'sign-in' | 'oauth' | 'defaults' | 'sending' | 'advanced';

export interface ProfileField {
  /** The field's path in a profile: `host`, `defaults.from`, `timeouts.connectMs`. */
  readonly key: string;
  readonly type: 'text' | 'integer' | 'boolean' | 'choice';
  readonly choices?: readonly Choice[];
  /** The form's label. */
  readonly label: string;
  /** What it means (the settings description and the form's hint). */
  readonly description: string;
  readonly placeholder?: string;
  readonly default?: string | number | boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly required?: boolean;
  readonly group: FieldGroup;
  /** The settings form shows it (the rest is kept as written when a profile is edited there). */
  readonly inForm: boolean;
}

export const PROFILE_FIELDS: readonly ProfileField[] = [
  { key: 'name', type: 'text', label: 'Profile name', description: 'Shown in the status bar and pickers.', placeholder: 'Work mail', required: true, group: 'server', inForm: true },
  { key: 'kind', type: 'choice', choices: KIND_CHOICES, label: 'Kind', description: 'An SMTP server, or the local capture inbox that Mailsmith runs.', default: 'smtp', group: 'advanced', inForm: false },
  { key: 'host', type: 'text', label: 'Host', description: 'SMTP server host name.', placeholder: 'smtp.example.com', required: true, group: 'server', inForm: true },
  { key: 'port', type: 'integer', label: 'Port', description: '587 for STARTTLS, 465 for implicit TLS, 25 for relay.', placeholder: '587', minimum: 1, maximum: 65535, required: true, group: 'server', inForm: true },
  { key: 'security', type: 'choice', choices: SECURITY_CHOICES, label: 'Security', description: 'How the connection is encrypted.', default: 'starttls', group: 'server', inForm: true },
  { key: 'verifyCertificate', type: 'boolean', label: "Verify the server's certificate", description: 'Verify the server certificate. Prefer caFile to turning this off.', default: true, group: 'server', inForm: true },
  { key: 'caFile', type: 'text', label: 'Trusted CA file (PEM)', description: 'PEM file of CA certificates to trust for this server.', placeholder: '/path/to/ca.pem', group: 'server', inForm: true },
  { key: 'user', type: 'text', label: 'User', description: 'User name for AUTH; empty means no AUTH.', placeholder: 'Leave empty to send without AUTH', group: 'sign-in', inForm: true },
  { key: 'passwordEnv', type: 'text', label: 'Password environment variable', description: 'Environment variable holding the password (CLI, and the extension when no password is stored).', placeholder: 'SMTP_PASSWORD', group: 'sign-in', inForm: true },
  { key: 'auth', type: 'choice', choices: AUTH_CHOICES, label: 'Authentication mechanism', description: 'The SASL mechanism for AUTH.', default: 'auto', group: 'sign-in', inForm: true },
  { key: 'passwordCommand', type: 'text', label: 'Password command', description: "A command whose first line of output is the password (run by the shell, like msmtp's passwordeval). Read only from your user settings or a profile file named on the command line, never from a workspace.", placeholder: 'pass show mail/work', group: 'sign-in', inForm: false },
  { key: 'tokenCommand', type: 'text', label: 'Token command', description: 'A command whose first line of output is an OAuth 2.0 access token (XOAUTH2 or OAUTHBEARER). Read only from your user settings or a profile file named on the command line, never from a workspace.', placeholder: 'oauth2ms --token', group: 'sign-in', inForm: false },
  { key: 'oauth.provider', type: 'choice', choices: OAUTH_PROVIDER_CHOICES, label: 'OAuth 2.0 provider', description: 'Sign in with OAuth 2.0 at this provider; Mailsmith keeps the refresh token in the secret store (never in settings) and renews the access token itself.', group: 'oauth', inForm: true },
  { key: 'oauth.clientId', type: 'text', label: 'Client ID', description: 'The OAuth client (application) ID registered with the provider.', placeholder: '00000000-0000-0000-0000-000000000000', group: 'oauth', inForm: true },
  { key: 'oauth.clientSecretEnv', type: 'text', label: 'Client secret environment variable', description: 'Environment variable holding the client secret, for providers that give one (Google desktop clients).', placeholder: 'MAIL_OAUTH_CLIENT_SECRET', group: 'oauth', inForm: true },
  { key: 'oauth.tenant', type: 'text', label: 'Tenant', description: "Microsoft only: common (default), consumers (Outlook.com), organizations, or your tenant's ID or domain.", placeholder: 'common', group: 'oauth', inForm: true },
  { key: 'oauth.scopes', type: 'text', label: 'Scopes', description: "Space-separated scopes; empty for the provider's (Microsoft: https://outlook.office.com/SMTP.Send offline_access; Google: https://mail.google.com/).", group: 'oauth', inForm: true },
  { key: 'oauth.authorizeUrl', type: 'text', label: 'Authorization endpoint', description: "The provider's authorization endpoint (another provider only).", placeholder: 'https://auth.example.com/authorize', group: 'oauth', inForm: true },
  { key: 'oauth.tokenUrl', type: 'text', label: 'Token endpoint', description: "The provider's token endpoint (another provider only).", placeholder: 'https://auth.example.com/token', group: 'oauth', inForm: true },
  { key: 'oauth.deviceUrl', type: 'text', label: 'Device authorization endpoint', description: "The provider's device authorization endpoint (RFC 8628), for signing in on a machine without a browser (another provider only).", placeholder: 'https://auth.example.com/device', group: 'oauth', inForm: true },
  { key: 'oauth.refreshTokenEnv', type: 'text', label: 'Refresh token environment variable', description: 'Environment variable holding a refresh token (CI): used instead of a stored sign-in.', placeholder: 'MAIL_REFRESH_TOKEN', group: 'oauth', inForm: true },
  { key: 'oauth.vscodeAccount', type: 'boolean', label: "Sign in with VS Code's Microsoft account", description: "Microsoft only, in VS Code: sign in through VS Code's built-in Microsoft account provider (with this client ID and tenant) instead of Mailsmith's own browser sign-in.", default: false, group: 'oauth', inForm: true },
  { key: 'ehloName', type: 'text', label: 'EHLO name', description: 'The name this client gives in EHLO; empty for the default.', placeholder: 'This computer\u2019s name', group: 'sending', inForm: true },
  { key: 'defaults.from', type: 'text', label: 'From', description: 'From for a message that has none.', placeholder: 'Name <you@example.com>', group: 'defaults', inForm: true },
  { key: 'defaults.to', type: 'text', label: 'To', description: 'To for a message that has none.', group: 'defaults', inForm: true },
  { key: 'defaults.cc', type: 'text', label: 'Cc', description: 'Cc for a message that has none.', group: 'defaults', inForm: true },
  { key: 'defaults.bcc', type: 'text', label: 'Bcc', description: 'Bcc for a message that has none (envelope only).', group: 'defaults', inForm: true },
  { key: 'defaults.subject', type: 'text', label: 'Subject', description: 'Subject for a message that has none.', group: 'defaults', inForm: true },
  { key: 'maxPerHour', type: 'integer', label: 'Hourly limit', description: 'Hourly send limit.', placeholder: '1000', minimum: 1, default: 1000, group: 'sending', inForm: true },
  { key: 'partialRecipients', type: 'choice', choices: PARTIAL_CHOICES, label: 'When some recipients are rejected', description: 'What to do when the server accepts some recipients and refuses others.', default: 'reject', group: 'sending', inForm: true },
  { key: 'batchSize', type: 'integer', label: 'Messages per connection', description: 'At most this many messages per connection, for servers that limit them (a patch series logs in again after each batch; git\'s sendemail.smtpBatchSize).', minimum: 1, maximum: 10000, group: 'sending', inForm: false },
  { key: 'reloginDelaySeconds', type: 'integer', label: 'Wait before logging in again (s)', description: 'Seconds to wait before the next connection after a batch (git\'s sendemail.smtpReloginDelay).', minimum: 0, maximum: 3600, group: 'sending', inForm: false },
  { key: 'timeouts.connectMs', type: 'integer', label: 'Connect timeout (ms)', description: 'Milliseconds to wait for the TCP connection.', minimum: 100, maximum: 600000, group: 'advanced', inForm: false },
  { key: 'timeouts.greetingMs', type: 'integer', label: 'Greeting timeout (ms)', description: "Milliseconds to wait for the server's greeting.", minimum: 100, maximum: 600000, group: 'advanced', inForm: false },
  { key: 'timeouts.socketMs', type: 'integer', label: 'Idle timeout (ms)', description: 'Milliseconds of silence before the connection is given up.', minimum: 100, maximum: 600000, group: 'advanced', inForm: false },
  { key: 'timeouts.greetingDeadlineMs', type: 'integer', label: 'Greeting deadline (ms)', description: 'Longest time from connecting to the end of the greeting (default 30000).', minimum: 100, maximum: 3600000, group: 'advanced', inForm: false },
  { key: 'timeouts.setupDeadlineMs', type: 'integer', label: 'Setup deadline (ms)', description: 'Longest time for EHLO, STARTTLS and the TLS handshake (default 30000).', minimum: 100, maximum: 3600000, group: 'advanced', inForm: false },
  { key: 'timeouts.authDeadlineMs', type: 'integer', label: 'AUTH deadline (ms)', description: 'Longest time for the AUTH exchange (default 30000).', minimum: 100, maximum: 3600000, group: 'advanced', inForm: false },
  { key: 'timeouts.commandDeadlineMs', type: 'integer', label: 'Command deadline (ms)', description: 'Longest time for each of MAIL FROM, RCPT TO, DATA, RSET and QUIT (default 120000).', minimum: 100, maximum: 3600000, group: 'advanced', inForm: false },
  { key: 'timeouts.dataDeadlineMs', type: 'integer', label: 'Transfer deadline (ms)', description: 'Longest time to hand the message over (default 600000).', minimum: 100, maximum: 3600000, group: 'advanced', inForm: false },
  { key: 'timeouts.secretCommandMs', type: 'integer', label: 'Credential command timeout (ms)', description: 'Longest time a passwordCommand or tokenCommand may run (default 60000).', minimum: 100, maximum: 600000, group: 'advanced', inForm: false },
  { key: 'timeouts.finalReplyDeadlineMs', type: 'integer', label: 'Final reply deadline (ms)', description: 'Longest wait for the reply after the final dot; past it the outcome is unknown (default 600000).', minimum: 100, maximum: 3600000, group: 'advanced', inForm: false },
];

/** Top-level keys a profile may have (`defaults`, `timeouts` for the nested ones). */
export function profileTopLevelKeys(): string[] {
  return [...new Set(PROFILE_FIELDS.map((f) => f.key.split('.')[0]))];
}

/** The nested keys under `group` (`defaults` -> from, to, cc, bcc, subject). */
export function nestedKeys(group: string): string[] {
  return PROFILE_FIELDS.filter((f) => f.key.startsWith(`${group}.`)).map((f) => f.key.slice(group.length + 1));
}

type JsonSchema = Record<string, unknown>;

function fieldSchema(field: ProfileField): JsonSchema {
  const schema: JsonSchema = {};
  if (field.type === 'choice') {
    schema.type = 'string';
    schema.enum = field.choices!.map((c) => c.id);
    schema.enumDescriptions = field.choices!.map((c) => c.description);
  } else schema.type = field.type === 'text' ? 'string' : field.type;
  if (field.minimum !== undefined) schema.minimum = field.minimum;
  if (field.maximum !== undefined) schema.maximum = field.maximum;
  if (field.default !== undefined) schema.default = field.default;
  schema.description = field.description;
  return schema;
}

/** The JSON schema of one profile, as `contributes.configuration` declares `mailsmith.profiles.items`. */
export function profileJsonSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of PROFILE_FIELDS) {
    const [top, nested] = field.key.split('.');
    if (nested === undefined) {
      properties[top] = fieldSchema(field);
      continue;
    }
    const group = (properties[top] ??= { type: 'object', description: GROUP_DESCRIPTIONS[top] ?? top, properties: {}, additionalProperties: false });
    (group.properties as Record<string, JsonSchema>)[nested] = fieldSchema(field);
  }
  return {
    type: 'object',
    required: PROFILE_FIELDS.filter((f) => f.required).map((f) => f.key),
    properties,
  };
}

const GROUP_DESCRIPTIONS: Record<string, string> = {
  defaults: 'Values for what a message lacks.',
  timeouts: 'How long to wait at each step, in milliseconds.',
  oauth: 'OAuth 2.0 sign-in (auth XOAUTH2 or OAUTHBEARER): the refresh token is kept in the secret store, never here.',
};

// The one definition of the messages between the profile settings page (main.ts, in the webview) and
// the panel (src/vscode/profileSettings/panel.ts). Both import these types; the panel also checks every
// incoming message with `parsePageMessage` (src/vscode/profileSettings/pageMessages.ts) before use.
// Handshake: the page posts `ready` once its script runs; the panel answers with `init`.
// No message to the page ever carries a password: the page only learns `hasPassword`.
import type { ProviderPreset } from '../../core/profiles/presets';
import type { SmtpProfile } from '../../core/profiles/profile';

export type SecurityMode = SmtpProfile['security'];
export type AuthMechanism = NonNullable<SmtpProfile['auth']>;
export type PartialPolicy = NonNullable<SmtpProfile['partialRecipients']>;
/** '' : no OAuth (a password, or a pasted token). */
export type OAuthProviderChoice = NonNullable<NonNullable<SmtpProfile['oauth']>['provider']> | '';

/** The choices, with their labels and usual ports, as the core's profile table has them. */
export { AUTH_CHOICES, OAUTH_PROVIDER_CHOICES, PARTIAL_CHOICES, SECURITY_CHOICES as SECURITY_MODES } from '../../core/profiles/schema';

/** The form's contents: what the user typed, as typed (numbers as text), never a password. */
export interface ProfileDraft {
  name: string;
  host: string;
  port: string;
  security: SecurityMode;
  verifyCertificate: boolean;
  caFile: string;
  user: string;
  passwordEnv: string;
  auth: AuthMechanism;
  ehloName: string;
  from: string;
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  maxPerHour: string;
  partialRecipients: PartialPolicy;
  /** OAuth 2.0 (the profile's `oauth` section). */
  provider: OAuthProviderChoice;
  clientId: string;
  clientSecretEnv: string;
  tenant: string;
  scopes: string;
  authorizeUrl: string;
  tokenUrl: string;
  deviceUrl: string;
  refreshTokenEnv: string;
  vscodeAccount: boolean;
}
export const DRAFT_TEXT_FIELDS = [
  'name', 'host', 'port', 'caFile', 'user', 'passwordEnv', 'clientId', 'clientSecretEnv', 'tenant', 'scopes', 'authorizeUrl', 'tokenUrl', 'deviceUrl', 'refreshTokenEnv', 'ehloName', 'from', 'to', 'cc', 'bcc', 'subject', 'maxPerHour',
] as const;

/** A profile's OAuth 2.0 sign-in as the page sees it (never a token). */
export interface SignInView {
  /** "Microsoft", "Google", or the provider's host. */
  provider: string;
  /** Signed in as; absent when not signed in. */
  account?: string;
  /** Through VS Code's Microsoft account (signed out in VS Code's Accounts menu). */
  viaVsCode?: boolean;
}

/** A stored profile as the page sees it. */
export interface ProfileSummary {
  profile: SmtpProfile;
  hasPassword: boolean;
  /** For a profile with OAuth settings. */
  signIn?: SignInView;
  /** The built-in local capture inbox: can be tested, not renamed or deleted. */
  builtIn: boolean;
}

/** A provider preset as the page shows it (the core's preset, without its documentation link). */
export type PresetView = Omit<ProviderPreset, 'docsUrl' | 'note'> & { note?: string };

export type IssueSeverity = 'error' | 'warning' | 'info';
/** One validation finding, keyed by draft field (`host`, `port`, `from`, ...) or `''` for the whole profile. */
export interface FieldIssue {
  field: string;
  severity: IssueSeverity;
  message: string;
}

export type StepStatus = 'running' | 'pass' | 'fail' | 'skip' | 'warn';
export interface DoctorStepView {
  id: string;
  status: StepStatus;
  title: string;
  detail?: string;
  diagnosis?: string;
}

/** What the page keeps in `vscode.setState` so a hidden-then-shown panel comes back as it was. */
export interface PageState {
  selected: string | null;
  draft: ProfileDraft | null;
  dirty: boolean;
  hasImportedSecret: boolean;
}

// ---- page -> panel ----
export type PageMessage =
  | { type: 'ready' }
  /** Validate the draft as typed; answered by `validation` with the same `seq`. */
  | { type: 'validate'; seq: number; draft: ProfileDraft; previousName: string | null }
  /** `password`: a newly typed password (absent = keep the stored one). `previousName`: the profile being edited. */
  | { type: 'save'; draft: ProfileDraft; previousName: string | null; password?: string; useImportedSecret: boolean }
  | { type: 'delete'; name: string }
  | { type: 'clearPassword'; name: string }
  /** Ask the user (natively) before throwing away unsaved changes; answered by `confirmed`. */
  | { type: 'confirmDiscard'; requestId: number }
  | { type: 'dirty'; dirty: boolean }
  /** `text` absent: let the user pick a file. */
  | { type: 'import'; text?: string }
  | { type: 'export'; draft: ProfileDraft }
  | { type: 'testConnection'; runId: number; draft: ProfileDraft; previousName: string | null; password?: string; useImportedSecret: boolean }
  | { type: 'setActive'; name: string }
  /** Reveal the Mailsmith log channel, where the connection test wrote the SMTP dialogue. */
  | { type: 'showLog' }
  /** Sign the (saved) profile in with its OAuth 2.0 provider, or forget its sign-in. */
  | { type: 'signIn'; name: string }
  | { type: 'signOut'; name: string };

// ---- panel -> page ----
export type HostMessage =
  | { type: 'init'; profiles: ProfileSummary[]; active: string; presets: PresetView[]; select: string | null; oauthNotes?: Record<string, string> }
  | { type: 'profiles'; profiles: ProfileSummary[]; active: string }
  | { type: 'validation'; seq: number; issues: FieldIssue[] }
  | { type: 'saved'; name: string; passwordStored: boolean }
  | { type: 'saveFailed'; message: string; issues: FieldIssue[] }
  | { type: 'deleted'; name: string }
  | { type: 'confirmed'; requestId: number; ok: boolean }
  | { type: 'imported'; draft: ProfileDraft; notes: string[]; hasImportedSecret: boolean }
  | { type: 'importFailed'; message: string }
  | { type: 'doctorStep'; runId: number; step: DoctorStepView }
  | { type: 'doctorDone'; runId: number; ok: boolean; summary: string }
  | { type: 'select'; name: string }
  /** A sign-in or sign-out finished (the profiles message brings the new status). */
  | { type: 'signInDone'; name: string; ok: boolean; message: string };

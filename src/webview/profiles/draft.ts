// Form draft <-> profile. Pure: used by the page (to fill the form) and the panel (to save and validate).
import type { SmtpProfile } from '../../core/profiles/profile';
import type { FieldIssue, ProfileDraft } from './protocol';

/** The form field of a profile field: its last segment (`defaults.from` -> `from`). */
export function draftKey(profileKey: string): string {
  return profileKey.slice(profileKey.lastIndexOf('.') + 1);
}

export function emptyDraft(): ProfileDraft {
  return {
    name: '',
    host: '',
    port: '587',
    security: 'starttls',
    verifyCertificate: true,
    caFile: '',
    user: '',
    passwordEnv: '',
    auth: 'auto',
    ehloName: '',
    from: '',
    to: '',
    cc: '',
    bcc: '',
    subject: '',
    maxPerHour: '',
    partialRecipients: 'reject',
    ...emptyOAuth(),
  };
}

const OAUTH_TEXT_FIELDS = ['clientId', 'clientSecretEnv', 'tenant', 'scopes', 'authorizeUrl', 'tokenUrl', 'deviceUrl', 'refreshTokenEnv'] as const;

function emptyOAuth(): Pick<ProfileDraft, 'provider' | 'vscodeAccount' | (typeof OAUTH_TEXT_FIELDS)[number]> {
  return { provider: '', clientId: '', clientSecretEnv: '', tenant: '', scopes: '', authorizeUrl: '', tokenUrl: '', deviceUrl: '', refreshTokenEnv: '', vscodeAccount: false };
}

export function profileToDraft(profile: SmtpProfile): ProfileDraft {
  const d = profile.defaults ?? {};
  return {
    name: profile.name ?? '',
    host: profile.host ?? '',
    port: profile.port === undefined || profile.port === null ? '' : String(profile.port),
    security: profile.security ?? 'starttls',
    verifyCertificate: profile.verifyCertificate !== false,
    caFile: profile.caFile ?? '',
    user: profile.user ?? '',
    passwordEnv: profile.passwordEnv ?? '',
    auth: profile.auth ?? 'auto',
    ehloName: profile.ehloName ?? '',
    from: d.from ?? '',
    to: d.to ?? '',
    cc: d.cc ?? '',
    bcc: d.bcc ?? '',
    subject: d.subject ?? '',
    maxPerHour: profile.maxPerHour === undefined ? '' : String(profile.maxPerHour),
    partialRecipients: profile.partialRecipients ?? 'reject',
    ...oauthToDraft(profile.oauth),
  };
}

function oauthToDraft(oauth: SmtpProfile['oauth']): ReturnType<typeof emptyOAuth> {
  const draft = emptyOAuth();
  if (!oauth || typeof oauth !== 'object') return draft;
  draft.provider = oauth.provider ?? 'custom';
  for (const key of OAUTH_TEXT_FIELDS) draft[key] = typeof oauth[key] === 'string' ? oauth[key] : '';
  draft.vscodeAccount = oauth.vscodeAccount === true;
  return draft;
}

/**
 * The profile the draft describes, on top of `base` (so fields the form doesn't show, like timeouts,
 * survive an edit). Empty fields are left out; text that can't be a number is reported, not guessed.
 */
export function draftToProfile(draft: ProfileDraft, base?: SmtpProfile): { profile: SmtpProfile; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const whole = (field: 'port' | 'maxPerHour', text: string): number | undefined => {
    const t = text.trim();
    if (t === '') return undefined;
    if (!/^\d+$/.test(t)) {
      issues.push({ field, severity: 'error', message: `${field === 'port' ? 'Port' : 'Hourly limit'} must be a whole number.` });
      return undefined;
    }
    return Number(t);
  };
  const port = whole('port', draft.port);
  if (port === undefined && draft.port.trim() === '') issues.push({ field: 'port', severity: 'error', message: 'Port is required.' });
  const profile: SmtpProfile = {
    ...(base ?? {}),
    name: draft.name.trim(),
    host: draft.host.trim(),
    port: port ?? 0,
    security: draft.security,
  } as SmtpProfile;
  const optional = {
    caFile: draft.caFile.trim(),
    user: draft.user.trim(),
    passwordEnv: draft.passwordEnv.trim(),
    ehloName: draft.ehloName.trim(),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value) (profile as unknown as Record<string, unknown>)[key] = value;
    else delete (profile as unknown as Record<string, unknown>)[key];
  }
  if (draft.verifyCertificate) delete profile.verifyCertificate;
  else profile.verifyCertificate = false;
  if (draft.auth === 'auto') delete profile.auth;
  else profile.auth = draft.auth;
  if (draft.partialRecipients === 'reject') delete profile.partialRecipients;
  else profile.partialRecipients = draft.partialRecipients;
  const maxPerHour = whole('maxPerHour', draft.maxPerHour);
  if (maxPerHour === undefined) delete profile.maxPerHour;
  else profile.maxPerHour = maxPerHour;
  const defaults: NonNullable<SmtpProfile['defaults']> = {};
  for (const key of ['from', 'to', 'cc', 'bcc', 'subject'] as const) {
    const value = draft[key].trim();
    if (value) defaults[key] = value;
  }
  if (Object.keys(defaults).length > 0) profile.defaults = defaults;
  else delete profile.defaults;
  // No provider chosen: no OAuth at all (its other fields are left behind with it).
  if (draft.provider === '') delete profile.oauth;
  else {
    const oauth: NonNullable<SmtpProfile['oauth']> = { provider: draft.provider };
    for (const key of OAUTH_TEXT_FIELDS) {
      const value = draft[key].trim();
      if (value) oauth[key] = value;
    }
    if (draft.vscodeAccount) oauth.vscodeAccount = true;
    profile.oauth = oauth;
  }
  return { profile, issues };
}

export function draftsEqual(a: ProfileDraft, b: ProfileDraft): boolean {
  return (Object.keys(a) as (keyof ProfileDraft)[]).every((k) => a[k] === b[k]);
}

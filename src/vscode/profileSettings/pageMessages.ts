// Every message from the webview is untrusted input (the page renders imported text, and a webview can be
// scripted): check its shape here, field by field, before the panel acts on it. Pure, so unit-tested in Node.
import {
  AUTH_CHOICES,
  DRAFT_TEXT_FIELDS,
  OAUTH_PROVIDER_CHOICES,
  PARTIAL_CHOICES,
  SECURITY_MODES,
  type PageMessage,
  type ProfileDraft,
} from '../../webview/profiles/protocol';

/** Long enough for any real value; stops a runaway page from handing us megabytes. */
const MAX_TEXT = 4096;
const MAX_IMPORT_TEXT = 256 * 1024;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function parseDraft(value: unknown): ProfileDraft | undefined {
  if (!isObj(value)) return undefined;
  for (const field of DRAFT_TEXT_FIELDS) if (!isText(value[field])) return undefined;
  if (!SECURITY_MODES.some((m) => m.id === value.security)) return undefined;
  if (!AUTH_CHOICES.some((m) => m.id === value.auth)) return undefined;
  if (!PARTIAL_CHOICES.some((p) => p.id === value.partialRecipients)) return undefined;
  if (typeof value.verifyCertificate !== 'boolean') return undefined;
  if (value.provider !== '' && !OAUTH_PROVIDER_CHOICES.some((p) => p.id === value.provider)) return undefined;
  if (typeof value.vscodeAccount !== 'boolean') return undefined;
  // Copy only the known fields: nothing extra rides along into a saved profile.
  const draft = {
    security: value.security,
    auth: value.auth,
    partialRecipients: value.partialRecipients,
    verifyCertificate: value.verifyCertificate,
    provider: value.provider,
    vscodeAccount: value.vscodeAccount,
  } as Obj;
  for (const field of DRAFT_TEXT_FIELDS) draft[field] = value[field];
  return draft as unknown as ProfileDraft;
}

const optionalPassword = (v: unknown): v is string | undefined => v === undefined || isText(v);
const nameOrNull = (v: unknown): v is string | null => v === null || isText(v);

/** The message if it is one the page may send, with exactly the expected fields; otherwise undefined. */
export function parsePageMessage(raw: unknown): PageMessage | undefined {
  if (!isObj(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'showLog':
      return { type: raw.type };
    case 'validate': {
      const draft = parseDraft(raw.draft);
      return draft && isCount(raw.seq) && nameOrNull(raw.previousName) ? { type: 'validate', seq: raw.seq, draft, previousName: raw.previousName } : undefined;
    }
    case 'save': {
      const draft = parseDraft(raw.draft);
      if (!draft || !nameOrNull(raw.previousName) || !optionalPassword(raw.password) || typeof raw.useImportedSecret !== 'boolean') return undefined;
      return { type: 'save', draft, previousName: raw.previousName, ...(raw.password !== undefined ? { password: raw.password } : {}), useImportedSecret: raw.useImportedSecret };
    }
    case 'testConnection': {
      const draft = parseDraft(raw.draft);
      if (!draft || !isCount(raw.runId) || !nameOrNull(raw.previousName) || !optionalPassword(raw.password) || typeof raw.useImportedSecret !== 'boolean') return undefined;
      return {
        type: 'testConnection',
        runId: raw.runId,
        draft,
        previousName: raw.previousName,
        ...(raw.password !== undefined ? { password: raw.password } : {}),
        useImportedSecret: raw.useImportedSecret,
      };
    }
    case 'delete':
    case 'clearPassword':
    case 'setActive':
    case 'signIn':
    case 'signOut':
      return isText(raw.name) && raw.name !== '' ? { type: raw.type, name: raw.name } : undefined;
    case 'confirmDiscard':
      return isCount(raw.requestId) ? { type: 'confirmDiscard', requestId: raw.requestId } : undefined;
    case 'dirty':
      return typeof raw.dirty === 'boolean' ? { type: 'dirty', dirty: raw.dirty } : undefined;
    case 'import':
      if (raw.text === undefined) return { type: 'import' };
      return isText(raw.text, MAX_IMPORT_TEXT) ? { type: 'import', text: raw.text } : undefined;
    case 'export': {
      const draft = parseDraft(raw.draft);
      return draft ? { type: 'export', draft } : undefined;
    }
    default:
      return undefined;
  }
}

// Dapr `bindings.smtp` component (https://docs.dapr.io/reference/components-reference/supported-bindings/smtp/).
// The binding dials with go-mail: implicit TLS when the port is 465, otherwise STARTTLS when the server
// offers it (opportunistic), so that is what the imported security mode says.
import { parseAllDocuments } from 'yaml';
import type { MessageDefaults } from '../../message/types';
import type { SmtpProfile } from '../profile';
import { type ImportOptions, type ImportResult, type ImportedSecret, parseBoolean, parsePort } from './types';

interface MetadataItem {
  name: string;
  value?: unknown;
  secretKeyRef?: { name?: unknown; key?: unknown };
  envRef?: unknown;
}

const KNOWN = new Set([
  'host', 'port', 'user', 'password', 'skipTLSVerify', 'emailFrom', 'emailTo', 'emailCC', 'emailBCC', 'subject', 'priority',
]);

export function importDaprText(text: string, options: ImportOptions = {}): ImportResult {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      return { ok: false, format: 'dapr', error: `The YAML is malformed: ${doc.errors[0].message}` };
    }
  }
  const components = list.map((d) => d.toJS() as unknown).filter(isSmtpComponent);
  if (components.length === 0) {
    return {
      ok: false,
      format: 'dapr',
      error: 'No Dapr component of type bindings.smtp found (expected kind: Component with spec.type: bindings.smtp).',
    };
  }
  const result = importDaprComponent(components[0], options);
  if (result.ok && components.length > 1) {
    result.notes.push(`The file holds ${components.length} bindings.smtp components; imported the first one.`);
  }
  return result;
}

export function isSmtpComponent(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value) || !isRecord(value.spec)) return false;
  return value.spec.type === 'bindings.smtp';
}

/** Maps an already parsed component object (from YAML or JSON) to a profile. */
export function importDaprComponent(component: Record<string, unknown>, options: ImportOptions = {}): ImportResult {
  const spec = component.spec as Record<string, unknown>;
  const rawItems = spec.metadata ?? [];
  if (!Array.isArray(rawItems)) return { ok: false, format: 'dapr', error: 'spec.metadata must be a list of {name, value} entries.' };
  const items = new Map<string, MetadataItem>();
  for (const raw of rawItems) {
    if (!isRecord(raw) || typeof raw.name !== 'string') {
      return { ok: false, format: 'dapr', error: 'Every entry of spec.metadata needs a name (e.g. "- name: host").' };
    }
    items.set(raw.name, raw as unknown as MetadataItem);
  }
  const notes: string[] = [];
  const secretStore = isRecord(component.auth) && typeof component.auth.secretStore === 'string' ? component.auth.secretStore : undefined;

  /** A plain value as a string; secretKeyRef and envRef are explained in notes, not resolved. */
  const text = (key: string): string | undefined => {
    const item = items.get(key);
    if (!item) return undefined;
    if (item.secretKeyRef) {
      if (key !== 'password') notes.push(secretRefNote(key, item, secretStore) + ` Fill in "${key}" by hand.`);
      return undefined;
    }
    if (typeof item.envRef === 'string' && key !== 'password') return `\${env:${item.envRef}}`;
    if (item.value === undefined || item.value === null) return undefined;
    return typeof item.value === 'string' ? item.value : String(item.value);
  };

  const host = text('host')?.trim();
  if (!host) return { ok: false, format: 'dapr', error: 'The component has no "host" value.' };
  const portText = text('port');
  if (portText === undefined) return { ok: false, format: 'dapr', error: 'The component has no "port" value (Dapr requires one).' };
  const port = parsePort(portText);
  if (port === undefined) return { ok: false, format: 'dapr', error: `"port" must be a number from 1 to 65535, got "${portText}".` };

  const security: SmtpProfile['security'] = port === 465 ? 'tls' : 'starttls-optional';
  if (security === 'starttls-optional') {
    notes.push(
      'Dapr uses STARTTLS only when the server offers it; imported as "STARTTLS if offered". Choose "STARTTLS required" if the server supports it.',
    );
  }
  const componentName = isRecord(component.metadata) && typeof component.metadata.name === 'string' ? component.metadata.name : undefined;
  const profile: SmtpProfile = { name: options.name ?? componentName ?? host, host, port, security };

  const skip = items.get('skipTLSVerify');
  if (skip) {
    const skipValue = parseBoolean(skip.value);
    if (skipValue === undefined) return { ok: false, format: 'dapr', error: `"skipTLSVerify" must be true or false, got "${String(skip.value)}".` };
    if (skipValue) {
      profile.verifyCertificate = false;
      notes.push('skipTLSVerify is true: certificate verification is off. Trusting the server\'s CA file (caFile) is safer.');
    }
  }

  const user = text('user');
  if (user) profile.user = user;

  let secret: ImportedSecret | undefined;
  const password = items.get('password');
  if (password?.secretKeyRef) {
    notes.push(secretRefNote('password', password, secretStore) + ' Store the password in Mailsmith (it goes to the secret store) or set passwordEnv.');
  } else if (typeof password?.envRef === 'string') {
    profile.passwordEnv = password.envRef;
  } else if (password?.value !== undefined && password.value !== null && String(password.value) !== '') {
    // Travels apart from the profile (`secret`); each face says what it does with it.
    secret = { password: String(password.value) };
  }

  const defaults: MessageDefaults = {};
  const from = text('emailFrom');
  const to = text('emailTo');
  const cc = text('emailCC');
  const bcc = text('emailBCC');
  const subject = text('subject');
  if (from) defaults.from = from;
  if (to) defaults.to = to;
  if (cc) defaults.cc = cc;
  if (bcc) defaults.bcc = bcc;
  if (subject) defaults.subject = subject;
  if (Object.keys(defaults).length > 0) profile.defaults = defaults;

  if (items.has('priority')) notes.push('"priority" has no profile field; set an X-Priority header in the message instead.');
  const unknown = [...items.keys()].filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) notes.push(`Ignored unknown metadata: ${unknown.join(', ')}.`);

  return { ok: true, format: 'dapr', profile, ...(secret ? { secret } : {}), notes };
}

function secretRefNote(key: string, item: MetadataItem, store: string | undefined): string {
  const ref = item.secretKeyRef ?? {};
  const where = `secret "${String(ref.name ?? '?')}", key "${String(ref.key ?? ref.name ?? '?')}"`;
  return `"${key}" comes from a Dapr secret store (${where}${store ? ` in store "${store}"` : ''}), which Mailsmith cannot read.`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

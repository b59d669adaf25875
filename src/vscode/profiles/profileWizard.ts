// Add (or edit) an SMTP profile in one multi-step quick input with Back and a step counter: provider, name,
// host, security, port, user, password, default From, then a summary that saves (and can test the connection
// at once) or hands the draft to the settings form. Choices are labelled from the profile table, defaults are
// the form's, and every value is checked by the core's validation as it is typed.
import { parseAddressList } from '../../core/message/addresses';
import { PRESETS, type ProviderPreset } from '../../core/profiles/presets';
import { USUAL_PORTS, type SecurityMode, type SmtpProfile } from '../../core/profiles/profile';
import { SECURITY_CHOICES } from '../../core/profiles/schema';
import { validateProfile } from '../../core/profiles/validate';
import { MultiStepInput, type Step } from './multiStepInput';

export interface WizardState {
  preset?: ProviderPreset;
  name: string;
  host: string;
  security: SecurityMode;
  port: string;
  user: string;
  /** Typed in the wizard; goes to SecretStorage on save, never anywhere else. */
  password?: string;
  from: string;
  finish?: 'save' | 'save-and-test' | 'form';
}

export interface WizardResult {
  profile: SmtpProfile;
  password?: string;
  finish: 'save' | 'save-and-test' | 'form';
}

/** Checks one field the way the settings form does (the core's validation). */
function fieldError(state: WizardState, field: string): string | undefined {
  const profile: Partial<SmtpProfile> = { name: state.name.trim() || 'x', host: state.host.trim() || 'example.com', port: Number(state.port) || 587, security: state.security };
  return validateProfile(profile).find((i) => i.field === field && i.severity === 'error')?.message;
}

/**
 * Runs the flow. `existing` edits a profile (no provider step); `taken` says whether a name belongs to another
 * profile. Resolves undefined when the user cancelled.
 */
export async function profileWizard(existing: SmtpProfile | undefined, taken: (name: string) => boolean): Promise<WizardResult | undefined> {
  const title = existing ? `Edit SMTP profile "${existing.name}"` : 'Add SMTP profile';
  const state: WizardState = {
    name: existing?.name ?? '',
    host: existing?.host ?? '',
    security: existing?.security ?? 'starttls',
    port: existing ? String(existing.port) : String(USUAL_PORTS.starttls),
    user: existing?.user ?? '',
    from: existing?.defaults?.from ?? '',
  };
  const first = existing ? 1 : 0;
  const total = 8 - first;
  const at = (n: number) => n - first;

  const provider: Step<WizardState> = async (input, s) => {
    const custom = { label: '$(server) Custom server', description: 'any host and port', preset: undefined as ProviderPreset | undefined };
    const items = [custom, ...PRESETS.filter((p) => p.id !== 'local-inbox').map((p) => ({ label: p.label, description: `${p.host}:${p.port}`, detail: p.note, preset: p as ProviderPreset | undefined }))];
    const picked = await input.pick({ title, step: at(1), totalSteps: total, items, active: items.find((i) => i.preset === s.preset), placeholder: 'A provider preset fills host, port and security' });
    if (picked.preset !== s.preset) {
      s.preset = picked.preset;
      if (picked.preset) {
        // A new preset replaces what an earlier one filled in, the name included.
        s.name = picked.preset.label;
        s.host = picked.preset.host;
        s.security = picked.preset.security;
        s.port = String(picked.preset.port);
        s.user = picked.preset.user ?? '';
      }
    }
    return name;
  };
  const name: Step<WizardState> = async (input, s) => {
    s.name = (await input.input({
      title,
      step: at(2),
      totalSteps: total,
      value: s.name,
      prompt: 'A name for the profile (shown in the status bar)',
      placeholder: 'Work mail',
      validate: (v) => (!v.trim() ? 'Give the profile a name.' : v.trim() !== existing?.name && taken(v.trim()) ? `A profile named "${v.trim()}" already exists.` : undefined),
    })).trim();
    return host;
  };
  const host: Step<WizardState> = async (input, s) => {
    s.host = (await input.input({ title, step: at(3), totalSteps: total, value: s.host, prompt: 'The SMTP server', placeholder: 'smtp.example.com', validate: (v) => fieldError({ ...s, host: v }, 'host') })).trim();
    return security;
  };
  const security: Step<WizardState> = async (input, s) => {
    const items = SECURITY_CHOICES.map((c) => ({ label: c.label, description: `usually port ${c.port}`, detail: c.description, id: c.id }));
    const picked = await input.pick({ title, step: at(4), totalSteps: total, items, active: items.find((i) => i.id === s.security), placeholder: 'How the connection is encrypted' });
    // Follow the usual port of the new mode unless the user typed another.
    if (picked.id !== s.security && (s.port === '' || Object.values(USUAL_PORTS).map(String).includes(s.port))) s.port = String(USUAL_PORTS[picked.id]);
    s.security = picked.id;
    return port;
  };
  const port: Step<WizardState> = async (input, s) => {
    s.port = (await input.input({ title, step: at(5), totalSteps: total, value: s.port, prompt: 'The port', validate: (v) => (/^\d+$/.test(v.trim()) ? fieldError({ ...s, port: v }, 'port') : 'The port is a whole number from 1 to 65535.') })).trim();
    return user;
  };
  const user: Step<WizardState> = async (input, s) => {
    s.user = (await input.input({ title, step: at(6), totalSteps: total, value: s.user, prompt: 'The user name for AUTH (leave empty to send without signing in)', placeholder: 'you@example.com' })).trim();
    return s.user ? password : from;
  };
  const password: Step<WizardState> = async (input, s) => {
    const typed = await input.input({
      title,
      step: at(7),
      totalSteps: total,
      value: s.password ?? '',
      password: true,
      prompt: existing ? 'The password (leave empty to keep the stored one); it goes to the secret store, never to settings' : 'The password; it goes to the secret store, never to settings (leave empty to set it later)',
    });
    s.password = typed || undefined;
    return from;
  };
  const from: Step<WizardState> = async (input, s) => {
    s.from = (await input.input({
      title,
      step: at(7) + (s.user ? 1 : 0),
      totalSteps: total,
      value: s.from,
      prompt: 'From for messages that have none (optional)',
      placeholder: 'Your Name <you@example.com>',
      validate: (v) => (v.trim() && parseAddressList(v).issues.some((i) => i.severity === 'error') ? 'Not an address: write Name <you@example.com>' : undefined),
    })).trim();
    return summary;
  };
  const summary: Step<WizardState> = async (input, s) => {
    const items = [
      { label: '$(save) Save', id: 'save' as const },
      { label: '$(plug) Save and test the connection', id: 'save-and-test' as const },
      { label: '$(settings-gear) Continue in Profile Settings', description: 'more fields: CA file, EHLO name, limits', id: 'form' as const },
    ];
    const facts = `${s.name}: ${s.host}:${s.port}, ${SECURITY_CHOICES.find((c) => c.id === s.security)?.label}${s.user ? `, user ${s.user}${s.password ? ', password set' : ''}` : ', no AUTH'}${s.from ? `, From ${s.from}` : ''}`;
    s.finish = (await input.pick({ title, step: total, totalSteps: total, items, placeholder: facts })).id;
  };

  const completed = await MultiStepInput.run(existing ? name : provider, state);
  if (!completed || !state.finish) return undefined;
  const profile: SmtpProfile = {
    ...(existing ?? {}),
    name: state.name,
    host: state.host,
    port: Number(state.port),
    security: state.security,
  };
  if (state.user) profile.user = state.user;
  else delete profile.user;
  const defaults = { ...(existing?.defaults ?? {}) };
  if (state.from) defaults.from = state.from;
  else delete defaults.from;
  if (Object.keys(defaults).length) profile.defaults = defaults;
  else delete profile.defaults;
  return { profile, password: state.password, finish: state.finish };
}

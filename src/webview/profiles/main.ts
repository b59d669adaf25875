// The profile settings page, running inside the webview. It owns the form; the panel owns storage,
// validation, secrets and the connection test. Passwords typed here go to the panel once, on Save or
// Test, and are never kept in the page state. Profile data is written with textContent/value only.
import { draftsEqual, emptyDraft, profileToDraft } from './draft';
import {
  DRAFT_TEXT_FIELDS,
  SECURITY_MODES,
  type DoctorStepView,
  type FieldIssue,
  type HostMessage,
  type PageMessage,
  type PageState,
  type PresetView,
  type ProfileDraft,
  type ProfileSummary,
} from './protocol';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): PageState | undefined;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: PageMessage): void => vscode.postMessage(message);

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

const form = $<HTMLFormElement>('form');
const list = $<HTMLUListElement>('profile-list');
const title = $('form-title');
const banner = $('banner');
const presetSelect = $<HTMLSelectElement>('preset');
const presetNote = $('preset-note');
const passwordInput = $<HTMLInputElement>('f-password');
const passwordStatus = $('f-password-status');
const clearPasswordButton = $<HTMLButtonElement>('clear-password');
const saveButton = $<HTMLButtonElement>('save');
const revertButton = $<HTMLButtonElement>('revert');
const testButton = $<HTMLButtonElement>('test');
const deleteButton = $<HTMLButtonElement>('delete');
const activeButton = $<HTMLButtonElement>('make-active');
const formErrors = $('form-errors');
const doctorList = $<HTMLOListElement>('doctor');
const doctorSummary = $('doctor-summary');
const showLogButton = $<HTMLButtonElement>('show-log');
const importDialog = $<HTMLDialogElement>('import-dialog');
const importText = $<HTMLTextAreaElement>('import-text');
const importError = $('import-error');
const oauthNote = $('oauth-note');
const signInButton = $<HTMLButtonElement>('sign-in-button');
const signInLabel = $('sign-in-label');
const signOutButton = $<HTMLButtonElement>('sign-out-button');
const signInStatus = $('sign-in-status');

let profiles: ProfileSummary[] = [];
let activeName = '';
let presets: PresetView[] = [];
let selected: string | null = null;
let baseline: ProfileDraft = emptyDraft();
let draft: ProfileDraft = emptyDraft();
let issues: FieldIssue[] = [];
let validationSeq = 0;
let hasImportedSecret = false;
let doctorRun = 0;
/** What the last preset wrote into the form: a field still holding it is the preset's, not the user's, and the next preset replaces it. */
let presetFilled: Partial<Record<'name' | 'host' | 'port' | 'security' | 'user', string>> = {};
let confirmSeq = 0;
let oauthNotes: Record<string, string> = {};
/** A sign-in or sign-out is under way for this profile. */
let signingIn: string | null = null;
let signInMessage = '';
const pendingConfirms = new Map<number, (ok: boolean) => void>();

// ---- the form <-> the draft ----

function input(field: string): HTMLInputElement | HTMLSelectElement {
  return $<HTMLInputElement>(`f-${field}`);
}

function readForm(): ProfileDraft {
  const next = { ...draft };
  for (const field of DRAFT_TEXT_FIELDS) next[field] = input(field).value;
  next.security = input('security').value as ProfileDraft['security'];
  next.auth = input('auth').value as ProfileDraft['auth'];
  next.partialRecipients = input('partialRecipients').value as ProfileDraft['partialRecipients'];
  next.verifyCertificate = (input('verifyCertificate') as HTMLInputElement).checked;
  next.provider = input('provider').value as ProfileDraft['provider'];
  next.vscodeAccount = (input('vscodeAccount') as HTMLInputElement).checked;
  return next;
}

function writeForm(d: ProfileDraft): void {
  for (const field of DRAFT_TEXT_FIELDS) input(field).value = d[field];
  input('security').value = d.security;
  input('auth').value = d.auth;
  input('partialRecipients').value = d.partialRecipients;
  (input('verifyCertificate') as HTMLInputElement).checked = d.verifyCertificate;
  input('provider').value = d.provider;
  (input('vscodeAccount') as HTMLInputElement).checked = d.vscodeAccount;
  passwordInput.value = '';
}

const current = (): ProfileSummary | undefined => profiles.find((p) => p.profile.name === selected);
const isDirty = (): boolean => !draftsEqual(draft, baseline) || passwordInput.value !== '' || hasImportedSecret;

function saveState(): void {
  // The typed password is deliberately not part of the state.
  vscode.setState({ selected, draft, dirty: isDirty(), hasImportedSecret });
}

function onEdited(): void {
  const next = readForm();
  // A 'change' after 'input' (e.g. on blur) changes nothing: don't revalidate, or Save would flicker.
  if (draftsEqual(next, draft)) return render();
  draft = next;
  requestValidation();
  render();
}

function requestValidation(): void {
  validationSeq += 1;
  post({ type: 'validate', seq: validationSeq, draft, previousName: selected });
}

// ---- rendering ----

function render(): void {
  const summary = current();
  const builtIn = summary?.builtIn ?? false;
  title.textContent = selected === null ? 'New profile' : `Profile: ${selected}`;
  renderList();
  renderIssues();
  renderPasswordStatus(summary);
  renderOAuth(summary);
  const hasErrors = issues.some((i) => i.severity === 'error');
  const dirty = isDirty();
  // The panel validates again on save, so a validation still in flight doesn't block the button.
  saveButton.disabled = hasErrors || !dirty || builtIn;
  saveButton.title = hasErrors ? 'Fix the errors above to save' : !dirty ? 'No unsaved changes' : '';
  revertButton.disabled = !dirty;
  deleteButton.hidden = selected === null || builtIn;
  activeButton.hidden = selected === null || selected === activeName;
  clearPasswordButton.hidden = !summary?.hasPassword;
  for (const fieldset of Array.from(form.querySelectorAll('fieldset'))) fieldset.disabled = builtIn;
  presetSelect.disabled = builtIn;
  // A plain-text connection has no certificate to verify or trust (RFC 3207 section 4: only STARTTLS brings one).
  for (const field of TLS_ONLY_FIELDS) form.querySelector<HTMLElement>(`.field[data-field="${field}"]`)!.hidden = draft.security === 'none';
  saveState();
  post({ type: 'dirty', dirty });
}

/** Fields that only mean something over TLS. */
const TLS_ONLY_FIELDS = ['verifyCertificate', 'caFile'] as const;

let listKey = '';

function renderList(): void {
  // Rebuild only when the list itself changed: replacing the buttons under a pointer between mousedown
  // and mouseup (a blur re-renders) would swallow the click.
  const key = JSON.stringify([profiles.map((s) => [s.profile.name, s.profile.host, s.profile.port, s.profile.security]), activeName]);
  if (key === listKey) {
    for (const button of Array.from(list.querySelectorAll<HTMLButtonElement>('.profile-item'))) {
      if (button.dataset.name === selected) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
    return;
  }
  listKey = key;
  list.replaceChildren(
    ...profiles.map((summary) => {
      const p = summary.profile;
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'profile-item';
      button.dataset.name = p.name;
      if (p.name === selected) button.setAttribute('aria-current', 'true');
      const name = document.createElement('span');
      name.className = 'profile-name';
      name.textContent = p.name;
      const detail = document.createElement('span');
      detail.className = 'profile-detail';
      const mode = SECURITY_MODES.find((m) => m.id === p.security)?.label ?? p.security;
      detail.textContent = `${p.host}:${p.port} · ${mode}`;
      button.append(name, detail);
      if (p.name === activeName) {
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = 'active';
        name.append(' ', badge);
      }
      button.addEventListener('click', () => void choose(p.name));
      item.append(button);
      return item;
    }),
  );
}

function renderIssues(): void {
  const known = new Set<string>();
  for (const el of Array.from(form.querySelectorAll<HTMLElement>('.field[data-field]'))) {
    const field = el.dataset.field!;
    known.add(field);
    const mine = issues.filter((i) => i.field === field);
    const message = el.querySelector<HTMLElement>('.message');
    const control = el.querySelector<HTMLElement>('input, select');
    if (field === 'verifyCertificate' && !draft.verifyCertificate && mine.length === 0) {
      mine.push({
        field,
        severity: 'warning',
        message:
          'Certificate checks are off: anyone on the network path could read the connection, password included. Trusting the server\u2019s CA file (below) is safer.',
      });
    }
    if (message) {
      message.textContent = mine.map((i) => i.message).join(' ');
      message.className = `message ${mine.some((i) => i.severity === 'error') ? 'error' : mine.length ? 'warning' : ''}`;
    }
    el.classList.toggle('invalid', mine.some((i) => i.severity === 'error'));
    if (control) control.setAttribute('aria-invalid', String(mine.some((i) => i.severity === 'error')));
  }
  const rest = issues.filter((i) => !known.has(i.field));
  formErrors.textContent = rest.map((i) => i.message).join(' ');
  formErrors.className = `message ${rest.some((i) => i.severity === 'error') ? 'error' : rest.length ? 'warning' : ''}`;
}

function renderPasswordStatus(summary: ProfileSummary | undefined): void {
  if (hasImportedSecret) {
    passwordStatus.textContent = 'A password from the import will be stored in the secret store when you save.';
  } else if (summary?.hasPassword) {
    passwordStatus.textContent = 'A password is stored in the secret store. Type a new one to replace it.';
  } else {
    passwordStatus.textContent = 'No password stored. It is kept in the secret store, never in settings.';
  }
  passwordInput.placeholder = summary?.hasPassword || hasImportedSecret ? '•••••••• (stored)' : '';
}

/** Which OAuth fields apply to the chosen provider, the provider's note, and the sign-in state. */
function renderOAuth(summary: ProfileSummary | undefined): void {
  const provider = draft.provider;
  const show = (field: string, visible: boolean) => {
    const el = form.querySelector<HTMLElement>(`.field[data-field="${field}"]`);
    if (el) el.hidden = !visible;
  };
  for (const field of ['clientId', 'clientSecretEnv', 'scopes', 'refreshTokenEnv', 'signIn']) show(field, provider !== '');
  for (const field of ['tenant', 'vscodeAccount']) show(field, provider === 'microsoft');
  for (const field of ['authorizeUrl', 'tokenUrl', 'deviceUrl']) show(field, provider === 'custom');
  // A profile that signs in with OAuth has no password to type or read from the environment.
  show('password', provider === '');
  show('passwordEnv', provider === '');
  oauthNote.textContent = provider ? (oauthNotes[provider] ?? '') : '';
  const who = provider === 'microsoft' ? 'Microsoft' : provider === 'google' ? 'Google' : 'the provider';
  signInLabel.textContent = `Sign in with ${who}`;
  const saved = summary?.profile.oauth !== undefined;
  const account = summary?.signIn?.account;
  const busy = signingIn !== null && signingIn === selected;
  signInButton.disabled = busy || !saved || isDirty();
  signInButton.title = !saved || isDirty() ? 'Save the profile first, then sign in.' : '';
  signOutButton.hidden = !account || summary?.signIn?.viaVsCode === true;
  signOutButton.disabled = busy;
  signInStatus.textContent = busy
    ? signInMessage || 'Waiting for the sign-in in your browser\u2026'
    : !saved || isDirty()
      ? 'Save the profile first, then sign in.'
      : account
        ? `Signed in as ${account} (${summary?.signIn?.provider ?? who}).${summary?.signIn?.viaVsCode ? ' Through VS Code\u2019s Microsoft account.' : ''}`
        : `Not signed in.${signInMessage ? ` ${signInMessage}` : ''}`;
}

function showBanner(text: string, kind: 'info' | 'error' = 'info'): void {
  banner.hidden = text === '';
  banner.className = `banner ${kind}`;
  banner.replaceChildren();
  for (const line of text.split('\n')) {
    const p = document.createElement('p');
    p.textContent = line;
    banner.append(p);
  }
}

const STEP_ICONS: Record<DoctorStepView['status'], string> = {
  running: 'codicon-loading codicon-modifier-spin',
  pass: 'codicon-pass',
  fail: 'codicon-error',
  warn: 'codicon-warning',
  skip: 'codicon-circle-slash',
};
const STEP_WORDS: Record<DoctorStepView['status'], string> = { running: 'running', pass: 'passed', fail: 'failed', warn: 'warning', skip: 'skipped' };

function renderStep(step: DoctorStepView): void {
  let row = doctorList.querySelector<HTMLLIElement>(`li[data-step="${CSS.escape(step.id)}"]`);
  if (!row) {
    row = document.createElement('li');
    row.dataset.step = step.id;
    doctorList.append(row);
  }
  row.className = `step ${step.status}`;
  row.dataset.status = step.status;
  const icon = document.createElement('span');
  icon.className = `codicon ${STEP_ICONS[step.status]}`;
  icon.setAttribute('aria-hidden', 'true');
  const heading = document.createElement('span');
  heading.className = 'step-title';
  heading.textContent = step.title;
  const status = document.createElement('span');
  status.className = 'visually-hidden';
  status.textContent = ` (${STEP_WORDS[step.status]})`;
  const parts: HTMLElement[] = [icon, heading, status];
  if (step.detail) {
    const detail = document.createElement('div');
    detail.className = 'step-detail';
    detail.textContent = step.detail;
    parts.push(detail);
  }
  if (step.diagnosis) {
    const diagnosis = document.createElement('div');
    diagnosis.className = 'step-diagnosis';
    diagnosis.textContent = step.diagnosis;
    parts.push(diagnosis);
  }
  row.replaceChildren(...parts);
}

// ---- actions ----

function confirmDiscard(): Promise<boolean> {
  if (!isDirty()) return Promise.resolve(true);
  const requestId = ++confirmSeq;
  post({ type: 'confirmDiscard', requestId });
  return new Promise((resolve) => pendingConfirms.set(requestId, resolve));
}

function load(name: string | null, next?: ProfileDraft): void {
  selected = name;
  const summary = current();
  baseline = summary ? profileToDraft(summary.profile) : emptyDraft();
  draft = next ?? { ...baseline };
  hasImportedSecret = false;
  signInMessage = '';
  presetSelect.value = '';
  presetNote.textContent = '';
  presetFilled = {};
  writeForm(draft);
  doctorList.replaceChildren();
  if (summary?.builtIn) showBanner('This is the built-in local capture inbox: it can be tested and used, not edited. Messages sent to it stay on this machine.');
  else showBanner('');
  requestValidation();
  render();
}

async function choose(name: string | null): Promise<void> {
  if (name === selected && name !== null) return;
  if (!(await confirmDiscard())) return;
  load(name);
}

function applyPreset(id: string): void {
  const preset = presets.find((p) => p.id === id);
  presetNote.textContent = preset?.note ?? '';
  if (!preset) return;
  const previous = presetFilled;
  /** Writes a preset's value unless the user typed something of their own there (a field still holding the last preset's value is not theirs). */
  const fill = (field: keyof typeof presetFilled, value: string | undefined, always: boolean): void => {
    const el = input(field);
    const untouched = el.value.trim() === '' || el.value === previous[field];
    if (!always && !untouched) return;
    if (value !== undefined) el.value = value;
    else if (untouched) el.value = '';
  };
  fill('host', preset.host, true);
  fill('port', String(preset.port), true);
  fill('security', preset.security, true);
  // A user the provider fixes (SendGrid's "apikey") is replaced by the next preset's, or cleared if it has none.
  fill('user', preset.user, preset.user !== undefined);
  // The name the previous preset gave ("Gmail") is not the name of a capture inbox on 127.0.0.1.
  fill('name', preset.label, false);
  presetFilled = { host: preset.host, port: String(preset.port), security: preset.security, user: preset.user, name: input('name').value === preset.label ? preset.label : undefined };
  onEdited();
}

function onProviderChanged(): void {
  // OAuth gives a bearer token: a password mechanism would not take it.
  if (input('provider').value !== '' && !['XOAUTH2', 'OAUTHBEARER'].includes(input('auth').value)) input('auth').value = 'XOAUTH2';
  signInMessage = '';
  onEdited();
}

function onSecurityChanged(): void {
  // Moving between implicit TLS and STARTTLS almost always means moving between 465 and 587.
  const mode = SECURITY_MODES.find((m) => m.id === input('security').value);
  const port = input('port').value.trim();
  if (mode && (port === '' || SECURITY_MODES.some((m) => String(m.port) === port))) input('port').value = String(mode.port);
  onEdited();
}

function typedPassword(): string | undefined {
  return passwordInput.value === '' ? undefined : passwordInput.value;
}

form.addEventListener('input', (e) => {
  if (e.target === passwordInput || e.target === presetSelect) return render();
  onEdited();
});
form.addEventListener('change', (e) => {
  if (e.target === presetSelect) return applyPreset(presetSelect.value);
  if (e.target === input('security')) return onSecurityChanged();
  if (e.target === input('provider')) return onProviderChanged();
  if (e.target !== passwordInput) onEdited();
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (saveButton.disabled) return;
  saveButton.disabled = true;
  post({ type: 'save', draft, previousName: selected, password: typedPassword(), useImportedSecret: hasImportedSecret });
});
revertButton.addEventListener('click', async () => {
  if (await confirmDiscard()) load(selected);
});
$('new-profile').addEventListener('click', () => void choose(null).then(() => selected === null && !isDirty() && input('name').focus()));
deleteButton.addEventListener('click', () => selected && post({ type: 'delete', name: selected }));
activeButton.addEventListener('click', () => selected && post({ type: 'setActive', name: selected }));
clearPasswordButton.addEventListener('click', () => selected && post({ type: 'clearPassword', name: selected }));
showLogButton.addEventListener('click', () => post({ type: 'showLog' }));
signInButton.addEventListener('click', () => {
  if (!selected) return;
  signingIn = selected;
  signInMessage = '';
  render();
  post({ type: 'signIn', name: selected });
});
signOutButton.addEventListener('click', () => {
  if (!selected) return;
  signingIn = selected;
  signInMessage = 'Signing out\u2026';
  render();
  post({ type: 'signOut', name: selected });
});
$('export').addEventListener('click', () => post({ type: 'export', draft }));
testButton.addEventListener('click', () => {
  doctorRun += 1;
  doctorList.replaceChildren();
  doctorSummary.textContent = 'Testing…';
  doctorSummary.className = 'hint running';
  showLogButton.hidden = true;
  testButton.disabled = true;
  post({ type: 'testConnection', runId: doctorRun, draft, previousName: selected, password: typedPassword(), useImportedSecret: hasImportedSecret });
});
$('import').addEventListener('click', () => {
  importError.textContent = '';
  importDialog.showModal();
  importText.focus();
});
$('import-cancel').addEventListener('click', () => importDialog.close());
$('import-go').addEventListener('click', async () => {
  if (importText.value.trim() === '') {
    importError.textContent = 'Paste the settings to import first, or choose a file.';
    return;
  }
  if (await confirmDiscard()) post({ type: 'import', text: importText.value });
});
$('import-file').addEventListener('click', async () => {
  if (await confirmDiscard()) post({ type: 'import' });
});

// ---- messages from the panel ----

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'init': {
      profiles = message.profiles;
      activeName = message.active;
      presets = message.presets;
      oauthNotes = message.oauthNotes ?? {};
      presetSelect.replaceChildren(presetSelect.options[0]);
      for (const preset of presets) {
        const option = document.createElement('option');
        option.value = preset.id;
        option.textContent = preset.label;
        presetSelect.append(option);
      }
      const saved = vscode.getState();
      if (saved?.draft && saved.dirty && (saved.selected === null || profiles.some((p) => p.profile.name === saved.selected))) {
        // The panel was hidden (or reloaded) with unsaved changes: bring them back.
        load(saved.selected, saved.draft);
        hasImportedSecret = saved.hasImportedSecret;
        showBanner('Unsaved changes were restored.');
        render();
      } else {
        const initial = message.select ?? saved?.selected ?? message.active;
        load(profiles.some((p) => p.profile.name === initial) ? initial : (profiles[0]?.profile.name ?? null));
      }
      break;
    }
    case 'profiles':
      profiles = message.profiles;
      activeName = message.active;
      if (selected !== null && !current()) load(activeName);
      else render();
      break;
    case 'validation':
      if (message.seq !== validationSeq) return;
      issues = message.issues;
      render();
      break;
    case 'saved': {
      selected = message.name;
      const summary = current();
      baseline = summary ? profileToDraft(summary.profile) : draft;
      draft = { ...baseline };
      writeForm(draft);
      hasImportedSecret = false;
      showBanner(message.passwordStored ? 'Saved. The password is in the secret store.' : 'Saved.');
      requestValidation();
      render();
      break;
    }
    case 'saveFailed':
      issues = message.issues.length ? message.issues : issues;
      showBanner(message.message, 'error');
      render();
      break;
    case 'deleted':
      if (message.name === selected) load(activeName);
      break;
    case 'confirmed':
      pendingConfirms.get(message.requestId)?.(message.ok);
      pendingConfirms.delete(message.requestId);
      break;
    case 'imported':
      importDialog.close();
      importText.value = '';
      load(null, message.draft);
      hasImportedSecret = message.hasImportedSecret;
      showBanner(['Imported. Review the settings, then Save.', ...message.notes].join('\n'));
      render();
      break;
    case 'importFailed':
      if (!importDialog.open) importDialog.showModal();
      importError.textContent = message.message;
      break;
    case 'doctorStep':
      if (message.runId === doctorRun) renderStep(message.step);
      break;
    case 'doctorDone':
      if (message.runId !== doctorRun) return;
      testButton.disabled = false;
      showLogButton.hidden = false;
      doctorSummary.textContent = message.summary;
      doctorSummary.className = message.ok ? 'hint ok' : 'hint error';
      break;
    case 'select':
      void choose(message.name);
      break;
    case 'signInDone':
      if (signingIn === message.name) signingIn = null;
      signInMessage = message.ok ? '' : message.message;
      render();
      break;
  }
});

post({ type: 'ready' });

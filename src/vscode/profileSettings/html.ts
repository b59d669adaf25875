// The page's markup, in the shared shell with its strict CSP (../webviewPage.ts). Static (no profile data:
// that arrives by message and is set with textContent), so nothing user-supplied is ever parsed as HTML.
// Pure, so the labels are unit-tested. The fields, their labels, hints and choices come from the core's
// profile table (src/core/profiles/schema.ts).
import { OAUTH_PROVIDER_CHOICES, PROFILE_FIELDS, SECURITY_CHOICES, type FieldGroup, type ProfileField } from '../../core/profiles/schema';
import { draftKey } from '../../webview/profiles/draft';
import { webviewPage, type WebviewPageResources } from '../webviewPage';

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface FieldOptions {
  type?: string;
  hint?: string;
  placeholder?: string;
  inputmode?: string;
  autocomplete?: string;
}

function textField(field: string, label: string, o: FieldOptions = {}): string {
  const id = `f-${field}`;
  const described = [`${id}-msg`, o.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return `<div class="field" data-field="${field}">
  <label for="${id}">${escape(label)}</label>
  <input id="${id}" name="${field}" type="${o.type ?? 'text'}" spellcheck="false" autocomplete="${o.autocomplete ?? 'off'}"${
    o.placeholder ? ` placeholder="${escape(o.placeholder)}"` : ''
  }${o.inputmode ? ` inputmode="${o.inputmode}"` : ''} aria-describedby="${described}">
  ${o.hint ? `<div class="hint" id="${id}-hint">${escape(o.hint)}</div>` : ''}
  <div class="message" id="${id}-msg"></div>
</div>`;
}

function selectField(field: string, label: string, options: { value: string; label: string }[], hint?: string): string {
  const id = `f-${field}`;
  const described = [`${id}-msg`, hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return `<div class="field" data-field="${field}">
  <label for="${id}">${escape(label)}</label>
  <select id="${id}" name="${field}" aria-describedby="${described}">
    ${options.map((o) => `<option value="${escape(o.value)}">${escape(o.label)}</option>`).join('\n    ')}
  </select>
  ${hint ? `<div class="hint" id="${id}-hint">${escape(hint)}</div>` : ''}
  <div class="message" id="${id}-msg"></div>
</div>`;
}

/** Hints shown under a field where its table description alone would not help a person filling the form. */
const FORM_HINTS: Record<string, string> = {
  caFile: 'For a server with a private or self-signed certificate: trust its CA instead of turning verification off.',
  passwordEnv: 'Used by the CLI, and by the extension when no password is stored.',
  ehloName: 'The name this client gives in EHLO; leave empty for the default.',
  clientSecretEnv: 'Only for providers that issue a client secret to desktop apps (Google).',
  tenant: 'Microsoft: common (personal and work accounts), consumers (Outlook.com), organizations, or your tenant.',
  scopes: 'Leave empty for the provider\u2019s SMTP scope.',
  refreshTokenEnv: 'For CI: a refresh token in this environment variable is used instead of signing in here.',
};

function formField(field: ProfileField): string {
  const key = draftKey(field.key);
  if (field.type === 'boolean') {
    return `<div class="field checkbox" data-field="${key}">
          <input id="f-${key}" name="${key}" type="checkbox" aria-describedby="f-${key}-msg">
          <label for="f-${key}">${escape(field.label)}</label>
          <div class="message warning" id="f-${key}-msg"></div>
        </div>`;
  }
  if (field.type === 'choice') {
    const options = (field.choices ?? []).map((c) => ({
      value: c.id,
      label: field.choices === SECURITY_CHOICES ? `${c.label} (usually port ${SECURITY_CHOICES.find((s) => s.id === c.id)?.port})` : c.label,
    }));
    // The OAuth provider may be none at all: the profile then signs in with a password.
    if (field.choices === OAUTH_PROVIDER_CHOICES) options.unshift({ value: '', label: 'None: sign in with a password' });
    return selectField(key, field.label, options, field.choices === OAUTH_PROVIDER_CHOICES ? 'Microsoft (Outlook.com, Microsoft 365) and Google accept OAuth 2.0; Microsoft accepts nothing else for Outlook.com.' : undefined);
  }
  return textField(key, field.label, { placeholder: field.placeholder, hint: FORM_HINTS[key], ...(field.type === 'integer' ? { inputmode: 'numeric' } : {}) });
}

/** The form's fields of one group, in the table's order; `extra` follows the field it names. */
function group(name: FieldGroup, extra: Record<string, string> = {}): string {
  return PROFILE_FIELDS.filter((f) => f.inForm && f.group === name)
    .map((f) => formField(f) + (extra[draftKey(f.key)] ?? ''))
    .join('\n        ');
}

const PASSWORD_FIELD = `
        <div class="field" data-field="password">
          <label for="f-password">Password</label>
          <div class="inline">
            <input id="f-password" name="password" type="password" autocomplete="new-password" aria-describedby="f-password-status f-password-msg">
            <button type="button" id="clear-password" class="secondary" hidden>Remove stored password</button>
          </div>
          <div class="hint" id="f-password-status"></div>
          <div class="message" id="f-password-msg"></div>
        </div>`;

/** The OAuth 2.0 sign-in: what the provider asks (its note), the account signed in, Sign in and Sign out. */
const SIGN_IN_BLOCK = `
        <div class="field sign-in" data-field="signIn" id="sign-in">
          <div class="hint" id="oauth-note"></div>
          <div class="inline">
            <button type="button" id="sign-in-button"><span class="codicon codicon-sign-in" aria-hidden="true"></span> <span id="sign-in-label">Sign in</span></button>
            <button type="button" id="sign-out-button" class="secondary" hidden><span class="codicon codicon-sign-out" aria-hidden="true"></span> Sign out</button>
          </div>
          <div class="hint" id="sign-in-status" role="status"></div>
        </div>`;

export function renderPage(r: WebviewPageResources): string {
  return webviewPage(
    r,
    'Mailsmith Profile Settings',
    `<div class="layout">
  <nav class="sidebar" aria-labelledby="profiles-heading">
    <div class="sidebar-header">
      <h2 id="profiles-heading">Profiles</h2>
      <button type="button" id="new-profile" class="icon-button" title="New profile" aria-label="New profile"><span class="codicon codicon-add" aria-hidden="true"></span></button>
    </div>
    <ul id="profile-list" aria-labelledby="profiles-heading"></ul>
    <div class="sidebar-actions">
      <button type="button" id="import" class="secondary"><span class="codicon codicon-desktop-download" aria-hidden="true"></span> Import…</button>
    </div>
  </nav>
  <main>
    <form id="form" novalidate aria-labelledby="form-title">
      <h1 id="form-title">New profile</h1>
      <div id="banner" class="banner" role="status" hidden></div>
      <div class="field preset" data-field="preset">
        <label for="preset">Provider preset</label>
        <select id="preset" aria-describedby="preset-note"><option value="">Choose a provider to fill host, port and security…</option></select>
        <div class="hint" id="preset-note"></div>
      </div>
      <fieldset>
        <legend>Server</legend>
        ${group('server')}
      </fieldset>
      <fieldset>
        <legend>Sign-in</legend>
        ${group('sign-in', { user: PASSWORD_FIELD })}
      </fieldset>
      <fieldset id="oauth-fields">
        <legend>OAuth 2.0 sign-in</legend>
        ${group('oauth', { vscodeAccount: SIGN_IN_BLOCK })}
      </fieldset>
      <fieldset>
        <legend>Message defaults</legend>
        ${group('defaults')}
      </fieldset>
      <fieldset>
        <legend>Sending</legend>
        ${group('sending')}
      </fieldset>
      <div id="form-errors" class="message" role="alert"></div>
      <div class="actions">
        <button type="submit" id="save"><span class="codicon codicon-save" aria-hidden="true"></span> Save</button>
        <button type="button" id="revert" class="secondary">Revert</button>
        <button type="button" id="test" class="secondary"><span class="codicon codicon-debug-start" aria-hidden="true"></span> Test connection</button>
        <button type="button" id="export" class="secondary"><span class="codicon codicon-export" aria-hidden="true"></span> Export YAML</button>
        <button type="button" id="make-active" class="secondary">Use this profile</button>
        <button type="button" id="delete" class="secondary danger"><span class="codicon codicon-trash" aria-hidden="true"></span> Delete</button>
      </div>
      <section class="doctor" aria-labelledby="doctor-heading">
        <h2 id="doctor-heading">Connection test</h2>
        <p id="doctor-summary" class="hint">Runs DNS, TCP, banner, EHLO, TLS, AUTH, NOOP and QUIT against the server. Nothing is sent. The SMTP dialogue goes to the Mailsmith log.</p>
        <ol id="doctor" aria-live="polite"></ol>
        <button type="button" id="show-log" class="secondary" hidden><span class="codicon codicon-output" aria-hidden="true"></span> Show SMTP dialogue</button>
      </section>
    </form>
  </main>
</div>
<dialog id="import-dialog" aria-labelledby="import-title">
  <form method="dialog" id="import-form">
    <h2 id="import-title">Import SMTP settings</h2>
    <label for="import-text">Paste a Dapr bindings.smtp component (YAML), a curl command line or smtp:// URL, or a Sesam system:smtp (JSON).</label>
    <textarea id="import-text" rows="12" spellcheck="false" aria-describedby="import-error"></textarea>
    <div id="import-error" class="message" role="alert"></div>
    <div class="actions">
      <button type="button" id="import-go">Import</button>
      <button type="button" id="import-file" class="secondary">Choose file…</button>
      <button type="button" id="import-cancel" class="secondary">Cancel</button>
    </div>
  </form>
</dialog>`,
  );
}

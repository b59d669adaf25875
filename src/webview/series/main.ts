// The series review page, inside the webview: one row per message (subject, recipients with the origin of
// every added Cc, size, threading, problems, outcome), the form that stands for the command line, and the
// actions Send all, Send to myself first, Skip, Edit, Send the rest. Everything from the panel is written
// with textContent only.
import { THREAD_CHOICES, type SeriesFormOptions, type SeriesHostMessage, type SeriesPageMessage, type SeriesPageState } from './protocol';

interface VsCodeApi {
  postMessage(message: SeriesPageMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();
const post = (m: SeriesPageMessage): void => vscode.postMessage(m);

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
};

const title = $('title');
const summary = $('summary');
const banner = $('banner');
const notices = $<HTMLUListElement>('notices');
const rows = $<HTMLTableSectionElement>('rows');
const sendAll = $<HTMLButtonElement>('send-all');
const sendSelf = $<HTMLButtonElement>('send-self');
const resend = $<HTMLButtonElement>('resend');
const form = $<HTMLFormElement>('options');
const toInput = $<HTMLInputElement>('opt-to');
const ccInput = $<HTMLInputElement>('opt-cc');
const inReplyToInput = $<HTMLInputElement>('opt-in-reply-to');
const threadSelect = $<HTMLSelectElement>('opt-thread');
const repoCommands = $<HTMLInputElement>('opt-repo-commands');
const repoCommandsField = $('opt-repo-commands-field');
const repoCommandsText = $('opt-repo-commands-text');

for (const choice of THREAD_CHOICES) threadSelect.append(Object.assign(el('option', undefined, choice), { value: choice }));

let state: SeriesPageState | undefined;

function readOptions(): SeriesFormOptions {
  return {
    to: toInput.value,
    cc: ccInput.value,
    inReplyTo: inReplyToInput.value,
    thread: threadSelect.value as SeriesFormOptions['thread'],
    runRepositoryCommands: repoCommands.checked,
  };
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function recipientList(label: string, list: SeriesPageState['review']['rows'][number]['to']): HTMLElement {
  const block = el('div', 'recipients');
  block.append(el('span', 'label', `${label}:`));
  if (!list.length) block.append(el('span', 'none', ' (none)'));
  for (const r of list) {
    const item = el('span', r.added ? 'recipient added' : 'recipient', r.text);
    if (r.added) {
      const origin = el('span', 'origin', r.origin);
      origin.title = `Added from ${r.origin}`;
      item.append(' ', origin);
    }
    block.append(' ', item);
  }
  return block;
}

function render(): void {
  if (!state) return;
  const { review } = state;
  const active = review.rows.filter((r) => !state!.skipped.includes(r.index));
  title.textContent = `${review.title || '(untitled series)'}${review.version > 1 ? ` (v${review.version})` : ''}`;
  summary.textContent = `${active.length} of ${review.rows.length} messages from ${review.sender || '(no sender)'} through "${review.profile.name}"${
    review.profile.captureInbox ? ' (the local capture inbox: nothing leaves this machine)' : ` (${review.profile.host}:${review.profile.port})`
  }, threading ${review.thread}${review.inReplyTo ? ` under ${review.inReplyTo}` : ''}.`;
  banner.hidden = !state.banner;
  banner.className = `banner ${state.banner?.kind ?? ''}`;
  banner.textContent = state.banner?.text ?? '';
  notices.replaceChildren(
    ...review.notices.map((n) => el('li', 'notice', n)),
    ...review.problems.map((p) => el('li', `problem ${p.severity}`, `${p.severity}: ${p.message} (${p.code})`)),
  );
  if (document.activeElement?.closest('#options') === null || document.activeElement === document.body) {
    toInput.value = state.options.to;
    ccInput.value = state.options.cc;
    inReplyToInput.value = state.options.inReplyTo;
    threadSelect.value = state.options.thread;
    repoCommands.checked = state.options.runRepositoryCommands;
  }
  repoCommandsField.hidden = state.repositoryCommands.length === 0 && !state.options.runRepositoryCommands;
  repoCommandsText.textContent = state.repositoryCommands.join('; ');
  rows.replaceChildren(
    ...review.rows.map((row) => {
      const tr = el('tr', 'row');
      tr.dataset.index = String(row.index);
      const skipped = state!.skipped.includes(row.index);
      if (skipped) tr.classList.add('skipped');
      tr.append(el('td', 'number', String(row.index + 1)));
      const subject = el('td', 'subject');
      subject.append(el('div', 'subject-text', row.subject));
      if (row.inReplyTo) subject.append(el('div', 'thread', `In-Reply-To ${row.inReplyTo}`));
      tr.append(subject);
      const who = el('td', 'who');
      who.append(recipientList('To', row.to), recipientList('Cc', row.cc));
      tr.append(who);
      tr.append(el('td', 'size', formatSize(row.size)));
      const problems = el('td', 'problems');
      for (const p of row.problems) problems.append(el('div', `problem ${p.severity}`, `${p.severity}: ${p.message}`));
      tr.append(problems);
      const outcome = state!.outcomes.find((o) => o.index === row.index);
      const status = el('td', `status ${outcome?.status ?? ''}`, outcome ? outcome.status : skipped ? 'skipped' : '');
      if (outcome) status.title = outcome.summary;
      tr.append(status);
      const actions = el('td', 'actions');
      const skip = el('button', 'secondary skip', skipped ? 'Include' : 'Skip');
      skip.type = 'button';
      skip.disabled = state!.busy;
      skip.setAttribute('aria-label', `${skipped ? 'Include' : 'Skip'} message ${row.index + 1}`);
      skip.addEventListener('click', () => post({ type: 'skip', index: row.index, skip: !skipped }));
      const edit = el('button', 'secondary edit', 'Edit');
      edit.type = 'button';
      edit.setAttribute('aria-label', `Edit message ${row.index + 1}`);
      edit.addEventListener('click', () => post({ type: 'edit', index: row.index }));
      actions.append(skip, edit);
      tr.append(actions);
      return tr;
    }),
  );
  const canSend = review.sendable && !state.busy && active.length > 0;
  sendAll.disabled = !canSend || state.alreadySent;
  sendAll.title = state.alreadySent ? 'This series went already: Send the rest sends what did not' : '';
  sendSelf.disabled = !canSend;
  if (!review.sendable) sendAll.title = 'Fix the errors first';
  resend.hidden = state.resend.length === 0;
  resend.disabled = state.busy;
  resend.textContent = `Send the rest (${state.resend.length})`;
}

window.addEventListener('message', (event: MessageEvent<SeriesHostMessage>) => {
  const message = event.data;
  if (message?.type === 'state') {
    state = message.state;
    render();
  } else if (message?.type === 'progress' && state) {
    state.outcomes = [...state.outcomes.filter((o) => o.index !== message.index), { index: message.index, status: message.status, summary: message.status }];
    render();
  }
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  post({ type: 'apply', options: readOptions() });
});
sendAll.addEventListener('click', () => state && post({ type: 'send', mode: 'all', fingerprint: state.review.fingerprint }));
sendSelf.addEventListener('click', () => state && post({ type: 'send', mode: 'self', fingerprint: state.review.fingerprint }));
resend.addEventListener('click', () => state && post({ type: 'resend', fingerprint: state.review.fingerprint }));
$('refresh').addEventListener('click', () => post({ type: 'refresh' }));

post({ type: 'ready' });

// The preview page: shows a message sent by the panel. Everything from the message is set with
// textContent, except the HTML part, which goes into a sandboxed iframe (no allow-scripts, no
// allow-same-origin) as srcdoc with its own CSP, under this page's CSP, which it inherits.
import type { BlockedKind, HostToPage, PageToHost, PreviewMessage, RemoteContent } from './protocol';

declare function acquireVsCodeApi(): { postMessage(message: PageToHost): void };
const vscode = acquireVsCodeApi();

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
let view: 'html' | 'text' = 'html';
let current: PreviewMessage | undefined;
let currentSeq = 0;
let remoteAllowed = false;
/** The id the panel wrote into this page: named in every message, so the panel can ignore an older page. */
const pageId = document.body.dataset.page ?? '';

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function render(message: PreviewMessage, remoteImagesAllowed: boolean): void {
  const previous = current;
  current = message;
  remoteAllowed = remoteImagesAllowed;
  const errors = $('errors');
  errors.hidden = message.errors.length === 0;
  errors.replaceChildren(...message.errors.map((e) => Object.assign(document.createElement('p'), { textContent: e })));
  $('h-from').textContent = message.from;
  $('h-to').textContent = message.to;
  $('h-cc').textContent = message.cc;
  $('row-cc').hidden = !message.cc;
  $('h-subject').textContent = message.subject;
  $('h-date').textContent = message.date ? new Date(message.date).toUTCString() : '';
  $('meta').textContent = message.errors.length ? '' : `${message.origin === 'captured' ? 'Captured' : 'As it will be sent'} · ${formatSize(message.size)}`;

  const hasHtml = message.frame !== undefined;
  const hasText = message.text !== undefined;
  if (!hasHtml) view = 'text';
  else if (!previous || previous.frame === undefined) view = 'html';
  $('tab-html').hidden = !hasHtml;
  $('tab-text').hidden = !hasText || !hasHtml;
  $('tab-html').setAttribute('aria-selected', String(view === 'html'));
  $('tab-text').setAttribute('aria-selected', String(view === 'text'));
  const frame = $<HTMLIFrameElement>('html-body');
  frame.hidden = view !== 'html' || !hasHtml;
  // Setting srcdoc reloads the frame: only when the message changed (typing keeps the scroll otherwise).
  if (hasHtml && frame.srcdoc !== message.frame) frame.srcdoc = message.frame as string;
  const text = $('text-body');
  text.hidden = view !== 'text';
  text.textContent = message.text ?? '';

  const note = remoteNote(message.remote, remoteImagesAllowed);
  $('remote-note').hidden = !note.text;
  $('remote-note').textContent = note.text;
  $('remote-note').title = note.detail;
  $('load-remote').hidden = !(message.remote.images > 0 && !remoteImagesAllowed) || view !== 'html';
  $('open-source').hidden = message.origin !== 'captured';

  const list = $('attachments');
  list.replaceChildren(
    ...message.attachments.map((a) => {
      const item = document.createElement('li');
      const name = Object.assign(document.createElement('span'), { className: 'name', textContent: a.filename });
      const detail = Object.assign(document.createElement('span'), { className: 'detail', textContent: `${a.mimeType} · ${formatSize(a.size)}${a.inline ? ' · inline' : ''}` });
      item.append(name, detail);
      if (a.source) item.append(Object.assign(document.createElement('span'), { className: 'source', textContent: `from ${a.source}` }));
      return item;
    }),
  );
  list.parentElement!.hidden = message.attachments.length === 0;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * What the frame does not load, counted as the panel found it in the markup: the images until the user
 * allows them, and the other remote loads (stylesheets, fonts, frames...), which stay blocked.
 */
function remoteNote(remote: RemoteContent, imagesAllowed: boolean): { text: string; detail: string } {
  const images = imagesAllowed ? 0 : remote.images;
  const kinds = Object.entries(remote.other) as [BlockedKind, number][];
  const other = kinds.reduce((sum, [, n]) => sum + n, 0);
  const parts = [images ? plural(images, 'remote image') : '', other ? `${plural(other, images ? 'other remote load' : 'remote load')}` : ''].filter(Boolean);
  return {
    text: parts.length ? `${parts.join(' and ')} blocked` : '',
    detail: kinds.map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind)).join(', '),
  };
}

$('tab-html').addEventListener('click', () => {
  view = 'html';
  if (current) render(current, remoteAllowed);
});
$('tab-text').addEventListener('click', () => {
  view = 'text';
  if (current) render(current, remoteAllowed);
});
$('load-remote').addEventListener('click', () => vscode.postMessage({ type: 'loadRemoteImages', page: pageId, seq: currentSeq }));
$('open-source').addEventListener('click', () => vscode.postMessage({ type: 'openSource', page: pageId }));

window.addEventListener('message', (event: MessageEvent<HostToPage>) => {
  const data = event.data;
  if (data?.type === 'show') {
    currentSeq = data.seq;
    render(data.message, data.remoteImagesAllowed);
    document.body.dataset.state = 'shown';
  }
});
vscode.postMessage({ type: 'ready', page: pageId });

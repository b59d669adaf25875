// The series review page's markup: static (the series arrives by message and is written with textContent),
// in the shared shell with its strict CSP (../webviewPage.ts).
import { webviewPage, type WebviewPageResources } from '../webviewPage';

export function renderSeriesPage(r: WebviewPageResources): string {
  return webviewPage(
    r,
    'Patch Series',
    `<main>
  <header>
    <h1 id="title">Patch series</h1>
    <p id="summary" class="hint"></p>
  </header>
  <div id="banner" class="banner" role="status" hidden></div>
  <form id="options" aria-label="Recipients and threading">
    <div class="field"><label for="opt-to">To</label><input id="opt-to" type="text" spellcheck="false" placeholder="list@example.org, maintainer@example.org"></div>
    <div class="field"><label for="opt-cc">Cc</label><input id="opt-cc" type="text" spellcheck="false"></div>
    <div class="field"><label for="opt-in-reply-to">In-Reply-To</label><input id="opt-in-reply-to" type="text" spellcheck="false" placeholder="&lt;cover-letter-of-v1@example.org&gt;"></div>
    <div class="field"><label for="opt-thread">Threading</label><select id="opt-thread"></select></div>
    <div class="field checkbox" id="opt-repo-commands-field" hidden>
      <input id="opt-repo-commands" type="checkbox">
      <label for="opt-repo-commands">Run the command the repository's git config names: <code id="opt-repo-commands-text"></code></label>
    </div>
    <div class="actions"><button type="submit" id="apply" class="secondary"><span class="codicon codicon-check" aria-hidden="true"></span> Apply</button>
    <button type="button" id="refresh" class="secondary"><span class="codicon codicon-refresh" aria-hidden="true"></span> Read the files again</button></div>
  </form>
  <ul id="notices" class="notices"></ul>
  <table class="series" aria-label="Messages of the series">
    <thead><tr><th>#</th><th>Subject</th><th>Recipients</th><th>Size</th><th>Problems</th><th>Outcome</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody id="rows"></tbody>
  </table>
  <div class="actions main-actions">
    <button type="button" id="send-all"><span class="codicon codicon-send" aria-hidden="true"></span> Send all</button>
    <button type="button" id="send-self" class="secondary"><span class="codicon codicon-person" aria-hidden="true"></span> Send to myself first</button>
    <button type="button" id="resend" class="secondary" hidden>Send the rest</button>
  </div>
</main>`,
  );
}

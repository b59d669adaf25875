import * as assert from 'node:assert/strict';
import { renderPage } from '../../../src/vscode/profileSettings/html';
import { webviewPageCsp } from '../../../src/vscode/webviewPage';
import { DRAFT_TEXT_FIELDS } from '../../../src/webview/profiles/protocol';

describe('profile settings: page markup', () => {
  const resources = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'bm9uY2Vub25jZW5vbmNl',
    scriptUri: 'https://x/dist/webview/profiles.js',
    styleUri: 'https://x/media/profiles.css',
    codiconsUri: 'https://x/dist/codicons/codicon.css',
  };
  const html = renderPage(resources);

  it('has a CSP that allows nothing by default and scripts only with the nonce', () => {
    const csp = webviewPageCsp(resources);
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-bm9uY2Vub25jZW5vbmNl'$/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.ok(html.includes(`content="${csp}"`));
  });

  it('has no inline script or style, and its one script carries the nonce', () => {
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${resources.nonce}" src="${resources.scriptUri}">`]);
    assert.doesNotMatch(html, /<style|style="|on(click|load|input)=/i);
  });

  it('labels every input, select and textarea', () => {
    const ids = [...html.matchAll(/<(?:input|select|textarea)[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(ids.length >= DRAFT_TEXT_FIELDS.length + 4);
    for (const id of ids) assert.ok(html.includes(`<label for="${id}"`), `no label for #${id}`);
    for (const field of DRAFT_TEXT_FIELDS) assert.ok(ids.includes(`f-${field}`), field);
  });
});

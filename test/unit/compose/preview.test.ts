import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { prepareDocument } from '../../../src/core/document';
import { buildFrameDocument } from '../../../src/vscode/preview/frameDocument';
import { previewCsp, previewHtml } from '../../../src/vscode/preview/html';
import { messageView } from '../../../src/vscode/preview/messageView';
import { fixture } from '../../support/paths';

const NONCE = 'bm9uY2Utbm9uY2Utbm9uY2U=';
const SCRIPT_NONCE = 'c2NyaXB0LXNjcmlwdC1zY3I=';
const RESOURCES = { cspSource: 'vscode-webview://x', scriptNonce: SCRIPT_NONCE, styleNonce: NONCE, pageId: 'page-1', remoteImagesAllowed: false, scriptUri: 'vscode-webview://x/preview.js', styleUri: 'vscode-webview://x/preview.css' };

describe('Preview: the message as a recipient sees it', () => {
  it('parses the final bytes: headers, both bodies, attachments with sizes, cid images as data: URIs', async () => {
    const path = fixture('compose', 'markdown', 'newsletter.eml');
    const prepared = await prepareDocument(readFileSync(path), { baseDir: dirname(path), now: new Date('2026-11-23T09:30:00Z') });
    assert.ok(prepared.ok);
    const view = await messageView(prepared.message.raw, 'draft', 'newsletter.eml', { remoteImagesAllowed: false, styleNonce: NONCE });
    assert.deepEqual(
      { from: view.from, to: view.to, cc: view.cc, subject: view.subject, size: view.size, remote: view.remote },
      { from: 'Ann Example <ann@example.com>', to: 'Bob <bob@example.org>', cc: '', subject: 'Quarterly notes: café edition', size: prepared.message.size, remote: { images: 1, other: {} } },
    );
    assert.equal(new Date(view.date).toISOString(), '2026-11-23T09:30:00.000Z');
    assert.deepEqual(view.attachments, [
      { filename: 'logo.png', mimeType: 'image/png', size: 70, inline: true },
      { filename: 'report.pdf', mimeType: 'application/pdf', size: 121, inline: false },
    ]);
    const logo = readFileSync(fixture('compose', 'markdown', 'img', 'logo.png')).toString('base64');
    assert.ok(view.frame?.includes(`<img src="data:image/png;base64,${logo}" alt="Our logo">`));
    assert.ok(!view.frame?.includes('cid:'));
    assert.match(view.text ?? '', /^# Quarterly notes/);
  });

  it('frames the HTML with a CSP: no script, images from data: only until remote images are allowed', async () => {
    const blocked = await buildFrameDocument('<html><head><title>t</title><style>p{color:red}</style></head><body><p>x</p></body></html>', { remoteImagesAllowed: false, styleNonce: NONCE });
    assert.match(blocked.html, /^<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-[^']+'; font-src data:; script-src 'none'; form-action 'none'; base-uri 'none'">/);
    assert.ok(blocked.html.includes(`<style nonce="${NONCE}">p{color:red}</style>`), 'the message’s own style elements apply');
    const allowed = await buildFrameDocument('<p>fragment</p>', { remoteImagesAllowed: true, styleNonce: NONCE });
    assert.match(allowed.html, /^<!DOCTYPE html><html><head><meta [^>]*img-src data: https: http:;/);
    assert.match(allowed.html, /<body><p>fragment<\/p>$/);
  });

  it('gives the page a strict CSP with nonces and a sandboxed frame without allow-scripts', () => {
    const html = previewHtml(RESOURCES);
    assert.ok(html.includes(previewCsp(RESOURCES)));
    assert.equal(
      previewCsp(RESOURCES),
      `default-src 'none'; img-src data:; style-src vscode-webview://x 'nonce-${NONCE}'; font-src data:; script-src 'nonce-${SCRIPT_NONCE}'; frame-src 'none'; form-action 'none'`,
    );
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    assert.match(html, /<iframe id="html-body" title="Message body \(HTML\)" sandbox=""><\/iframe>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="c2NyaXB0LXNjcmlwdC1zY3I=" src="vscode-webview:\/\/x\/preview.js"><\/script>/);
    assert.match(html, /<body data-page="page-1">/);
  });

  it('widens only img-src, and only to http(s), when the user allowed remote images', () => {
    const allowed = previewCsp({ ...RESOURCES, remoteImagesAllowed: true });
    assert.equal(allowed, previewCsp(RESOURCES).replace('img-src data:;', 'img-src data: https: http:;'));
  });
});

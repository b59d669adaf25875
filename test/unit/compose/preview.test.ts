import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { prepareDocument } from '../../../src/core/document';
import { previewCsp, previewHtml } from '../../../src/vscode/preview/html';
import { frameDocument, messageView } from '../../../src/vscode/preview/messageView';
import { fixture } from '../../support/paths';

const NONCE = 'bm9uY2Utbm9uY2Utbm9uY2U=';

describe('Preview: the message as a recipient sees it', () => {
  it('parses the final bytes: headers, both bodies, attachments with sizes, cid images as data: URIs', async () => {
    const path = fixture('compose', 'markdown', 'newsletter.eml');
    const prepared = await prepareDocument(readFileSync(path), { baseDir: dirname(path), now: new Date('2026-11-23T09:30:00Z') });
    assert.ok(prepared.ok);
    const view = await messageView(prepared.message.raw, 'draft', 'newsletter.eml', false, NONCE);
    assert.deepEqual(
      { from: view.from, to: view.to, cc: view.cc, subject: view.subject, size: view.size, remoteImages: view.remoteImages },
      { from: 'Ann Example <ann@example.com>', to: 'Bob <bob@example.org>', cc: '', subject: 'Quarterly notes: café edition', size: prepared.message.size, remoteImages: 1 },
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

  it('frames the HTML with a CSP: no script, images from data: only until remote images are allowed', () => {
    const blocked = frameDocument('<html><head><title>t</title><style>p{color:red}</style></head><body><p>x</p></body></html>', false, NONCE);
    assert.match(blocked, /^<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-[^']+'; font-src data:; script-src 'none'; form-action 'none'">/);
    assert.ok(blocked.includes(`<style nonce="${NONCE}">p{color:red}</style>`), 'the message’s own style elements apply');
    const allowed = frameDocument('<p>fragment</p>', true, NONCE);
    assert.match(allowed, /^<!DOCTYPE html><html><head><meta [^>]*img-src data: https: http:;/);
    assert.match(allowed, /<body><p>fragment<\/p><\/body>/);
  });

  it('gives the page a strict CSP with a nonce and a sandboxed frame without allow-scripts', () => {
    const html = previewHtml({ cspSource: 'vscode-webview://x', nonce: NONCE, scriptUri: 'vscode-webview://x/preview.js', styleUri: 'vscode-webview://x/preview.css' });
    assert.ok(html.includes(previewCsp({ cspSource: 'vscode-webview://x', nonce: NONCE })));
    assert.match(previewCsp({ cspSource: 'c', nonce: NONCE }), /^default-src 'none'; .*script-src 'nonce-[^']+'; frame-src 'none'$/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    assert.match(html, /<iframe id="html-body" title="Message body \(HTML\)" sandbox=""><\/iframe>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });
});

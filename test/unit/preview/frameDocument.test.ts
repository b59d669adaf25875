// The frame document builder in plain Node: the policy comes first whatever the message holds, the
// message's remote loads are counted as the hostile corpus says, and the loads Chromium starts before its
// CSP check are neutralised. What Chromium then does with it: chromium.test.ts.
import * as assert from 'node:assert/strict';
import type { DefaultTreeAdapterTypes } from 'parse5' with { 'resolution-mode': 'import' };
import { buildFrameDocument, frameCsp } from '../../../src/vscode/preview/frameDocument';
import { HOSTILE_CASES, hostileMessageHtml } from '../../support/hostileHtml';

const NONCE = 'c3R5bGUtbm9uY2UtMTIzNA==';
const TRACKER = 'http://127.0.0.1:9';
const blocked = { remoteImagesAllowed: false, styleNonce: NONCE };

type Element = DefaultTreeAdapterTypes.Element;

/** The elements of the built document's head, as the HTML parser (parse5, the spec's algorithm) builds them. */
async function headOf(html: string): Promise<{ name: string; attrs: Record<string, string> }[]> {
  const { parse } = await import('parse5');
  const child = (parent: DefaultTreeAdapterTypes.ParentNode, name: string) => parent.childNodes.find((n): n is Element => n.nodeName === name);
  const head = child(child(parse(html), 'html')!, 'head')!;
  return head.childNodes.filter((n): n is Element => 'tagName' in n).map((e) => ({ name: e.tagName, attrs: Object.fromEntries(e.attrs.map((a) => [a.name, a.value])) }));
}

describe('Preview frame document: the policy first, remote loads counted and neutralised', () => {
  it('puts the policy first in a head of its own, whatever head the message has or hides', async () => {
    for (const c of HOSTILE_CASES.filter((c) => c.name.includes('head'))) {
      const { html } = await buildFrameDocument(c.html(`${TRACKER}/${c.name}`), blocked);
      const head = await headOf(html);
      assert.deepEqual(head[0], { name: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: frameCsp(blocked) } }, c.name);
      assert.equal(head.filter((e) => e.attrs['http-equiv']?.toLowerCase() === 'content-security-policy').length, 1, `${c.name}: only our policy is in the head`);
      assert.deepEqual(
        head.map((e) => e.name),
        ['meta', 'meta', 'meta', 'base'],
        `${c.name}: nothing of the message reaches the head`,
      );
    }
  });

  it('allows only data: images until remote images are allowed, then http(s) images and nothing more', () => {
    assert.equal(frameCsp(blocked), `default-src 'none'; img-src data:; style-src 'nonce-${NONCE}'; font-src data:; script-src 'none'; form-action 'none'; base-uri 'none'`);
    assert.equal(frameCsp({ ...blocked, remoteImagesAllowed: true }), frameCsp(blocked).replace('img-src data:;', 'img-src data: https: http:;'));
  });

  for (const c of HOSTILE_CASES) {
    it(`counts ${c.name}: ${c.tries}`, async () => {
      const { remote } = await buildFrameDocument(c.html(`${TRACKER}/${c.name}`), blocked);
      assert.deepEqual(remote, { images: c.images, other: c.other ?? {} });
    });
  }

  it('counts the whole corpus in one message as the sum of its cases', async () => {
    const { remote } = await buildFrameDocument(hostileMessageHtml(TRACKER), blocked);
    const other: Record<string, number> = {};
    for (const c of HOSTILE_CASES) for (const [kind, n] of Object.entries(c.other ?? {})) other[kind] = (other[kind] ?? 0) + n;
    assert.equal(remote.images, HOSTILE_CASES.reduce((sum, c) => sum + c.images, 0));
    assert.deepEqual(remote.other, other);
  });

  it('neutralises what Chromium starts before its CSP check: frame src, targets, resource hints, refresh', async () => {
    const message =
      `<iframe src="${TRACKER}/f" srcdoc="<img src=${TRACKER}/n>"></iframe><a target=_self href="${TRACKER}/a">a</a><form target="x"><button formtarget="_top">b</button></form>` +
      `<link rel="preconnect dns-prefetch" href="${TRACKER}"><link rel=stylesheet href="${TRACKER}/s.css"><meta http-equiv="Refresh" content="0;url=${TRACKER}/r">`;
    const { html } = await buildFrameDocument(message, blocked);
    const body = html.slice(html.indexOf('<body>') + '<body>'.length);
    assert.equal(
      body,
      `<iframe src="" srcdoc=""></iframe><a target="_blank" href="${TRACKER}/a">a</a><form target="_blank"><button formtarget="_blank">b</button></form>` +
        `<link rel="" href="${TRACKER}"><link rel=stylesheet href="${TRACKER}/s.css"><meta http-equiv="" content="0;url=${TRACKER}/r">`,
    );
  });

  it('rewrites the first of duplicated attributes, the one the parser keeps', async () => {
    const { html } = await buildFrameDocument(`<iframe src="${TRACKER}/first" SRC="x"></iframe><a target="_top" target="_blank">a</a>`, blocked);
    assert.ok(html.endsWith(`<iframe src="" SRC="x"></iframe><a target="_blank" target="_blank">a</a>`), html);
  });

  it("gives the message's own <style> elements (HTML and SVG) the panel's style nonce, first, so theirs is ignored", async () => {
    const { html } = await buildFrameDocument('<STYLE nonce="guess">p{}</STYLE><svg><style>rect{}</style></svg><p title="<style>">x</p><!-- <style> -->', blocked);
    assert.ok(html.endsWith(`<STYLE nonce="${NONCE}" nonce="guess">p{}</STYLE><svg><style nonce="${NONCE}">rect{}</style></svg><p title="<style>">x</p><!-- <style> -->`), html);
  });

  it('keeps offsets right in CRLF text and after non-ASCII characters', async () => {
    const { html } = await buildFrameDocument(`<p>café 🚀</p>\r\n<a target=_self\r\n href=x>é</a>\r\n<style>p{}</style>`, blocked);
    assert.ok(html.endsWith(`<p>café 🚀</p>\r\n<a target="_blank"\r\n href=x>é</a>\r\n<style nonce="${NONCE}">p{}</style>`), html);
  });

  it('leaves a message without remote content as it was, after the head', async () => {
    const message = '<html><head><title>Hi</title></head><body><h1>Hello</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></body></html>';
    const built = await buildFrameDocument(message, blocked);
    assert.deepEqual(built.remote, { images: 0, other: {} });
    assert.ok(built.html.endsWith(`</head><body>${message}`));
  });
});

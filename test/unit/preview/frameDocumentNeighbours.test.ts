// The neighbours of each rule of the frame builder: every element that takes a background next to one that
// does not, a picture's img next to a lone one, `_BLANK` next to `_blank`, the srcdoc depth exactly at its
// limit and one over, each spelling of a refresh, an attribute merged into the frame's own body (it has no
// place in the text to rewrite), MathML next to SVG, edits that come out of order. What Chromium does with
// the result is chromium.test.ts; these pin what the builder counts and writes.
import * as assert from 'node:assert/strict';
import { buildFrameDocument, frameHead } from '../../../src/vscode/preview/frameDocument';

const NONCE = 'bm9uY2UtbmVpZ2hib3Vycw==';
const T = 'http://127.0.0.1:9';
const blocked = { remoteImagesAllowed: false, styleNonce: NONCE };

async function built(message: string): Promise<{ body: string; images: number; other: Record<string, number> }> {
  const { html, remote } = await buildFrameDocument(message, blocked);
  const head = frameHead(blocked);
  assert.ok(html.startsWith(head), 'our head comes first, as written');
  assert.ok(head.startsWith('<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\';'), 'a standards-mode document whose head opens with the policy');
  return { body: html.slice(head.length), images: remote.images, other: remote.other as Record<string, number> };
}

async function counts(message: string): Promise<{ images: number; other: Record<string, number> }> {
  const { images, other } = await built(message);
  return { images, other };
}

/** A srcdoc attribute value holding `html`, escaped for a double-quoted attribute. */
const srcdoc = (html: string) => `<iframe srcdoc="${html.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"></iframe>`;

describe('Preview frame document: the neighbours of each rule', () => {
  describe('images', () => {
    it('every element with a background attribute counts it; others with one do not', async () => {
      const table = (inner: string) => `<table background="${T}/table.gif">${inner}</table>`;
      assert.deepEqual(await counts(table(`<thead background="${T}/a"><tr background="${T}/b"><th background="${T}/c">h</th></tr></thead><tbody background="${T}/d"><tr><td background="${T}/e">x</td></tr></tbody><tfoot background="${T}/f"><tr><td>f</td></tr></tfoot>`)), { images: 7, other: {} });
      assert.deepEqual(await counts(`<div background="${T}/div.gif">x</div><p background="${T}/p.gif">y</p><span background="${T}/s">z</span>`), { images: 0, other: {} });
      assert.deepEqual(await counts(`<table background="relative.gif"><tr><td background="data:image/gif;base64,R0lG">x</td></tr></table>`), { images: 0, other: {} });
    });

    it('a picture loads one image from its img or its sources; other children do not count', async () => {
      assert.deepEqual(await counts(`<picture><source srcset="${T}/a.gif"><source srcset="${T}/b.gif 2x"><img src="local.gif" alt=""></picture>`), { images: 1, other: {} });
      assert.deepEqual(await counts(`<picture><source srcset="local.gif"><source srcset="local.gif, ${T}/b.gif 2x"><img src="local.gif" alt=""></picture>`), { images: 1, other: {} });
      assert.deepEqual(await counts(`<picture><source srcset="local.gif"><img src="local.gif" alt=""></picture>`), { images: 0, other: {} });
      assert.deepEqual(await counts(`<picture><span srcset="${T}/span.gif"></span><img src="local.gif" alt=""></picture>`), { images: 0, other: {} });
      assert.deepEqual(await counts(`<picture><source src="${T}/src.gif"><img src="local.gif" alt=""></picture>`), { images: 0, other: {} }, 'a source in a picture is chosen by its srcset only');
      assert.deepEqual(await counts(`<div><source srcset="${T}/x.gif"><img src="local.gif" alt=""></div>`), { images: 0, other: {} }, 'a source next to an img outside a picture is not its candidate');
      assert.deepEqual(await counts(`<img srcset="local.gif 1x, ${T}/2x.gif 2x" alt="">`), { images: 1, other: {} });
    });

    it('an input counts its src only when it is an image button, whatever the case of its type', async () => {
      assert.deepEqual(await counts(`<input type="IMAGE" src="${T}/go.gif" alt="go">`), { images: 1, other: {} });
      assert.deepEqual(await counts(`<input type="text" src="${T}/no.gif"><input src="${T}/none.gif">`), { images: 0, other: {} });
    });

    it('video: its poster is an image, its src media; a track is media', async () => {
      assert.deepEqual(await counts(`<video poster="${T}/p.gif"></video>`), { images: 1, other: {} });
      assert.deepEqual(await counts(`<video src="${T}/v.mp4"><track src="${T}/t.vtt"></video>`), { images: 0, other: { media: 2 } });
      assert.deepEqual(await counts(`<audio><source src="${T}/a.mp3"></audio>`), { images: 0, other: { media: 1 } });
    });

    it('SVG: feImage is an image, use a reference, script a script; in SVG, HTML rules do not apply', async () => {
      assert.deepEqual(await counts(`<svg><filter><feImage href="${T}/fe.gif"/></filter></svg>`), { images: 1, other: {} });
      assert.deepEqual(await counts(`<svg><use xlink:href="${T}/s.svg#i"/><script xlink:href="${T}/s.js"></script></svg>`), { images: 0, other: { 'SVG reference': 1, script: 1 } });
      assert.deepEqual(await counts(`<svg><img src="${T}/svg-img.gif"/></svg>`).then((c) => c.images), 1, 'an img breaks out of SVG and is HTML again');
      assert.deepEqual(await counts(`<svg><video poster="${T}/p.gif"/><iframe src="${T}/f"/><link rel="stylesheet" href="${T}/l.css"/></svg>`), { images: 0, other: {} });
      assert.deepEqual(await counts(`<svg><image src="${T}/src-is-not-svg.gif"/><image href="local.gif"/></svg>`), { images: 0, other: {} });
      assert.deepEqual(await counts(`<svg><image xlink:href="${T}/x.gif" href="local.gif"/></svg>`), { images: 0, other: {} }, 'href wins over xlink:href, and a namespaced attribute is not its plain namesake');
      assert.deepEqual(await counts(`<svg><image href="local.gif" xlink:href="${T}/x.gif"/></svg>`), { images: 0, other: {} });
    });

    it('an SVG style is read as the text of its children: a comment between them hides nothing', async () => {
      const { body, images } = await built(`<svg><style>p{background:url(<!-- -->${T}/x.gif)}</style></svg>`);
      assert.equal(images, 1);
      assert.ok(body.startsWith(`<svg><style nonce="${NONCE}">`), body);
    });

    it('MathML elements are neither HTML nor SVG: their style elements get no nonce and count nothing', async () => {
      const { body, images, other } = await built(`<math><style>@import url(${T}/m.css);</style><mi>x</mi></math>`);
      assert.deepEqual({ images, other }, { images: 0, other: {} });
      assert.equal(body, `<math><style>@import url(${T}/m.css);</style><mi>x</mi></math>`);
    });
  });

  describe('links, hints, stylesheets, refresh', () => {
    it('only a resource hint loses its rel; a stylesheet counts, in any case and among other rel words', async () => {
      assert.deepEqual(await built(`<link rel="icon preconnect" href="${T}">`), { body: `<link rel="" href="${T}">`, images: 0, other: { 'resource hint': 1 } }, 'one hint among other words is enough');
      const { body, other } = await built(`<link rel="PreLoad" as="image" imagesrcset="${T}/a.gif 1x"><link rel="alternate STYLESHEET" href="${T}/s.css"><link rel="icon" href="${T}/i.ico"><link href="${T}/none">`);
      assert.deepEqual(other, { 'resource hint': 1, stylesheet: 1 });
      assert.equal(body, `<link rel="" as="image" imagesrcset="${T}/a.gif 1x"><link rel="alternate STYLESHEET" href="${T}/s.css"><link rel="icon" href="${T}/i.ico"><link href="${T}/none">`);
    });

    it('a local resource hint is neutralised but not counted', async () => {
      const { body, other } = await built('<link rel="prefetch" href="next.html">');
      assert.deepEqual(other, {});
      assert.equal(body, '<link rel="" href="next.html">');
    });

    it('a refresh in every spelling counts its target and loses its http-equiv; other metas stay', async () => {
      const metas = [
        `<meta http-equiv=" REFRESH " content="5;URL='${T}/a'">`,
        `<meta http-equiv="refresh" content="0; ${T}/b">`,
        `<meta http-equiv="refresh" content="0;url = &quot;${T}/c&quot;">`,
        `<meta http-equiv="refresh" content="10">`,
        `<meta http-equiv="refresh" content="0;url=local.html">`,
        `<meta http-equiv="refresh">`,
      ];
      const { body, other } = await built(metas.join(''));
      assert.deepEqual(other, { redirect: 3 });
      assert.equal((body.match(/http-equiv=""/g) ?? []).length, metas.length, body);
      const kept = await built(`<meta http-equiv="content-type" content="text/html; url=${T}/x"><meta name="refresh" content="0;url=${T}/y">`);
      assert.deepEqual(kept.other, {});
      assert.equal(kept.body, `<meta http-equiv="content-type" content="text/html; url=${T}/x"><meta name="refresh" content="0;url=${T}/y">`);
    });

    it('a target is rewritten unless it is _blank in any case; the same for formtarget; SVG links too', async () => {
      const { body } = await built(`<a target="_BLANK">a</a><a target="">b</a><button formtarget="_Blank">c</button><button formtarget="">d</button><svg><a target="_self"><rect/></a></svg>`);
      assert.equal(body, `<a target="_BLANK">a</a><a target="_blank">b</a><button formtarget="_Blank">c</button><button formtarget="_blank">d</button><svg><a target="_blank"><rect/></a></svg>`);
    });

    it('an attribute merged into the frame’s own body from the message’s body tag is counted, and nothing breaks', async () => {
      const message = `<html><body background="${T}/bg.gif" target="_self" style="background:url(${T}/s.gif)">x</body></html>`;
      const { body, images, other } = await built(message);
      assert.deepEqual({ images, other }, { images: 1, other: { 'inline style': 1 } });
      assert.equal(body, message, 'the merged attributes have no place in our text: nothing to rewrite');
    });
  });

  describe('frames', () => {
    it('a frame with neither src nor srcdoc is left alone; a local src is emptied but not counted', async () => {
      assert.deepEqual(await built('<iframe name="x"></iframe>'), { body: '<iframe name="x"></iframe>', images: 0, other: {} });
      assert.deepEqual(await built('<iframe src="local.html"></iframe>'), { body: '<iframe src=""></iframe>', images: 0, other: {} });
    });

    it('a srcdoc with nothing remote is emptied and not counted; one with something remote counts one frame', async () => {
      assert.deepEqual(await built(srcdoc('<p>hi</p><img src="data:image/gif;base64,R0lG">')), { body: '<iframe srcdoc=""></iframe>', images: 0, other: {} });
      assert.deepEqual(await counts(srcdoc(`<img src="${T}/1"><img src="${T}/2"><link rel=stylesheet href="${T}/3">`)), { images: 0, other: { frame: 1 } });
    });

    it('srcdoc frames are read to depth 3; one deeper counts as a frame whatever it holds', async () => {
      let local = '<p>nothing remote</p>';
      let remote = `<img src="${T}/deep.gif">`;
      const expected: [number, Record<string, number>, Record<string, number>][] = [];
      for (let depth = 1; depth <= 5; depth++) {
        local = srcdoc(local);
        remote = srcdoc(remote);
        expected.push([depth, (await counts(local)).other, (await counts(remote)).other]);
      }
      // depth = how many frames deep the innermost content is.
      assert.deepEqual(expected, [
        [1, {}, { frame: 1 }],
        [2, {}, { frame: 1 }],
        [3, {}, { frame: 1 }],
        [4, { frame: 1 }, { frame: 1 }],
        [5, { frame: 1 }, { frame: 1 }],
      ]);
    });

    it('a frameset in a srcdoc is read too: its frames count', async () => {
      assert.deepEqual(await counts(srcdoc(`<frameset><frame src="${T}/f.html"></frameset>`)), { images: 0, other: { frame: 1 } });
      assert.deepEqual(await counts(srcdoc('<frameset><frame src="local.html"></frameset>')), { images: 0, other: {} });
    });

    it('an element the parser reopens (a formatting element across a paragraph) is rewritten once, where it is written', async () => {
      const { body, other } = await built(`<p><a target="_self" style="background:url(${T}/a)">x<p>y</a>`);
      assert.equal(body, `<p><a target="_blank" style="background:url(${T}/a)">x<p>y</a>`);
      assert.deepEqual(other, { 'inline style': 2 }, 'two elements carry the style');
    });

    it('edits out of document order are applied in order: srcdoc before src, src before target', async () => {
      const { body } = await built(`<iframe srcdoc="<b>x</b>" src="${T}/f" target="_self"></iframe><iframe target="_top" src="${T}/g"></iframe>`);
      assert.equal(body, '<iframe srcdoc="" src="" target="_blank"></iframe><iframe target="_blank" src=""></iframe>');
      const adjacent = await built(`<iframe srcdoc="<b>x</b>"src="${T}/f"></iframe>`);
      assert.deepEqual(adjacent, { body: '<iframe srcdoc=""src=""></iframe>', images: 0, other: { frame: 1 } }, 'an edit that starts where the last one ended');
    });
  });

  describe('styles', () => {
    it('a style attribute counts its loads as inline style, whatever kind they would be', async () => {
      assert.deepEqual(await counts(`<p style="background:url(${T}/a); cursor:url('${T}/b'), auto">x</p><p style="color:red">y</p>`), { images: 0, other: { 'inline style': 2 } });
    });

    it('a style element counts each load by its kind; a local url counts nothing', async () => {
      const { body, images, other } = await built(`<style>@import "${T}/i.css"; @font-face{src:url(${T}/f.woff)} p{background:url(${T}/b.gif)} q{background:url(local.gif)}</style>`);
      assert.deepEqual({ images, other }, { images: 1, other: { stylesheet: 1, font: 1 } });
      assert.ok(body.startsWith(`<style nonce="${NONCE}">`), body);
    });

    it('only a declarative shadow root’s template is looked into', async () => {
      assert.deepEqual(await counts(`<template shadowrootmode="closed"><style>p{background:url(${T}/a)}</style></template>`), { images: 1, other: {} });
      assert.deepEqual(await counts(`<template shadowroot="open"><img src="${T}/b"></template><template data-shadowrootmode="open"><img src="${T}/c"></template>`), { images: 0, other: {} });
    });
  });
});

// Hostile HTML for the preview's tests: each case tries one way of reaching a "tracker" (see tracker.ts)
// or of running script, and states what the preview must count and what it may load once the user
// allows remote images. `t` is the tracker URL with the case's own path (http://127.0.0.1:PORT/<name>),
// so every request names the case it came from. Scripts, if they ever ran, would mark the document with
// `data-script-ran` (no network needed to notice).
import type { BlockedKind } from '../../src/webview/preview/protocol';

export interface HostileCase {
  name: string;
  /** What the case tries. */
  tries: string;
  html(t: string): string;
  /** Remote images the preview must count (and block until allowed). */
  images: number;
  /** Other remote loads it must count (blocked always). */
  other?: Partial<Record<BlockedKind, number>>;
  /** Paths under the case's prefix that Chromium fetches once remote images are allowed: exactly these. */
  whenAllowed: string[];
  /** Elements of the message a person might click (CSS selectors in the frame): nothing may load. */
  clicks?: string[];
}

const MARK = (how: string) => `document.documentElement.setAttribute('data-script-ran','${how}')`;

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: 'head-in-comment',
    tries: 'a <head> inside a comment before the real one, so a regex splices the policy into the comment',
    html: (t) => `<!-- <head> --><html manifest="${t}/manifest"><head><title>x</title></head><body><img src="${t}/pixel.gif" alt="pixel"></body></html>`,
    images: 1,
    whenAllowed: ['/pixel.gif'],
  },
  {
    name: 'head-in-attribute',
    tries: 'a <head> inside an attribute value',
    html: (t) => `<p title="<head>">x</p><img src="${t}/pixel.gif" alt="">`,
    images: 1,
    whenAllowed: ['/pixel.gif'],
  },
  {
    name: 'head-after-img',
    tries: 'an <img> before the message’s <head>, which carries its own permissive policy',
    html: (t) => `<img src="${t}/before-head.gif" alt=""><html><head><meta http-equiv="Content-Security-Policy" content="default-src * 'unsafe-inline'"></head><body>hi</body></html>`,
    images: 1,
    whenAllowed: ['/before-head.gif'],
  },
  {
    name: 'multiple-heads',
    tries: 'two heads, the image in between',
    html: (t) => `<html><head></head><img src="${t}/between.gif" alt=""><head><style>p{color:red}</style></head><body><p>x</p></body></html>`,
    images: 1,
    whenAllowed: ['/between.gif'],
  },
  {
    name: 'meta-refresh',
    tries: '<meta http-equiv=refresh> to the tracker',
    html: (t) => `<html><head><meta http-equiv="refresh" content="0; url=${t}/refresh"></head><body>wait</body></html>`,
    images: 0,
    other: { redirect: 1 },
    whenAllowed: [],
  },
  {
    name: 'base-href',
    tries: '<base href> at the tracker, then relative URLs',
    html: (t) => `<base href="${t}/base/"><img src="relative.gif" alt=""><a href="relative-link">link</a>`,
    images: 0,
    whenAllowed: [],
    clicks: ['a'],
  },
  {
    name: 'css-import',
    tries: '@import in a <style> element (url() and string forms; one hidden in a comment)',
    html: (t) => `<style>@import url("${t}/import.css"); @import '${t}/import2.css' screen; /* @import url(${t}/commented.css); */</style><p>x</p>`,
    images: 0,
    other: { stylesheet: 2 },
    whenAllowed: [],
  },
  {
    name: 'css-url',
    tries: 'url() in a <style> element, one spelled with a CSS escape',
    html: (t) => `<style>p.bg { background-image: url(${t}/bg.gif) } p.esc { background-image: \\75 rl('${t}/escaped.gif') }</style><p class="bg">a</p><p class="esc">b</p>`,
    images: 2,
    whenAllowed: ['/bg.gif', '/escaped.gif'],
  },
  {
    name: 'css-image-set',
    tries: 'image-set() with two candidates (Chromium loads one)',
    html: (t) => `<style>p.set { background-image: image-set("${t}/set-1x.gif" 1x, "${t}/set-2x.gif" 2x) }</style><p class="set">x</p>`,
    images: 1,
    whenAllowed: ['/set-1x.gif'],
  },
  {
    name: 'style-attribute',
    tries: 'url() in a style attribute',
    html: (t) => `<p style="background-image: url(${t}/inline.gif); width: 10px; height: 10px">x</p>`,
    images: 0,
    other: { 'inline style': 1 },
    whenAllowed: [],
  },
  {
    name: 'font-face',
    tries: 'a remote font in @font-face',
    html: (t) => `<style>@font-face { font-family: tracked; src: url(${t}/font.woff2) format("woff2") } p { font-family: tracked }</style><p>x</p>`,
    images: 0,
    other: { font: 1 },
    whenAllowed: [],
  },
  {
    name: 'svg-image',
    tries: 'SVG <image href> and <image xlink:href>',
    html: (t) =>
      `<svg width="20" height="10"><image href="${t}/svg-image.gif" width="10" height="10"/><image xlink:href="${t}/svg-xlink.gif" x="10" width="10" height="10"/></svg>`,
    images: 2,
    whenAllowed: ['/svg-image.gif', '/svg-xlink.gif'],
  },
  {
    name: 'svg-use',
    tries: 'SVG <use href> of a remote sprite, and an @import in an SVG <style>',
    html: (t) => `<svg width="10" height="10"><style>@import url(${t}/svg-style.css);</style><use href="${t}/sprite.svg#icon"/></svg>`,
    images: 0,
    other: { stylesheet: 1, 'SVG reference': 1 },
    whenAllowed: [],
  },
  {
    name: 'link-hints',
    tries: '<link rel=prefetch|preload|dns-prefetch|preconnect|prerender|modulepreload>',
    html: (t) =>
      [
        `<link rel="prefetch" href="${t}/prefetch">`,
        `<link rel="preload" as="image" href="${t}/preload.gif">`,
        `<link rel="dns-prefetch" href="${t}/">`,
        `<link rel="preconnect" href="${t}/">`,
        `<link rel="prerender" href="${t}/prerender">`,
        `<link rel="modulepreload" href="${t}/module.js">`,
      ].join(''),
    images: 0,
    other: { 'resource hint': 6 },
    whenAllowed: [],
  },
  {
    name: 'link-stylesheet',
    tries: '<link rel=stylesheet> and <link rel=icon>',
    html: (t) => `<link rel="stylesheet" href="${t}/style.css"><link rel="icon" href="${t}/favicon.ico"><p>x</p>`,
    images: 0,
    other: { stylesheet: 1 },
    whenAllowed: [],
  },
  {
    name: 'img-srcset',
    tries: '<img srcset> without src, and a <picture> source',
    html: (t) => `<img srcset="${t}/srcset-1x.gif 1x, ${t}/srcset-2x.gif 2x" alt=""><picture><source srcset="${t}/picture-source.gif"><img src="${t}/picture-img.gif" alt=""></picture>`,
    images: 2,
    whenAllowed: ['/srcset-1x.gif', '/picture-source.gif'],
  },
  {
    name: 'url-spellings',
    tries: 'upper-case tags, unquoted, scheme-relative and tab-broken URLs',
    html: (t) => `<IMG SRC="${t}/upper.gif" ALT=""><img src=${t}/unquoted.gif alt=""><img src="${t.replace(/^http:/, '')}/scheme-relative.gif" alt=""><img src="h&#9;ttp${t.slice(4)}/tab.gif" alt="">`,
    images: 4,
    whenAllowed: ['/upper.gif', '/unquoted.gif', '/scheme-relative.gif', '/tab.gif'],
  },
  {
    name: 'not-markup',
    tries: 'image markup inside a comment, a <textarea> and an inert <template> (no load, no count)',
    html: (t) => `<!-- <img src="${t}/in-comment.gif"> --><textarea><img src="${t}/in-textarea.gif"></textarea><template><img src="${t}/in-template.gif"></template>`,
    images: 0,
    whenAllowed: [],
  },
  {
    name: 'shadow-root',
    tries: 'an image in a declarative shadow root',
    html: (t) => `<div><template shadowrootmode="open"><img src="${t}/shadow.gif" alt=""></template></div>`,
    images: 1,
    whenAllowed: ['/shadow.gif'],
  },
  {
    name: 'noscript',
    tries: 'an image in <noscript> (rendered: the frame runs no script)',
    html: (t) => `<noscript><img src="${t}/noscript.gif" alt=""></noscript>`,
    images: 1,
    whenAllowed: ['/noscript.gif'],
  },
  {
    name: 'video-audio',
    tries: '<video poster> and src, <audio src>, <video><source>',
    html: (t) =>
      `<video poster="${t}/poster.gif" src="${t}/video.mp4" width="10" height="10"></video><audio src="${t}/audio.mp3" controls></audio><video><source src="${t}/source.mp4"></video>`,
    images: 1,
    other: { media: 3 },
    whenAllowed: ['/poster.gif'],
  },
  {
    name: 'object-embed',
    tries: '<object data> and <embed src>',
    html: (t) => `<object data="${t}/object.gif" type="image/gif" width="10" height="10"></object><embed src="${t}/embed.swf" width="10" height="10">`,
    images: 0,
    other: { object: 2 },
    whenAllowed: [],
  },
  {
    name: 'iframe-src',
    tries: '<iframe src> (Chromium connects before its frame-src check)',
    html: (t) => `<iframe src="${t}/frame.html" width="20" height="20"></iframe>`,
    images: 0,
    other: { frame: 1 },
    whenAllowed: [],
  },
  {
    name: 'iframe-srcdoc',
    tries: 'a nested srcdoc frame with an image',
    html: (t) => `<iframe srcdoc="<img src='${t}/nested.gif'>" width="20" height="20"></iframe>`,
    images: 0,
    other: { frame: 1 },
    whenAllowed: [],
  },
  {
    name: 'background-attribute',
    tries: 'background attributes on <table> and <td>',
    html: (t) => `<table background="${t}/table-bg.gif"><tr><td background="${t}/td-bg.gif">x</td></tr></table>`,
    images: 2,
    whenAllowed: ['/table-bg.gif', '/td-bg.gif'],
  },
  {
    name: 'body-background',
    tries: 'a background attribute on the message’s <body> (merged into the frame’s body)',
    html: (t) => `<html><body background="${t}/body-bg.gif">x</body></html>`,
    images: 1,
    whenAllowed: ['/body-bg.gif'],
  },
  {
    name: 'input-image',
    tries: '<input type=image src>',
    html: (t) => `<input type="image" src="${t}/input.gif" alt="go">`,
    images: 1,
    whenAllowed: ['/input.gif'],
  },
  {
    name: 'form-action',
    tries: 'a form posting to the tracker, submitted by a click (also with formtarget)',
    html: (t) =>
      `<form action="${t}/form" method="post" target="_self"><input name="q" value="1"><button id="submit">Send</button><button id="submit-top" formaction="${t}/form-top" formtarget="_top">Top</button></form>`,
    images: 0,
    whenAllowed: [],
    clicks: ['#submit', '#submit-top'],
  },
  {
    name: 'links',
    tries: 'links clicked: <a ping>, target=_self/_top/named frame, <base target>, an SVG link',
    html: (t) =>
      `<base target="_self"><a id="ping" href="${t}/link" ping="${t}/ping">ping</a> <a id="self" href="${t}/self" target="_self">self</a> <a id="top" href="${t}/top" target="_top">top</a>` +
      ` <iframe name="inner" width="10" height="10"></iframe><a id="named" href="${t}/named" target="inner">named</a>` +
      ` <svg width="40" height="20"><a id="svg-link" href="${t}/svg-link" target="_self"><rect width="40" height="20"/></a></svg>`,
    images: 0,
    whenAllowed: [],
    clicks: ['#ping', '#self', '#top', '#named', '#svg-link rect'],
  },
  {
    name: 'scripts',
    tries: 'inline and remote scripts',
    html: (t) => `<script>${MARK('inline')};new Image().src='${t}/script.gif'</script><script src="${t}/script.js"></script><svg><script href="${t}/svg-script.js"></script></svg>`,
    images: 0,
    other: { script: 2 },
    whenAllowed: [],
  },
  {
    name: 'event-handlers',
    tries: 'onerror, onload, SVG onload, a javascript: link and a javascript: frame',
    html: (t) =>
      `<img src="x:" alt="" onerror="${MARK('onerror')};new Image().src='${t}/onerror.gif'"><body onload="${MARK('onload')}"><svg onload="${MARK('svg')}"></svg>` +
      `<a id="js" href="javascript:${MARK('js-url')}">js</a><iframe src="javascript:parent.document.documentElement.setAttribute('data-script-ran','frame')"></iframe>`,
    images: 0,
    whenAllowed: [],
    clicks: ['#js'],
  },
];

/** All cases in one message, each under its own path, for the test in the real workbench. */
export function hostileMessageHtml(trackerOrigin: string, cases: HostileCase[] = HOSTILE_CASES): string {
  return cases.map((c) => `<div class="case" id="case-${c.name}">${c.html(`${trackerOrigin}/${c.name}`)}</div>`).join('\n');
}

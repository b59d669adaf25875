// The document of the preview's sandboxed frame (`<iframe sandbox srcdoc>`), built around a message's HTML.
//
// Why it is built this way:
// - We write the head ourselves and the message only ever goes into the body, after it. Its policy is the
//   first thing the parser meets, so nothing in the message (a `<head>` in a comment or an attribute, a
//   second head, markup before its head) can come before it or displace it: in the body the parser ignores
//   `<html>`/`<head>`/`<body>` tags (merging their attributes), and a CSP `<meta>` outside the head is void.
// - That policy is the second lock. The first is the panel's own (html.ts), which the srcdoc frame inherits
//   in Chromium (CSP §4.2.2, policy container inheritance): it denies remote images too until the user
//   allows them for this message. The sandbox (no allow-scripts, -forms, -popups, -same-origin) is the third.
// - The message is parsed with parse5 (the HTML spec's parser, as the browser parses it) on the very
//   document the frame gets, to count what the policies block and to neutralise the few loads that
//   Chromium starts before its CSP check (see NEUTRALISED). Edits only rewrite an attribute's value in place
//   or add one right after a tag name, so the browser's parse of the result has the same tree.
import type { DefaultTreeAdapterTypes } from 'parse5' with { 'resolution-mode': 'import' };
import type { BlockedKind, RemoteContent } from '../../webview/preview/protocol';
import { cssLoads, isRemoteUrl, srcsetUrls } from './remoteUrls';

export interface FrameOptions {
  /** The user chose "Load remote images" for this message: the policy then allows http(s) images. */
  remoteImagesAllowed: boolean;
  /** The nonce the panel's policy allows for styles: the message's own `<style>` elements get it. */
  styleNonce: string;
}

export interface FrameDocument {
  html: string;
  remote: RemoteContent;
}

/**
 * The frame's own policy. No script at all; images from the message itself (data: URIs of its cid parts)
 * or, once allowed, http(s); styles only from the message's `<style>` elements; no base URL, no forms.
 */
export function frameCsp(options: FrameOptions): string {
  const images = options.remoteImagesAllowed ? 'data: https: http:' : 'data:';
  return `default-src 'none'; img-src ${images}; style-src 'nonce-${options.styleNonce}'; font-src data:; script-src 'none'; form-action 'none'; base-uri 'none'`;
}

/** The head we write: the policy first, then no referrer for allowed images, no DNS prefetching, links to no window. */
export function frameHead(options: FrameOptions): string {
  return (
    '<!DOCTYPE html><html><head>' +
    `<meta http-equiv="Content-Security-Policy" content="${frameCsp(options)}">` +
    '<meta name="referrer" content="no-referrer">' +
    // Once off, a document cannot turn DNS prefetching back on (the message's own meta cannot).
    '<meta http-equiv="x-dns-prefetch-control" content="off">' +
    // A click on a link would open a window, which the sandbox refuses (no allow-popups): nothing loads.
    '<base target="_blank">' +
    '</head><body>'
  );
}

export async function buildFrameDocument(messageHtml: string, options: FrameOptions): Promise<FrameDocument> {
  const document = frameHead(options) + messageHtml;
  const found = await inspect(document, options.styleNonce, 0);
  return { html: applyEdits(document, found.edits), remote: summarize(found.loads) };
}

type Load = 'image' | BlockedKind;
interface Edit {
  start: number;
  end: number;
  text: string;
}
interface Found {
  loads: Load[];
  edits: Edit[];
}

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const HTML = 'http://www.w3.org/1999/xhtml';
const SVG = 'http://www.w3.org/2000/svg';
/** `<link rel>` values that make Chromium fetch or connect without rendering anything. */
const RESOURCE_HINTS = new Set(['prefetch', 'preload', 'modulepreload', 'preconnect', 'dns-prefetch', 'prerender']);
const BACKGROUND_ELEMENTS = new Set(['body', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th']);
/** Nested srcdoc frames are emptied; this deep we still look inside them to count what they held. */
const MAX_SRCDOC_DEPTH = 3;

/**
 * NEUTRALISED (measured in Chromium with a local tracker, test/unit/preview/chromium.test.ts): an `<iframe
 * src>` and a link or form with an explicit target other than a new window open a TCP connection to the
 * host before the frame-src check refuses the navigation; resource hints (preconnect, dns-prefetch) are not
 * governed by CSP at all. So frames lose their src and srcdoc, targets become `_blank` (refused by the
 * sandbox before any connection), hints lose their rel and `<meta http-equiv=refresh>` its http-equiv.
 */
async function inspect(document: string, styleNonce: string, depth: number): Promise<Found> {
  const { parse } = await import('parse5');
  const tree = parse(document, { sourceCodeLocationInfo: true, scriptingEnabled: false });
  const found: Found = { loads: [], edits: [] };
  const nested: Promise<void>[] = [];

  const attr = (el: Element, name: string, ns?: string): string | undefined => el.attrs.find((a) => a.name === name && (ns ? a.namespace === ns : !a.namespace))?.value;
  const href = (el: Element): string | undefined => attr(el, 'href') ?? attr(el, 'href', 'http://www.w3.org/1999/xlink');
  const count = (load: Load, ...urls: (string | undefined)[]) => {
    if (urls.some((u) => u !== undefined && isRemoteUrl(u))) found.loads.push(load);
  };
  /** Rewrites an attribute's value where it stands (its position keeps a later duplicate ignored). */
  const rewrite = (el: Element, name: string, value: string) => {
    const at = el.sourceCodeLocation?.attrs?.[name];
    if (at) found.edits.push({ start: at.startOffset, end: at.endOffset, text: `${name}="${value}"` });
  };

  const visit = (el: Element) => {
    const name = el.tagName;
    const style = attr(el, 'style');
    if (style !== undefined) for (const load of cssLoads(style)) count('inline style', load.url); // style attributes never apply (no 'unsafe-inline')
    if (attr(el, 'target') !== undefined && attr(el, 'target')!.toLowerCase() !== '_blank') rewrite(el, 'target', '_blank');
    if (attr(el, 'formtarget') !== undefined && attr(el, 'formtarget')!.toLowerCase() !== '_blank') rewrite(el, 'formtarget', '_blank');

    if (el.namespaceURI === SVG) {
      if (name === 'image' || name === 'feImage') count('image', href(el));
      else if (name === 'use') count('SVG reference', href(el));
      else if (name === 'script') count('script', href(el));
      else if (name === 'style') styleElement(el);
      return;
    }
    if (el.namespaceURI !== HTML) return;
    if (BACKGROUND_ELEMENTS.has(name)) count('image', attr(el, 'background'));
    switch (name) {
      case 'img': {
        // A picture loads one image, from its img or the srcset of one of its sources (the HTML standard's
        // "update the source set" skips a source without srcset: its src is never fetched).
        const sources = el.parentNode && 'tagName' in el.parentNode && el.parentNode.tagName === 'picture' ? el.parentNode.childNodes.filter(isElement).filter((c) => c.tagName === 'source') : [];
        count('image', attr(el, 'src'), ...srcsetUrls(attr(el, 'srcset') ?? ''), ...sources.flatMap((s) => srcsetUrls(attr(s, 'srcset') ?? '')));
        break;
      }
      case 'input':
        if (attr(el, 'type')?.toLowerCase() === 'image') count('image', attr(el, 'src'));
        break;
      case 'video':
        count('image', attr(el, 'poster'));
        count('media', attr(el, 'src'));
        break;
      case 'audio':
      case 'track':
        count('media', attr(el, 'src'));
        break;
      case 'source':
        if (!(el.parentNode && 'tagName' in el.parentNode && el.parentNode.tagName === 'picture')) count('media', attr(el, 'src'));
        break;
      case 'link': {
        const rel = (attr(el, 'rel') ?? '').toLowerCase().split(/\s+/);
        if (rel.some((r) => RESOURCE_HINTS.has(r))) {
          count('resource hint', attr(el, 'href'), ...srcsetUrls(attr(el, 'imagesrcset') ?? ''));
          rewrite(el, 'rel', '');
        } else if (rel.includes('stylesheet')) count('stylesheet', attr(el, 'href'));
        break;
      }
      case 'style':
        styleElement(el);
        break;
      case 'script':
        count('script', attr(el, 'src'));
        break;
      case 'iframe':
      case 'frame': {
        count('frame', attr(el, 'src'));
        if (attr(el, 'src') !== undefined) rewrite(el, 'src', '');
        const srcdoc = attr(el, 'srcdoc');
        if (srcdoc !== undefined) {
          rewrite(el, 'srcdoc', '');
          if (depth >= MAX_SRCDOC_DEPTH) found.loads.push('frame');
          else
            nested.push(
              inspect(srcdoc, styleNonce, depth + 1).then((inner) => {
                if (inner.loads.length) found.loads.push('frame');
              }),
            );
        }
        break;
      }
      case 'object':
        count('object', attr(el, 'data'));
        break;
      case 'embed':
        count('object', attr(el, 'src'));
        break;
      case 'meta':
        if (attr(el, 'http-equiv')?.trim().toLowerCase() === 'refresh') {
          const target = /;\s*(?:url\s*=\s*)?["']?([^"'\s]+)/i.exec(attr(el, 'content') ?? '');
          count('redirect', target?.[1]);
          rewrite(el, 'http-equiv', '');
        }
        break;
    }
  };

  /** A `<style>` element (HTML or SVG): the panel's style nonce, and what its text would load. */
  const styleElement = (el: Element) => {
    const start = el.sourceCodeLocation?.startTag?.startOffset;
    if (start !== undefined && document.slice(start, start + 6).toLowerCase() === '<style') found.edits.push({ start: start + 6, end: start + 6, text: ` nonce="${styleNonce}"` });
    for (const load of cssLoads(textOf(el))) count(load.load, load.url);
  };

  const walk = (node: Node) => {
    if (isElement(node)) visit(node);
    if ('childNodes' in node) for (const child of node.childNodes) walk(child);
    // Template contents are inert (nothing in them loads without a script), except a declarative shadow
    // root (`<template shadowrootmode>`), which Chromium's parser attaches and renders.
    if ('content' in node && node.content && node.attrs.some((a) => a.name === 'shadowrootmode')) walk(node.content);
  };
  walk(tree);
  await Promise.all(nested);
  return found;
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function textOf(node: Node): string {
  if ('value' in node && node.nodeName === '#text') return node.value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

/**
 * Applies the edits in one pass (linear: a message may have thousands of links). The parser clones a
 * formatting element it reopens (`<a target=x>1<p>2</a>`, HTML §13.2.4.3) with its original's source
 * location, so the same edit can come twice: it is applied once.
 */
function applyEdits(text: string, edits: Edit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    if (edit.start < at) continue;
    parts.push(text.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

function summarize(loads: Load[]): RemoteContent {
  const other: Partial<Record<BlockedKind, number>> = {};
  let images = 0;
  for (const load of loads) {
    if (load === 'image') images++;
    else other[load] = (other[load] ?? 0) + 1;
  }
  return { images, other };
}

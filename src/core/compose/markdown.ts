// Markdown to HTML with markdown-it. Raw HTML in the source is not passed through (`html: false`), so a
// message cannot carry script or markup the author did not write as Markdown. Local images become
// references to related MIME parts (`cid:`, RFC 2392).
import MarkdownIt from 'markdown-it';
import type { Range } from '../types';
import { rangeIn } from './lines';

type Token = MarkdownIt.Token;

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

export interface MarkdownImage {
  /** The `src` as written. */
  src: string;
  /** The path to read: `src` URL-decoded. */
  path: string;
  token: Token;
  /** Where the image is named, in document coordinates. */
  range: Range;
}

export interface ParsedMarkdown {
  tokens: Token[];
  /** Images that name a local file (no URL scheme). */
  localImages: MarkdownImage[];
}

/** A path in the author's folder, not a URL (`https:`, `data:`, `cid:`, `//host`) nor an anchor. */
export function isLocalReference(src: string): boolean {
  if (!src || src.startsWith('#') || src.startsWith('//')) return false;
  if (/^[a-zA-Z]:[\\/]/.test(src)) return true; // a Windows drive path, not a scheme
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(src);
}

/** Parses the body; `lineStarts` and `bodyOffset` place the images in the whole document. */
export function parseMarkdown(body: string, text: string, lineStarts: readonly number[], bodyOffset: number): ParsedMarkdown {
  const tokens = markdown.parse(body, {});
  const bodyLine = rangeIn(lineStarts, bodyOffset, bodyOffset).start.line;
  const localImages: MarkdownImage[] = [];
  for (const block of tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    for (const token of walk(block.children)) {
      if (token.type !== 'image') continue;
      const src = String(token.attrGet('src') ?? '');
      if (!isLocalReference(src)) continue;
      localImages.push({ src, path: safeDecode(src), token, range: imageRange(text, lineStarts, bodyLine + (block.map?.[0] ?? 0), bodyLine + (block.map?.[1] ?? 1), src) });
    }
  }
  return { tokens, localImages };
}

/** Renders the parsed body with local images pointing at their `cid:` parts. */
export function renderMarkdown(parsed: ParsedMarkdown, cidFor: (image: MarkdownImage) => string | undefined): string {
  for (const image of parsed.localImages) {
    const cid = cidFor(image);
    if (cid) image.token.attrSet('src', `cid:${cid}`);
  }
  const body = markdown.renderer.render(parsed.tokens, markdown.options, {});
  return `<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n</head>\n<body>\n${body}</body>\n</html>\n`;
}

function* walk(tokens: Token[]): Generator<Token> {
  for (const token of tokens) {
    yield token;
    if (token.children) yield* walk(token.children);
  }
}

function safeDecode(src: string): string {
  try {
    return decodeURI(src);
  } catch {
    return src;
  }
}

/** The `(src` of the image within its block's lines, else the block's first line. */
function imageRange(text: string, lineStarts: readonly number[], firstLine: number, endLine: number, src: string): Range {
  const start = lineStarts[Math.min(firstLine, lineStarts.length - 1)];
  const end = endLine < lineStarts.length ? lineStarts[endLine] : text.length;
  const at = text.slice(start, end).indexOf(`(${src}`);
  if (at === -1) {
    const lineEnd = firstLine + 1 < lineStarts.length ? lineStarts[firstLine + 1] : text.length;
    return rangeIn(lineStarts, start, Math.max(start, lineEnd - 1));
  }
  return rangeIn(lineStarts, start + at + 1, start + at + 1 + src.length);
}

// The files a document names: where they are and whether they can be read. Relative paths resolve
// against the document's folder, never the process's working directory.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Problem } from '../types';
import * as codes from './codes';
import { lineStartsOf } from './lines';
import { parseMarkdown, type MarkdownImage, type ParsedMarkdown } from './markdown';
import type { ComposeSource, FileReference } from './types';

export type FileState =
  | { status: 'ok'; absolutePath: string; size: number }
  | { status: 'missing' | 'unreadable' | 'not-a-file'; absolutePath: string; reason: string }
  | { status: 'no-folder' };

export interface InspectedFile {
  ref: FileReference;
  state: FileState;
  /** For inline images: the Markdown image it comes from. */
  image?: MarkdownImage;
}

export interface DocumentFiles {
  files: InspectedFile[];
  markdown?: ParsedMarkdown;
}

/**
 * Every file the document names (attachments first, then inline images), each looked at once. The Markdown
 * is parsed when it is to be rendered, or when it may name an image at all (`![`): parsing megabytes of
 * Markdown on every keystroke only to find no image would make typing slow.
 */
export function inspectDocumentFiles(source: ComposeSource, baseDir: string | undefined, forRendering = false): DocumentFiles {
  const files: InspectedFile[] = source.attachments.map((ref) => ({ ref, state: inspect(ref.path, baseDir) }));
  let markdown: ParsedMarkdown | undefined;
  if (source.bodyFormat === 'markdown' && (forRendering || source.body.includes('!['))) {
    markdown = parseMarkdown(source.body, source.text, lineStartsOf(source.text), source.bodyOffset);
    for (const image of markdown.localImages) {
      const filename = image.path.split(/[\\/]/).pop() || 'image';
      files.push({ ref: { path: image.path, filename, range: image.range, kind: 'inline-image' }, state: inspect(image.path, baseDir), image });
    }
  }
  return { files, markdown };
}

export function inspect(path: string, baseDir: string | undefined): FileState {
  if (!isAbsolute(path) && !baseDir) return { status: 'no-folder' };
  const absolutePath = isAbsolute(path) ? path : resolve(baseDir as string, path);
  try {
    const stat = statSync(absolutePath);
    if (!stat.isFile()) return { status: 'not-a-file', absolutePath, reason: 'it is a folder, not a file' };
    return { status: 'ok', absolutePath, size: stat.size };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing', absolutePath, reason: 'no such file' };
    return { status: 'unreadable', absolutePath, reason: code ?? String(err) };
  }
}

/** Reads a file found by `inspect`; a failure (deleted since, no permission) becomes a problem. */
export function readInspected(file: InspectedFile): Buffer | Problem {
  const { state, ref } = file;
  if (state.status !== 'ok') return { code: codes.ATTACHMENT_UNREADABLE, severity: 'error', message: `cannot read "${ref.path}"`, range: ref.range };
  try {
    return readFileSync(state.absolutePath);
  } catch (err) {
    return {
      code: codes.ATTACHMENT_UNREADABLE,
      severity: 'error',
      message: `cannot read "${ref.path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      range: ref.range,
    };
  }
}

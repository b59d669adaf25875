// The files a document names (attachments, then local Markdown images), each looked at once, on disk, without
// blocking: where it really leads, whether it may travel (../document/fileScope.ts), its size. Relative paths
// resolve against the document's folder, never the process's working directory.
import { inspectFile, type FileScope, type FileState } from '../document/fileScope';
import { lineStartsOf } from './lines';
import type { MarkdownImage, ParsedMarkdown } from './markdown';
import type { ComposeSource, FileReference } from './types';

export type { FileState } from '../document/fileScope';

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
 * Every file the document names. The Markdown is parsed only when it may name an image at all (`![`):
 * parsing megabytes of Markdown on every keystroke only to find no image would make typing slow.
 */
export async function inspectDocumentFiles(source: ComposeSource, baseDir: string | undefined, scope: FileScope | undefined): Promise<DocumentFiles> {
  const refs: { ref: FileReference; image?: MarkdownImage }[] = source.attachments.map((ref) => ({ ref }));
  let markdown: ParsedMarkdown | undefined;
  if (source.bodyFormat === 'markdown' && source.body.includes('![')) {
    // markdown-it loads with the first Markdown body that names an image, not at activation.
    const { parseMarkdown } = await import('./markdown.js');
    markdown = parseMarkdown(source.body, source.text, lineStartsOf(source.text), source.bodyOffset);
    for (const image of markdown.localImages) {
      const filename = image.path.split(/[\\/]/).pop() || 'image';
      refs.push({ ref: { path: image.path, filename, range: image.range, kind: 'inline-image' }, image });
    }
  }
  const states = await Promise.all(refs.map(({ ref }) => inspectFile(ref.path, baseDir, scope)));
  return { files: refs.map((r, i) => ({ ...r, state: states[i] })), markdown };
}

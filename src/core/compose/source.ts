// Reads any document the composer takes into one shape: headers, body format, body and named files.
import type { ScannedMessage } from '../message/types';
import { hasFrontMatter, isEmailMarkdownFile } from './detect';
import { readEmlSource } from './emlSource';
import type { ComposeSource } from './types';

/** True when the headers are YAML front matter rather than an RFC 5322 header block. */
export function isFrontMatterDocument(text: string, fileName?: string): boolean {
  return isEmailMarkdownFile(fileName) || hasFrontMatter(text.slice(0, 8));
}

export async function readComposeSource(scanned: ScannedMessage, fileName?: string): Promise<ComposeSource> {
  if (!isFrontMatterDocument(scanned.text, fileName)) return readEmlSource(scanned);
  // The YAML parser loads with the first front-matter document, not at activation.
  const { readFrontMatterSource } = await import('./frontMatter.js');
  return readFrontMatterSource(scanned.text);
}

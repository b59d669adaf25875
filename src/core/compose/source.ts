// Reads any document the composer takes into one shape: headers, body format, body and named files.
import { scanMessage } from '../message/scanner';
import type { ScannedMessage } from '../message/types';
import { hasFrontMatter, isEmailMarkdownFile } from './detect';
import { readEmlSource } from './emlSource';
import { readFrontMatterSource } from './frontMatter';
import type { ComposeSource } from './types';

/** True when the headers are YAML front matter rather than an RFC 5322 header block. */
export function isFrontMatterDocument(text: string, fileName?: string): boolean {
  return isEmailMarkdownFile(fileName) || hasFrontMatter(text.slice(0, 8));
}

export function readComposeSource(input: string | Uint8Array | ScannedMessage, fileName?: string): ComposeSource {
  const scanned = typeof input === 'string' || input instanceof Uint8Array ? scanMessage(input) : input;
  return isFrontMatterDocument(scanned.text, fileName) ? readFrontMatterSource(scanned.text) : readEmlSource(scanned);
}

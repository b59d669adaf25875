// Types of the composer: a document read into headers, a body and the files it names.
import type { Problem, Range } from '../types';

/** How the document was written: an RFC 5322 header block, or YAML front matter (`.email.md`). */
export type SourceForm = 'eml' | 'front-matter';

/** What the body holds: Markdown becomes text/plain + text/html; text and html are sent as they are. */
export type BodyFormat = 'markdown' | 'text' | 'html' | 'other';

/** A header field to send, as RFC 5322 text (one field, folded lines joined by CRLF, no final break). */
export interface SourceHeader {
  /** Lowercase field name. */
  key: string;
  text: string;
  /** Where the field (or the front-matter key it comes from) is in the document. */
  range: Range;
  /** True when `text` is the document's own text of the field, so positions inside it carry over. */
  verbatim: boolean;
}

/** A file the document names: an `Attach:` field, an `attachments:` entry, or a local Markdown image. */
export interface FileReference {
  /** The path as written (relative to the document's folder unless absolute). */
  path: string;
  /** The file name the recipient sees. */
  filename: string;
  contentType?: string;
  range: Range;
  kind: 'attachment' | 'inline-image';
}

/** A document read for composition. Never thrown away on error: `problems` says what is wrong. */
export interface ComposeSource {
  form: SourceForm;
  text: string;
  headers: SourceHeader[];
  bodyFormat: BodyFormat;
  body: string;
  /** Where the body starts in `text`. */
  bodyOffset: number;
  attachments: FileReference[];
  problems: Problem[];
  /** The headers could not be read at all (e.g. front matter never closed): header rules are moot. */
  unreadable?: boolean;
}

export interface ComposeOptions {
  /** The document's file name: `*.email.md` means front matter and a Markdown body. */
  fileName?: string;
  /** The document's folder: relative attachment and image paths resolve against it. */
  baseDir?: string;
  /** Largest single attachment accepted (bytes); default 25 MiB. */
  maxAttachmentBytes?: number;
  /** Largest message the server or profile takes (bytes, e.g. the server's SIZE, RFC 1870). */
  maxMessageBytes?: number;
}

/** A file put into the message. */
export interface ComposedFile {
  filename: string;
  contentType: string;
  size: number;
  /** For inline images: the Content-ID the HTML refers to (without angle brackets). */
  cid?: string;
  path: string;
}

export type ComposeResult =
  | {
      ok: true;
      /** An RFC 5322 document (CRLF) with the document's headers and the composed MIME body, ready for `prepareMessage`. */
      raw: Buffer;
      files: ComposedFile[];
      problems: Problem[];
    }
  | { ok: false; problems: Problem[] };

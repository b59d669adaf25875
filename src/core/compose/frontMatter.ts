// Reads a `.email.md` document: YAML front matter (between `---` lines) holding the headers and the
// attachments, then a Markdown body. Values become RFC 5322 fields; the message core encodes them later.
import { basename } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Problem, Range } from '../types';
import * as codes from './codes';
import { lineStartsOf, rangeIn } from './lines';
import type { ComposeSource, FileReference, SourceHeader } from './types';

/** Front-matter keys and the fields they become. */
const FIELD_FOR_KEY: Record<string, string> = {
  from: 'From',
  sender: 'Sender',
  to: 'To',
  cc: 'Cc',
  bcc: 'Bcc',
  replyTo: 'Reply-To',
  subject: 'Subject',
  date: 'Date',
  messageId: 'Message-ID',
  inReplyTo: 'In-Reply-To',
  references: 'References',
};
/** Keys whose list values are address lists (joined with ","), not space-separated ids. */
const LIST_SEPARATOR: Record<string, string> = { references: ' ', inReplyTo: ' ' };
const FIELD_NAME = /^[!-9;-~]+$/; // RFC 5322 section 2.2: printable ASCII except ":"

const FRONT_MATTER = /^(\uFEFF?)---[ \t]*(?:\r\n|\n|\r)/;
const CLOSING_LINE = /^(?:---|\.\.\.)[ \t]*$/;

export function readFrontMatterSource(text: string): ComposeSource {
  const lineStarts = lineStartsOf(text);
  const problems: Problem[] = [];
  const headers: SourceHeader[] = [];
  const attachments: FileReference[] = [];
  const range = (start: number, end: number): Range => rangeIn(lineStarts, start, end);

  const opening = FRONT_MATTER.exec(text);
  const yamlStart = opening ? opening[0].length : 0;
  // The front matter ends at the first line that is `---` or `...`.
  let yamlEnd = -1;
  let bodyOffset = text.length;
  for (let i = 1; i < lineStarts.length; i++) {
    const start = lineStarts[i];
    if (start < yamlStart) continue;
    const next = i + 1 < lineStarts.length ? lineStarts[i + 1] : text.length;
    if (CLOSING_LINE.test(text.slice(start, next).replace(/[\r\n]+$/, ''))) {
      yamlEnd = start;
      bodyOffset = next;
      break;
    }
  }
  if (!opening || yamlEnd === -1) {
    problems.push({
      code: codes.FRONT_MATTER_INVALID,
      severity: 'error',
      message: 'the front matter must start with a "---" line and end with another "---" line before the Markdown body',
      range: range(0, Math.min(3, text.length)),
    });
    return { form: 'front-matter', text, headers, bodyFormat: 'markdown', body: '', bodyOffset: text.length, attachments, problems, unreadable: true };
  }

  const yamlText = text.slice(yamlStart, yamlEnd);
  const doc = parseDocument(yamlText, { lineCounter: new LineCounter(), prettyErrors: false });
  const nodeRange = (node: Node | null | undefined): Range =>
    node?.range ? range(yamlStart + node.range[0], yamlStart + node.range[1]) : range(yamlStart, yamlStart);
  for (const error of doc.errors) {
    problems.push({
      code: codes.FRONT_MATTER_INVALID,
      severity: 'error',
      message: `front matter is not valid YAML: ${error.message.split('\n')[0]}`,
      range: range(yamlStart + error.pos[0], yamlStart + error.pos[1]),
    });
  }
  const invalid = (message: string, at: Range): void => {
    problems.push({ code: codes.FRONT_MATTER_INVALID, severity: 'error', message, range: at });
  };

  const root = doc.contents;
  if (doc.errors.length === 0 && root !== null && !isMap(root)) invalid('the front matter must be a mapping of keys such as from, to, subject', nodeRange(root));
  if (isMap(root)) {
    for (const pair of root.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const keyRange = nodeRange(keyNode);
      const valueNode = pair.value as Node | null;
      if (key in FIELD_FOR_KEY) {
        const value = fieldValue(valueNode, LIST_SEPARATOR[key] ?? ', ');
        if (value === undefined) invalid(`"${key}" must be text or a list of texts`, nodeRange(valueNode) ?? keyRange);
        else if (/[\r\n]/.test(value)) invalid(`"${key}" must be on one line (a line break would start a new header field)`, nodeRange(valueNode));
        else headers.push({ key: FIELD_FOR_KEY[key].toLowerCase(), text: `${FIELD_FOR_KEY[key]}: ${value}`, range: keyRange, verbatim: false });
      } else if (key === 'headers') {
        readExtraHeaders(valueNode, headers, invalid, nodeRange);
      } else if (key === 'attachments') {
        readAttachments(valueNode, attachments, invalid, nodeRange);
      } else {
        problems.push({
          code: codes.FRONT_MATTER_UNKNOWN_KEY,
          severity: 'warning',
          message: `unknown front-matter key "${key}" (known: ${[...Object.keys(FIELD_FOR_KEY), 'headers', 'attachments'].join(', ')}); it is ignored`,
          range: keyRange,
        });
      }
    }
  }
  return { form: 'front-matter', text, headers, bodyFormat: 'markdown', body: text.slice(bodyOffset), bodyOffset, attachments, problems };
}

function fieldValue(node: Node | null, separator: string): string | undefined {
  if (isScalar(node)) return node.value === null ? '' : String(node.value);
  if (isSeq(node)) {
    const items = node.items.map((item) => (isScalar(item) ? String(item.value) : undefined));
    return items.some((i) => i === undefined) ? undefined : items.join(separator);
  }
  return undefined;
}

type Invalid = (message: string, at: Range) => void;

function readExtraHeaders(node: Node | null, headers: SourceHeader[], invalid: Invalid, nodeRange: (n: Node | null | undefined) => Range): void {
  if (!isMap(node)) {
    invalid('"headers" must be a mapping of field names to values', nodeRange(node));
    return;
  }
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    const name = isScalar(keyNode) ? String(keyNode.value) : '';
    const value = fieldValue(pair.value as Node | null, ', ');
    if (!FIELD_NAME.test(name)) invalid(`"${name}" is not a valid header field name (RFC 5322 section 2.2)`, nodeRange(keyNode));
    else if (value === undefined || /[\r\n]/.test(value)) invalid(`header "${name}" must be one line of text`, nodeRange(pair.value as Node));
    else headers.push({ key: name.toLowerCase(), text: `${name}: ${value}`, range: nodeRange(keyNode), verbatim: false });
  }
}

function readAttachments(node: Node | null, out: FileReference[], invalid: Invalid, nodeRange: (n: Node | null | undefined) => Range): void {
  const items = isSeq(node) ? node.items : isScalar(node) ? [node] : undefined;
  if (!items) {
    invalid('"attachments" must be a list of file paths (or of { path, filename, contentType })', nodeRange(node));
    return;
  }
  for (const item of items as Node[]) {
    if (isScalar(item) && typeof item.value === 'string' && item.value.trim()) {
      const path = item.value.trim();
      out.push({ path, filename: basename(path), range: nodeRange(item), kind: 'attachment' });
    } else if (isMap(item) && typeof item.get('path') === 'string') {
      const path = String(item.get('path')).trim();
      const filename = item.get('filename');
      const contentType = item.get('contentType');
      out.push({
        path,
        filename: typeof filename === 'string' && filename ? filename : basename(path),
        contentType: typeof contentType === 'string' && contentType ? contentType : undefined,
        range: nodeRange(item),
        kind: 'attachment',
      });
    } else {
      invalid('each attachment is a file path, or { path, filename, contentType }', nodeRange(item));
    }
  }
}

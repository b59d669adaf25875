// Test helpers: the MIME tree of a message as a plain skeleton (to assert structure exactly), and
// parses by two independent parsers, mailparser and postal-mime.
import PostalMime from 'postal-mime';

export interface PartSkeleton {
  type: string;
  charset?: string;
  encoding?: string;
  disposition?: string;
  filename?: string;
  cid?: string;
  parts?: PartSkeleton[];
}

/** Unfolded header fields of one part, by lowercase name. */
function headersOf(block: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const field of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = field.indexOf(':');
    if (colon > 0 && !map.has(field.slice(0, colon).toLowerCase())) map.set(field.slice(0, colon).toLowerCase(), field.slice(colon + 1).trim());
  }
  return map;
}

function param(value: string | undefined, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}=("([^"]*)"|[^;\\s]+)`, 'i').exec(value ?? '');
  return match ? (match[2] ?? match[1]) : undefined;
}

/** The tree of parts, from the boundaries each multipart declares (RFC 2046 section 5.1.1). */
export function skeleton(raw: string): PartSkeleton {
  const end = raw.indexOf('\r\n\r\n');
  const headers = headersOf(raw.slice(0, end));
  const body = raw.slice(end + 4);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const node: PartSkeleton = { type: contentType.split(';')[0].trim().toLowerCase() };
  const charset = param(contentType, 'charset');
  if (charset) node.charset = charset.toLowerCase();
  if (headers.has('content-transfer-encoding')) node.encoding = headers.get('content-transfer-encoding');
  const disposition = headers.get('content-disposition');
  if (disposition) {
    node.disposition = disposition.split(';')[0].trim();
    const filename = param(disposition, 'filename');
    if (filename) node.filename = filename;
  }
  if (headers.has('content-id')) node.cid = headers.get('content-id');
  if (node.type.startsWith('multipart/')) {
    const boundary = param(contentType, 'boundary') as string;
    const chunks = body.split(`--${boundary}`);
    // chunks[0] is the preamble, the last one follows the closing delimiter ("--").
    node.parts = chunks.slice(1, -1).map((chunk) => skeleton(chunk.replace(/^\r\n/, '').replace(/\r\n$/, '')));
  }
  return node;
}

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  cid?: string;
  inline: boolean;
}

export interface ParsedMail {
  subject?: string;
  text?: string;
  html?: string;
  headerNames: string[];
  attachments: ParsedAttachment[];
}

interface MailparserResult {
  subject?: string;
  text?: string;
  html?: string | false;
  headerLines: { key: string }[];
  attachments: { filename?: string; contentType: string; content: Buffer; cid?: string; contentDisposition?: string }[];
}

// mailparser ships no types; the shape used here is declared above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { simpleParser } = require('mailparser') as { simpleParser(input: Buffer, options?: object): Promise<MailparserResult> };

export async function parseWithMailparser(raw: Buffer): Promise<ParsedMail> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  return {
    subject: mail.subject,
    text: mail.text,
    html: mail.html || undefined,
    headerNames: mail.headerLines.map((h) => h.key),
    attachments: mail.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType,
      content: a.content,
      cid: a.cid,
      inline: a.contentDisposition === 'inline',
    })),
  };
}

export async function parseWithPostalMime(raw: Buffer): Promise<ParsedMail> {
  const mail = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  return {
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headerNames: mail.headers.map((h) => h.key),
    attachments: mail.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.mimeType,
      content: Buffer.from(a.content as ArrayBuffer),
      cid: a.contentId?.replace(/^<|>$/g, ''),
      inline: a.disposition === 'inline',
    })),
  };
}

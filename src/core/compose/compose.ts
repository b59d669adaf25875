// Builds the MIME structure of a document with nodemailer's composer (never by hand): a Markdown body
// becomes multipart/alternative (text/plain = the Markdown source, text/html = its rendering), local
// images become related parts referenced by cid: (RFC 2387, RFC 2392), named files become attachments
// (multipart/mixed). The document's own header fields are kept as written; `Attach:` is dropped.
// The result is deterministic for the same document and files (boundaries and Content-IDs are derived
// from their hash), so the dry run, the preview and the send show one message with one Message-ID.
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { detectMimeType } from 'nodemailer/lib/mime-funcs';
import { readInspectedFile } from '../document/fileScope';
import { countWork } from '../probe';
import type { Problem } from '../types';
import * as codes from './codes';
import { lineStartsOf } from './lines';
import type { InspectedFile } from './files';
import { ZERO_RANGE } from './lines';
import { parseMarkdown, renderMarkdown, type ParsedMarkdown } from './markdown';
import type { ComposedFile, ComposeResult, ComposeSource } from './types';

/** A document read for composition whose files were inspected and passed the checks. */
export interface ComposeInput {
  source: ComposeSource;
  files: InspectedFile[];
  /** The body's Markdown, when it was parsed already (to find images). */
  markdown?: ParsedMarkdown;
}

type MailOptions = ConstructorParameters<typeof MailComposer>[0] & object;
type Attachment = NonNullable<MailOptions['attachments']>[number];

/** The root MIME fields nodemailer writes that belong to the structure (the rest we take from the document). */
const STRUCTURE_FIELDS = /^(mime-version|content-type|content-transfer-encoding):/i;

export async function composeMessage(input: ComposeInput): Promise<ComposeResult> {
  countWork('compose');
  try {
    return await compose(input);
  } catch (err) {
    // The core never throws out: an unexpected failure of the composer is a problem like any other.
    return { ok: false, problems: [{ code: codes.COMPOSE_FAILED, severity: 'error', message: `could not compose the message: ${err instanceof Error ? err.message : String(err)}`, range: ZERO_RANGE }] };
  }
}

async function compose({ source, files, markdown: parsed }: ComposeInput): Promise<ComposeResult> {
  const problems: Problem[] = [];
  const hash = createHash('sha256').update(source.text);
  const contents = new Map<InspectedFile, Buffer>();
  for (const file of files) {
    const { state, ref } = file;
    if (state.status !== 'ok') {
      problems.push({ code: codes.ATTACHMENT_UNREADABLE, severity: 'error', message: `cannot read "${ref.path}"`, range: ref.range });
      continue;
    }
    try {
      const content = await readInspectedFile(state);
      contents.set(file, content);
      hash.update(file.ref.filename).update(content);
    } catch (err) {
      problems.push({ code: codes.ATTACHMENT_UNREADABLE, severity: 'error', message: `cannot read "${ref.path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, range: ref.range });
    }
  }
  if (problems.some((p) => p.severity === 'error')) return { ok: false, problems };
  const digest = hash.digest('hex');

  const composed: ComposedFile[] = [];
  const attachments: Attachment[] = [];
  const cidByPath = new Map<string, string>();
  for (const file of files) {
    const content = contents.get(file) as Buffer;
    const path = file.state.status === 'ok' ? file.state.realPath : file.ref.path;
    // The type is chosen here, from the name as nodemailer would, and given to it: the part and the list of
    // what was attached say the same.
    const contentType = file.ref.contentType || detectMimeType(file.ref.filename);
    if (file.ref.kind === 'inline-image') {
      if (cidByPath.has(path)) continue; // one part per image file, however often the body shows it
      const cid = `${createHash('sha256').update(content).digest('hex').slice(0, 16)}.${cidByPath.size + 1}@mailsmith`;
      cidByPath.set(path, cid);
      attachments.push({ filename: file.ref.filename, content, contentType, cid, contentDisposition: 'inline' });
      composed.push({ filename: file.ref.filename, contentType, size: content.length, cid, path });
    } else {
      attachments.push({ filename: file.ref.filename, content, contentType });
      composed.push({ filename: file.ref.filename, contentType, size: content.length, path });
    }
  }

  const mail: MailOptions = {
    attachments,
    baseBoundary: digest.slice(0, 24),
    // Placeholders: the document's own Date/Message-ID (or the message core's) replace these root fields.
    date: new Date(0),
    messageId: '<placeholder@mailsmith.invalid>',
    disableFileAccess: true,
    disableUrlAccess: true,
    newline: 'windows',
  };
  if (source.bodyFormat === 'markdown') {
    mail.text = source.body;
    const markdown = parsed ?? parseMarkdown(source.body, source.text, lineStartsOf(source.text), source.bodyOffset);
    mail.html = renderMarkdown(markdown, (image) => {
      const file = files.find((f) => f.image === image);
      return file && file.state.status === 'ok' ? cidByPath.get(file.state.realPath) : undefined;
    });
  } else if (source.bodyFormat === 'html') {
    mail.html = source.body;
  } else {
    mail.text = source.body;
  }

  const built = await new MailComposer(mail).compile().build();
  const { structureFields, body } = splitRoot(built);
  const header = [...source.headers.map((h) => h.text), ...structureFields].join('\r\n') + '\r\n\r\n';
  return { ok: true, raw: Buffer.concat([Buffer.from(header, 'utf8'), body]), files: composed, problems };
}

/** The structure fields of nodemailer's root header block (folded lines kept) and the body after it. */
function splitRoot(built: Buffer): { structureFields: string[]; body: Buffer } {
  const end = built.indexOf('\r\n\r\n');
  const headerText = built.subarray(0, end).toString('utf8');
  const fields: string[] = [];
  for (const line of headerText.split('\r\n')) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1] += '\r\n' + line;
    else fields.push(line);
  }
  return { structureFields: fields.filter((f) => STRUCTURE_FIELDS.test(f)), body: built.subarray(end + 4) };
}

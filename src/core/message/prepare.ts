// The exact bytes to send (RFC 5322 + RFC 5321 section 2.3.8): CRLF everywhere, Bcc removed (RFC 5322
// section 3.6.3), Date and a stable Message-ID added when missing, profile defaults filling only what
// the document lacks, non-ASCII header values RFC 2047-encoded unless the server takes SMTPUTF8.
// The body's bytes are kept as they are except line endings; dot-stuffing is the transport's job.
import type { Problem } from '../types';
import { parseAddressList } from './addresses';
import { formatRfc5322Date } from './dates';
import { isAscii } from './domain';
import { encodeFieldValue, foldField, formatAddressList } from './encoding';
import { deriveEnvelope, mailboxesOf } from './envelope';
import { ADDRESS_FIELDS, canonicalName } from './headerNames';
import { FALLBACK_MESSAGE_ID_DOMAIN, stableMessageId } from './messageId';
import { scanMessage } from './scanner';
import type { HeaderField, MessageDefaults, PrepareOptions, PrepareResult, ScannedMessage } from './types';
import { sortProblems, validateMessage } from './validate';

/** Fields that never go on the wire: blind copies stay in the envelope only. */
const STRIPPED_FIELDS = new Set(['bcc', 'resent-bcc']);

const CRLF = '\r\n';
const NON_ASCII = /[^\x00-\x7f]/;

export function prepareMessage(input: string | Uint8Array, options: PrepareOptions = {}): PrepareResult {
  const scanned = scanMessage(input);
  const defaults = options.defaults ?? {};
  const problems = validateMessage(scanned, {
    defaults,
    smtpUtf8: options.smtpUtf8,
    now: options.now,
    messageIdDomain: options.messageIdDomain,
  });
  const envelope = deriveEnvelope(scanned, defaults);
  mergeProblems(problems, envelope.problems);
  sortProblems(problems);
  if (!envelope.ok || problems.some((p) => p.severity === 'error')) {
    return { ok: false, problems };
  }

  const smtpUtf8 = options.smtpUtf8 === true;
  let needsSmtpUtf8 = envelope.needsSmtpUtf8;
  const headerLines: string[] = [];
  const present = new Set<string>();
  let messageId: string | undefined;
  for (const field of scanned.fields) {
    present.add(field.key);
    if (STRIPPED_FIELDS.has(field.key)) continue;
    if (field.key === 'message-id' && messageId === undefined) messageId = field.value.trim();
    const written = writeField(scanned, field, smtpUtf8);
    needsSmtpUtf8 ||= written.needsSmtpUtf8;
    headerLines.push(written.text);
  }

  needsSmtpUtf8 ||= addDefaults(headerLines, present, defaults, smtpUtf8);
  if (!present.has('date')) headerLines.push(`Date: ${formatRfc5322Date(options.now ?? new Date())}`);
  if (messageId === undefined) {
    // The right-hand side names the author's domain (From), else the envelope sender's.
    const from = mailboxesOf(scanned, 'from', defaults.from).mailboxes[0];
    const fromDomain = from?.asciiDomain ?? envelope.envelope.from.slice(envelope.envelope.from.lastIndexOf('@') + 1);
    const domain = options.messageIdDomain ?? (fromDomain || FALLBACK_MESSAGE_ID_DOMAIN);
    messageId = stableMessageId(scanned.bytes ?? scanned.text, domain, options.defaults);
    headerLines.push(`Message-ID: ${messageId}`);
  }

  const header = Buffer.from(headerLines.join(CRLF) + CRLF + CRLF, 'utf8');
  const bodyText = scanned.text.slice(scanned.bodyOffset);
  const body = bodyBytes(scanned, bodyText);
  const has8BitBody = scanned.ascii ? false : NON_ASCII.test(bodyText);
  const raw = header.length + body.length === 0 ? header : Buffer.concat([header, body]);
  return {
    ok: true,
    problems,
    message: {
      envelope: envelope.envelope,
      raw,
      size: raw.length,
      messageId,
      needsSmtpUtf8,
      has8BitBody,
    },
  };
}

/** A field for the wire: as written (line breaks made CRLF) when it is ASCII, else encoded and refolded. */
function writeField(scanned: ScannedMessage, field: HeaderField, smtpUtf8: boolean): { text: string; needsSmtpUtf8: boolean } {
  const onlyCrlf = scanned.lineEndings.lf === 0 && scanned.lineEndings.cr === 0;
  const slice = scanned.text.slice(field.start, field.end);
  const asWritten = onlyCrlf || field.lines.length === 1 ? slice : slice.replace(/\r\n|\r|\n/g, CRLF);
  if (ADDRESS_FIELDS.has(field.key) && field.value.includes(';')) {
    // A list separated with ";" (accepted with a warning) goes out with "," as RFC 5322 wants.
    if (parseAddressList(field.value).semicolonSeparators.length > 0) {
      const list = formatAddressList(field.value, smtpUtf8);
      return { text: foldField(field.name, list), needsSmtpUtf8: !isAscii(list) };
    }
  }
  if (isAscii(asWritten)) return { text: asWritten, needsSmtpUtf8: false };
  if (smtpUtf8) return { text: asWritten, needsSmtpUtf8: true };
  const encoded = encodeFieldValue(field.key, field.value);
  if (encoded.needsSmtpUtf8 && !isAscii(encoded.value)) return { text: asWritten, needsSmtpUtf8: true };
  return { text: foldField(field.name, encoded.value), needsSmtpUtf8: encoded.needsSmtpUtf8 };
}

/** Profile defaults for the fields the document lacks (Bcc only reaches the envelope). */
function addDefaults(lines: string[], present: Set<string>, defaults: MessageDefaults, smtpUtf8: boolean): boolean {
  let needsSmtpUtf8 = false;
  for (const key of ['from', 'to', 'cc'] as const) {
    const value = defaults[key];
    if (present.has(key) || value === undefined || value.trim() === '') continue;
    const list = formatAddressList(value, smtpUtf8);
    if (!list) continue;
    needsSmtpUtf8 ||= parseAddressList(value).mailboxes.some((m) => m.needsSmtpUtf8);
    lines.push(foldField(canonicalName(key), list));
  }
  const subject = defaults.subject;
  if (!present.has('subject') && subject !== undefined && subject.trim() !== '') {
    const value = smtpUtf8 ? subject.trim() : encodeFieldValue('subject', subject).value;
    lines.push(smtpUtf8 ? `Subject: ${value}` : foldField('Subject', value));
  }
  return needsSmtpUtf8;
}

/** The body's bytes with CRLF line endings; bytes decoded as Latin-1 go back to the same bytes. */
function bodyBytes(scanned: ScannedMessage, bodyText: string): Buffer {
  const { lf, cr } = scanned.lineEndings;
  if (lf === 0 && cr === 0 && scanned.bytes) {
    // Already CRLF: the body is the input's own bytes, not re-encoded (the fast path for big files).
    const { bytes } = scanned;
    const skipped = scanned.text.slice(0, scanned.bodyOffset);
    const start = scanned.decoding === 'latin1' || scanned.ascii ? skipped.length : Buffer.byteLength(skipped, 'utf8') + (scanned.bom ? 3 : 0);
    return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start);
  }
  const normalised = lf === 0 && cr === 0 ? bodyText : bodyText.replace(/\r\n|\r|\n/g, CRLF);
  return Buffer.from(normalised, scanned.decoding === 'latin1' ? 'latin1' : 'utf8');
}

/** Adds the envelope's problems that the rules did not already report at the same place. */
function mergeProblems(into: Problem[], extra: Problem[]): void {
  const key = (p: Problem): string => `${p.range.start.line}:${p.range.start.character}:${p.code}`;
  const seen = new Set(into.map(key));
  for (const p of extra) {
    if (!seen.has(key(p))) {
      into.push(p);
      seen.add(key(p));
    }
  }
}

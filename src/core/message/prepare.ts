// The exact bytes to send (RFC 5322 + RFC 5321 section 2.3.8): CRLF everywhere, Bcc removed (RFC 5322
// section 3.6.3), Date and a stable Message-ID added when missing, profile defaults filling only what
// the document lacks, non-ASCII header values RFC 2047-encoded unless the server takes SMTPUTF8.
// The body's bytes are kept as they are except line endings; dot-stuffing is the transport's job.
import type { Problem, Range } from '../types';
import { HEADER_CONTROL_CHAR } from './codes';
import { formatRfc5322Date } from './dates';
import { isAscii } from './domain';
import { encodeFieldValue, foldField, formatAddressList } from './encoding';
import { deriveEnvelope, mailboxKey, mailboxesOf } from './envelope';
import { indexHeaders, type HeaderIndex } from './headerIndex';
import { ADDRESS_FIELDS, canonicalName } from './headerNames';
import { FALLBACK_MESSAGE_ID_DOMAIN, stableMessageId } from './messageId';
import { scanMessage } from './scanner';
import type { HeaderField, MessageDefaults, PrepareOptions, PrepareResult, ScannedMessage } from './types';
import { isScanned, sortProblems, validateMessage } from './validate';

const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Fields that never go on the wire: blind copies stay in the envelope only. */
const STRIPPED_FIELDS = new Set(['bcc', 'resent-bcc']);

const CRLF = '\r\n';
const NON_ASCII = /[^\x00-\x7f]/;

export function prepareMessage(input: string | Uint8Array | ScannedMessage, options: PrepareOptions = {}): PrepareResult {
  const scanned = isScanned(input) ? input : scanMessage(input);
  const problems = validateMessage(scanned, {
    defaults: options.defaults ?? {},
    smtpUtf8: options.smtpUtf8,
    now: options.now,
    messageIdDomain: options.messageIdDomain,
  });
  return prepareChecked(scanned, problems, options);
}

/**
 * The final bytes of a document whose rules already ran (`problems` is what validateMessage found with the same
 * options): the scan, the rules and the address lists are not redone.
 */
export function prepareChecked(scanned: ScannedMessage, checked: readonly Problem[], options: PrepareOptions = {}): PrepareResult {
  const defaults = options.defaults ?? {};
  const problems = [...checked];
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
  const index = indexHeaders(scanned);
  for (const field of scanned.fields) {
    present.add(field.key);
    if (STRIPPED_FIELDS.has(field.key)) continue;
    if (field.key === 'message-id' && messageId === undefined) messageId = field.value.trim();
    const written = writeField(scanned, field, smtpUtf8, index);
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
  // Whatever a value came from (the document, a profile default, an encoder), a field that would break
  // into more fields or carry a control character never reaches the wire.
  const unsafe = unsafeHeaderField(headerLines);
  if (unsafe) {
    problems.push({ code: HEADER_CONTROL_CHAR, severity: 'error', message: unsafe, range: ZERO_RANGE });
    return { ok: false, problems: sortProblems(problems) };
  }

  // Blind: the RCPT TO of Bcc that To or Cc do not name as well (whom every recipient sees), one mailbox
  // as the envelope counts it (mailboxKey).
  const keysOf = (key: 'to' | 'cc' | 'bcc') => mailboxesOf(scanned, key, defaults[key]).mailboxes.map((m) => mailboxKey(m.envelopeAddress));
  const named = new Set([...keysOf('to'), ...keysOf('cc')]);
  const blind = new Set(keysOf('bcc'));
  const blindRecipients = envelope.envelope.to.filter((to) => blind.has(mailboxKey(to)) && !named.has(mailboxKey(to)));
  const subjectField = index.named('subject')[0];
  const subject = subjectField ? subjectField.value.trim() : defaults.subject?.trim() || undefined;

  const header = Buffer.from(headerLines.join(CRLF) + CRLF + CRLF, 'utf8');
  const bodyText = scanned.text.slice(scanned.bodyOffset);
  const body = bodyBytes(scanned, bodyText);
  const has8BitBody = scanned.ascii ? false : NON_ASCII.test(bodyText);
  const raw = body.length === 0 ? header : Buffer.concat([header, body]);
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
      blindRecipients,
      ...(subject ? { subject } : {}),
    },
  };
}

/**
 * Why the header fields cannot go on the wire, if they cannot: each entry is one field, whose only line
 * breaks are CRLF folds followed by whitespace (RFC 5322 section 2.2.3), holding no other control character
 * than TAB, and starting with a field name and a colon.
 */
export function unsafeHeaderField(fields: readonly string[]): string | undefined {
  for (const field of fields) {
    // Obsolete whitespace before the colon (RFC 5322 section 4.5) is kept as written.
    const name = /^[!-9;-~]+(?=[ \t]*:)/.exec(field);
    const label = name ? name[0] : JSON.stringify(field.slice(0, 20));
    if (!name) return `a header field would not start with a name and a colon (${label}): not sent`;
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i);
      if (c === 13 && field.charCodeAt(i + 1) === 10 && (field.charCodeAt(i + 2) === 32 || field.charCodeAt(i + 2) === 9)) {
        i++;
        continue;
      }
      if ((c < 32 && c !== 9) || c === 127) {
        return `${label} would hold ${c === 13 || c === 10 ? 'a line break that starts a new header field' : `the control character \\x${c.toString(16).padStart(2, '0')}`} (header injection): not sent`;
      }
    }
  }
  return undefined;
}

/** A field for the wire: as written (line breaks made CRLF) when it is ASCII, else encoded and refolded. */
function writeField(scanned: ScannedMessage, field: HeaderField, smtpUtf8: boolean, index: HeaderIndex): { text: string; needsSmtpUtf8: boolean } {
  const onlyCrlf = scanned.lineEndings.lf === 0 && scanned.lineEndings.cr === 0;
  const slice = scanned.text.slice(field.start, field.end);
  const asWritten = onlyCrlf || field.lines.length === 1 ? slice : slice.replace(/\r\n|\r|\n/g, CRLF);
  const addresses = ADDRESS_FIELDS.has(field.key) ? index.addressesOf(field) : undefined;
  if (addresses && addresses.semicolonSeparators.length > 0) {
    // A list separated with ";" (accepted with a warning) goes out with "," as RFC 5322 wants.
    const list = formatAddressList(addresses, smtpUtf8);
    return { text: foldField(field.name, list), needsSmtpUtf8: !isAscii(list) };
  }
  if (isAscii(asWritten)) return { text: asWritten, needsSmtpUtf8: false };
  if (smtpUtf8) return { text: asWritten, needsSmtpUtf8: true };
  const encoded = encodeFieldValue(field.key, field.value, addresses);
  if (encoded.needsSmtpUtf8 && !isAscii(encoded.value)) return { text: asWritten, needsSmtpUtf8: true };
  return { text: foldField(field.name, encoded.value), needsSmtpUtf8: encoded.needsSmtpUtf8 };
}

/** Profile defaults for the fields the document lacks (Bcc only reaches the envelope). */
function addDefaults(lines: string[], present: Set<string>, defaults: MessageDefaults, smtpUtf8: boolean): boolean {
  const added = lines.length;
  for (const key of ['from', 'to', 'cc'] as const) {
    const value = defaults[key];
    if (present.has(key) || value === undefined || value.trim() === '') continue;
    const list = formatAddressList(value, smtpUtf8);
    if (!list) continue;
    lines.push(foldField(canonicalName(key), list));
  }
  const subject = defaults.subject;
  if (!present.has('subject') && subject !== undefined && subject.trim() !== '') {
    const value = smtpUtf8 ? subject.trim() : encodeFieldValue('subject', subject).value;
    lines.push(smtpUtf8 ? `Subject: ${value}` : foldField('Subject', value));
  }
  // Raw UTF-8 left in a field (a UTF-8 local part, or any text when the server takes SMTPUTF8) needs
  // SMTPUTF8 (RFC 6531 section 3.4), as for the document's own fields (writeField).
  return lines.slice(added).some((line) => !isAscii(line));
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

/** Adds the envelope's problems that the rules did not already report (same place, code and words). */
function mergeProblems(into: Problem[], extra: Problem[]): void {
  // The message too: two refused profile defaults are both at no place, with one code.
  const key = (p: Problem): string => `${p.range.start.line}:${p.range.start.character}:${p.code}:${p.message}`;
  const seen = new Set(into.map(key));
  for (const p of extra) {
    if (!seen.has(key(p))) {
      into.push(p);
      seen.add(key(p));
    }
  }
}

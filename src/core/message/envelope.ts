// The SMTP envelope (RFC 5321 section 3.3) from the headers: MAIL FROM from Sender, else From;
// RCPT TO from To, Cc and Bcc, groups expanded, duplicates dropped. Every address is checked strictly
// here, because nodemailer writes envelope strings into SMTP commands: a value such as
// `a@x>\r\nRCPT TO:<b@y` or `a@x, b@y` must be refused, never turned into other recipients.
import type { Problem, Range } from '../types';
import { parseAddressList } from './addresses';
import * as codes from './codes';
import { indexHeaders } from './headerIndex';
import { rangeOf } from './scanner';
import type { EnvelopeResult, MessageDefaults, ParsedMailbox, ScannedMessage } from './types';

const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export const RECIPIENT_FIELDS = ['to', 'cc', 'bcc'] as const;

/** Mailboxes of a header (every occurrence) or, when the document has none, of the profile default. */
export interface SourcedMailboxes {
  mailboxes: ParsedMailbox[];
  problems: Problem[];
  /** The document has the field (defaults were not consulted). */
  fromDocument: boolean;
}

export function mailboxesOf(scanned: ScannedMessage, key: string, defaultValue?: string): SourcedMailboxes {
  const index = indexHeaders(scanned);
  const fields = index.named(key);
  const problems: Problem[] = [];
  const mailboxes: ParsedMailbox[] = [];
  if (fields.length > 0) {
    for (const field of fields) {
      const parsed = index.addressesOf(field);
      mailboxes.push(...parsed.mailboxes);
      for (const i of parsed.issues) {
        if (i.severity !== 'error') continue;
        problems.push({
          code: i.code,
          severity: 'error',
          message: `${field.name}: ${i.message}`,
          range: rangeOf(scanned, i.start, i.end),
        });
      }
    }
    return { mailboxes, problems, fromDocument: true };
  }
  if (defaultValue !== undefined && defaultValue.trim() !== '') {
    const parsed = parseAddressList(defaultValue);
    mailboxes.push(...parsed.mailboxes);
    for (const i of parsed.issues) {
      if (i.severity !== 'error') continue;
      problems.push({
        code: codes.DEFAULTS_BAD_ADDRESS,
        severity: 'error',
        message: `profile default "${key}": ${i.message}`,
        range: ZERO_RANGE,
      });
    }
  }
  return { mailboxes, problems, fromDocument: false };
}

/**
 * A last, independent check of an envelope address before it reaches nodemailer: one addr-spec, no
 * whitespace, no brackets, commas, semicolons or control characters. Returns why not, or undefined.
 */
export function envelopeAddressProblem(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return 'it is not of the form local@domain';
  let quoted = false;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c < 32 || c === 127) return 'it holds a control character or a line break';
    if (c === 34 /* " */ && i < at) {
      quoted = !quoted;
      continue;
    }
    if (c === 32 || c === 60 || c === 62 || c === 44 || c === 59 || c === 92 || c === 40 || c === 41) {
      return `it holds "${address[i]}", which could change the SMTP command`;
    }
    if (c === 64 && i !== at && !quoted) return 'it holds more than one "@"';
  }
  if (quoted) return 'its quoted local part is not closed';
  return undefined;
}

export function deriveEnvelope(scanned: ScannedMessage, defaults: MessageDefaults = {}): EnvelopeResult {
  const problems: Problem[] = [];
  const sender = mailboxesOf(scanned, 'sender');
  const from = mailboxesOf(scanned, 'from', defaults.from);
  problems.push(...sender.problems, ...from.problems);

  let mailFrom: ParsedMailbox | undefined;
  if (sender.fromDocument) mailFrom = sender.mailboxes[0];
  else if (from.mailboxes.length > 1) {
    problems.push({
      code: codes.FROM_NEEDS_SENDER,
      severity: 'error',
      message: 'From holds several mailboxes: add a Sender field naming the one who sends (RFC 5322 section 3.6.2)',
      range: fieldRange(scanned, 'from'),
    });
  } else mailFrom = from.mailboxes[0];
  if (!mailFrom && problems.length === 0) {
    problems.push({
      code: codes.ENVELOPE_NO_SENDER,
      severity: 'error',
      message: 'no sender address: add a From field (or a profile default "from")',
      range: fieldRange(scanned, 'from'),
    });
  }

  const to: string[] = [];
  const seen = new Set<string>();
  let needsSmtpUtf8 = mailFrom?.needsSmtpUtf8 ?? false;
  let recipientProblems = 0;
  for (const key of RECIPIENT_FIELDS) {
    const sourced = mailboxesOf(scanned, key, defaults[key]);
    problems.push(...sourced.problems);
    recipientProblems += sourced.problems.length;
    for (const mailbox of sourced.mailboxes) {
      const address = envelopeForm(mailbox);
      // The domain is case-insensitive; the local part strictly is not (RFC 5321 section 2.4).
      const dedupeKey = `${mailbox.localPart}@${mailbox.asciiDomain.toLowerCase()}`;
      if (seen.has(dedupeKey)) continue;
      seen.add(dedupeKey);
      const why = envelopeAddressProblem(address);
      if (why) {
        recipientProblems++;
        problems.push({
          code: codes.ENVELOPE_BAD_ADDRESS,
          severity: 'error',
          message: `${key}: "${mailbox.address}" cannot be sent: ${why}`,
          range: sourced.fromDocument ? rangeOf(scanned, mailbox.start, mailbox.end) : ZERO_RANGE,
        });
        continue;
      }
      needsSmtpUtf8 ||= mailbox.needsSmtpUtf8;
      to.push(address);
    }
  }
  if (to.length === 0 && recipientProblems === 0) {
    problems.push({
      code: codes.ENVELOPE_NO_RECIPIENTS,
      severity: 'error',
      message: 'no recipients: add a To, Cc or Bcc field (or a profile default)',
      range: ZERO_RANGE,
    });
  }
  let fromAddress = '';
  if (mailFrom) {
    fromAddress = envelopeForm(mailFrom);
    const why = envelopeAddressProblem(fromAddress);
    if (why) {
      problems.push({
        code: codes.ENVELOPE_BAD_ADDRESS,
        severity: 'error',
        message: `sender "${mailFrom.address}" cannot be used in MAIL FROM: ${why}`,
        range: sender.fromDocument || from.fromDocument ? rangeOf(scanned, mailFrom.start, mailFrom.end) : ZERO_RANGE,
      });
    }
  }
  if (problems.some((p) => p.severity === 'error') || !mailFrom) return { ok: false, problems };
  return { ok: true, envelope: { from: fromAddress, to }, needsSmtpUtf8, problems };
}

/**
 * The envelope spelling of a mailbox: ASCII domain; a quoted local part is unquoted when it is a plain
 * dot-atom anyway (`"john.doe"@x` is `john.doe@x`), else kept quoted and left to the final check.
 */
function envelopeForm(mailbox: ParsedMailbox): string {
  let local = mailbox.localPart;
  if (local.length >= 2 && local.startsWith('"') && local.endsWith('"')) {
    const inner = local.slice(1, -1);
    if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uFFFF]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uFFFF]+)*$/.test(inner)) {
      local = inner;
    }
  }
  return `${local}@${mailbox.asciiDomain}`;
}

function fieldRange(scanned: ScannedMessage, key: string): Range {
  const field = scanned.fields.find((f) => f.hasColon && f.key === key);
  return field ? field.range : ZERO_RANGE;
}


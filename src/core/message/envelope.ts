// The SMTP envelope (RFC 5321 section 3.3) from the headers: MAIL FROM from Sender, else From;
// RCPT TO from To, Cc and Bcc, groups expanded, duplicates dropped. Every address is checked strictly
// here, because nodemailer writes envelope strings into SMTP commands: a value such as
// `a@x>\r\nRCPT TO:<b@y` or `a@x, b@y` must be refused, never turned into other recipients.
// The same function runs as a rule (rules/envelopeAddresses.ts), so `check` and the editor report every
// reason a send would be refused (issue #11).
import type { Problem, Range } from '../types';
import { parseAddressList } from './addresses';
import * as codes from './codes';
import { firstUnsafeCodePoint } from './codePoints';
import { indexHeaders } from './headerIndex';
import { MAX_PROBLEMS_PER_FIELD, ProblemCap, moreProblems } from './problemCap';
import { rangeOf } from './scanner';
import type { AddressListResult, EnvelopeResult, HeaderField, MessageDefaults, ParsedMailbox, ScannedMessage } from './types';

const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export const RECIPIENT_FIELDS = ['to', 'cc', 'bcc'] as const;

/**
 * Problems deriveEnvelope copied from the address parser of a document field: the addressSyntax rule
 * reports each of them already, word for word, so the envelope rule leaves them out.
 */
const copiedFromParser = new WeakSet<Problem>();

export function isCopiedParseProblem(problem: Problem): boolean {
  return copiedFromParser.has(problem);
}

/** How the address list of a field is read: by default the scan's shared, already parsed copy (./headerIndex.ts). */
export type ParseField = (field: HeaderField) => AddressListResult;

/** Mailboxes of a header (every occurrence) or, when the document has none, of the profile default. */
export interface SourcedMailboxes {
  mailboxes: ParsedMailbox[];
  problems: Problem[];
  /** The document has the field (defaults were not consulted). */
  fromDocument: boolean;
  /** The document's fields of this name, in order. */
  fields: HeaderField[];
}

export function mailboxesOf(scanned: ScannedMessage, key: string, defaultValue?: string, parse: ParseField = indexHeaders(scanned).addressesOf): SourcedMailboxes {
  const fields = indexHeaders(scanned).named(key);
  const problems: Problem[] = [];
  const mailboxes: ParsedMailbox[] = [];
  if (fields.length > 0) {
    for (const field of fields) {
      const parsed = parse(field);
      mailboxes.push(...parsed.mailboxes);
      for (const i of parsed.issues) {
        if (i.severity !== 'error') continue;
        const problem: Problem = {
          code: i.code,
          severity: 'error',
          message: `${field.name}: ${i.message}`,
          range: rangeOf(scanned, i.start, i.end),
        };
        copiedFromParser.add(problem);
        problems.push(problem);
      }
    }
    return { mailboxes, problems, fromDocument: true, fields };
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
  return { mailboxes, problems, fromDocument: false, fields };
}

/**
 * A last, independent check of an envelope address before it reaches nodemailer, which writes it into
 * `RCPT TO:<...>` as it is: one addr-spec that every server reads the same way. RFC 5321 allows more in
 * a quoted local part (spaces, commas, "@", quoted-pairs), but servers and tools do not agree on those:
 * smtp-server splits the command at spaces (the rest would be read as ESMTP parameters) and the address
 * at "@", and address-list parsers split at commas. Those are refused, with the reason. Returns why not,
 * or undefined.
 */
export function envelopeAddressProblem(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return 'it is not of the form local@domain';
  const local = address.slice(0, at);
  const quoted = local.length >= 2 && local.startsWith('"') && local.endsWith('"');
  let ascii = true;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c > 127) ascii = false;
    if (c < 32 || c === 127) return 'it holds a control character or a line break';
    if (c === 32) {
      return quoted && i < at
        ? 'its quoted local part holds a space: valid (RFC 5322, RFC 5321), but servers that split the SMTP command at spaces, smtp-server among them, misread it and may take the rest for command parameters'
        : 'it holds a space, which would end the address in the SMTP command';
    }
    if (c === 60 || c === 62) return `it holds "${address[i]}", which would end the address in the SMTP command`;
    if (c === 44 || c === 59) return `it holds "${address[i]}": tools that split address lists would see two addresses`;
    if (c === 40 || c === 41) return `it holds "${address[i]}", which address parsers read as the start or end of a comment`;
    if (c === 92) return 'it holds a backslash (a quoted-pair): servers disagree on escapes inside a quoted local part';
    if (c === 34 && i < at && (!quoted || (i !== 0 && i !== at - 1))) return 'it holds a double quote that does not enclose the whole local part';
    if (c === 64 && i !== at) {
      return quoted && i < at
        ? 'its quoted local part holds "@": tools that split the address at its first "@" would deliver it to another domain'
        : 'it holds more than one "@"';
    }
  }
  if (quoted && local.length === 2) return 'its local part is empty ("") and names no mailbox';
  const unsafe = ascii ? undefined : firstUnsafeCodePoint(address);
  if (unsafe) return `it holds ${unsafe.code} (${unsafe.kind}), which displays differently from what would be sent`;
  return undefined;
}

/** The envelope spelling of a mailbox: ASCII domain, a quoted dot-atom unquoted (see parseAddrSpec). */
export function envelopeForm(mailbox: ParsedMailbox): string {
  return mailbox.envelopeAddress;
}

/** The key that says two mailboxes are one: the local part exactly, the domain in any case (RFC 5321 section 2.4). */
export function mailboxKey(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

export function deriveEnvelope(scanned: ScannedMessage, defaults: MessageDefaults = {}, parse: ParseField = indexHeaders(scanned).addressesOf): EnvelopeResult {
  const problems: Problem[] = [];
  const sender = mailboxesOf(scanned, 'sender', undefined, parse);
  const from = mailboxesOf(scanned, 'from', defaults.from, parse);
  problems.push(...sender.problems, ...from.problems);

  let mailFrom: ParsedMailbox | undefined;
  if (sender.fromDocument) mailFrom = sender.mailboxes[0];
  else if (from.mailboxes.length > 1) {
    problems.push({
      code: codes.FROM_NEEDS_SENDER,
      severity: 'error',
      message: from.fromDocument
        ? 'From holds several mailboxes: add a Sender field naming the one who sends (RFC 5322 section 3.6.2)'
        : 'the profile default "from" holds several mailboxes: MAIL FROM needs one (add a Sender field, or name one in the default)',
      range: fieldRange(scanned, 'from'),
    });
  } else mailFrom = from.mailboxes[0];
  if (!mailFrom && problems.length === 0) {
    const used = sender.fromDocument ? sender : from;
    problems.push({
      code: codes.ENVELOPE_NO_SENDER,
      severity: 'error',
      message: used.fromDocument
        ? `${used.fields[0].name} names no mailbox: MAIL FROM needs one`
        : defaults.from?.trim()
          ? 'the profile default "from" names no mailbox: MAIL FROM needs one'
          : 'no sender address: add a From field (or a profile default "from")',
      range: used.fromDocument ? used.fields[0].range : fieldRange(scanned, 'from'),
    });
  }

  const to: string[] = [];
  const seen = new Set<string>();
  let needsSmtpUtf8 = mailFrom?.needsSmtpUtf8 ?? false;
  let recipientProblems = 0;
  let fromDefaults = false;
  for (const key of RECIPIENT_FIELDS) {
    const sourced = mailboxesOf(scanned, key, defaults[key], parse);
    fromDefaults ||= !sourced.fromDocument && Boolean(defaults[key]?.trim());
    problems.push(...sourced.problems);
    recipientProblems += sourced.problems.length;
    const refused = new ProblemCap<Problem>();
    for (const mailbox of sourced.mailboxes) {
      const address = envelopeForm(mailbox);
      // One mailbox however it is written: "a"@x, a@X and a@x are one RCPT TO.
      const dedupeKey = mailboxKey(address);
      if (seen.has(dedupeKey)) continue;
      seen.add(dedupeKey);
      const why = envelopeAddressProblem(address);
      if (why) {
        recipientProblems++;
        refused.add({
          code: codes.ENVELOPE_BAD_ADDRESS,
          severity: 'error',
          message: sourced.fromDocument
            ? `${sourced.fields[0].name}: <${mailbox.address}> cannot be sent: ${why}`
            : `profile default "${key}": <${mailbox.address}> cannot be sent: ${why}`,
          range: sourced.fromDocument ? rangeOf(scanned, mailbox.start, mailbox.end) : ZERO_RANGE,
        });
        continue;
      }
      needsSmtpUtf8 ||= mailbox.needsSmtpUtf8;
      to.push(address);
    }
    problems.push(
      ...refused.items((count, _worst, first, last) => ({
        code: codes.TOO_MANY_PROBLEMS,
        severity: 'error',
        message: `${sourced.fromDocument ? sourced.fields[0].name : `profile default "${key}"`}: ${moreProblems(count, 'addresses')} cannot be sent (only the first ${MAX_PROBLEMS_PER_FIELD} are listed)`,
        range: { start: first.range.start, end: last.range.end },
      })),
    );
  }
  if (to.length === 0 && recipientProblems === 0) {
    problems.push({
      code: codes.ENVELOPE_NO_RECIPIENTS,
      severity: 'error',
      message: fromDefaults
        ? 'no recipients: the profile defaults name no address'
        : 'no recipients: add a To, Cc or Bcc field (or a profile default)',
      range: ZERO_RANGE,
    });
  }
  let fromAddress = '';
  if (mailFrom) {
    fromAddress = envelopeForm(mailFrom);
    const why = envelopeAddressProblem(fromAddress);
    if (why) {
      const fromDocument = sender.fromDocument || from.fromDocument;
      problems.push({
        code: codes.ENVELOPE_BAD_ADDRESS,
        severity: 'error',
        message: `${fromDocument ? 'the sender' : 'the profile default "from"'} <${mailFrom.address}> cannot be used in MAIL FROM: ${why}`,
        range: fromDocument ? rangeOf(scanned, mailFrom.start, mailFrom.end) : ZERO_RANGE,
      });
    }
  }
  if (problems.some((p) => p.severity === 'error') || !mailFrom) return { ok: false, problems };
  return { ok: true, envelope: { from: fromAddress, to }, needsSmtpUtf8, problems };
}

function fieldRange(scanned: ScannedMessage, key: string): Range {
  const field = scanned.fields.find((f) => f.hasColon && f.key === key);
  return field ? field.range : ZERO_RANGE;
}

// Types of the message core: the scanned document, parsed addresses, the envelope and the final bytes.
import type { Position, Problem, Range } from '../types';

/** How the text was obtained: given as a string, or decoded from bytes. */
export type Decoding = 'string' | 'utf-8' | 'latin1';

/** One physical line of a header field (the first line, or a folded continuation). */
export interface HeaderLine {
  /** Offset of the line's first character. */
  start: number;
  /** Offset just past the line's last character, line break excluded. */
  end: number;
  range: Range;
}

/** A header field as written, with exact positions. Offsets index `ScannedMessage.text`. */
export interface HeaderField {
  /** Position of the field in the header block, from 0. */
  index: number;
  /** The name as written (may be empty or hold illegal characters on a broken line). */
  name: string;
  /** The name lowercased, for lookups (`subject`, `to`, ...). */
  key: string;
  /** False for a header line with no colon: `name` is then the whole first line. */
  hasColon: boolean;
  /** Whitespace between the name and the colon (obsolete syntax, RFC 5322 section 4.5). */
  spaceBeforeColon: boolean;
  /** Offset of the first character of the field. */
  start: number;
  /** Offset just past the field's last character (its final line break excluded). */
  end: number;
  /** Offset just past the field's final line break (where the next line starts). */
  next: number;
  /** Offset of the first character after the colon (== end when there is no colon). */
  valueStart: number;
  /** The value unfolded (RFC 5322 section 2.2.3: the line breaks of folding removed, whitespace kept). */
  value: string;
  /** The value as written, folding line breaks included. Offset 0 is `valueStart`. */
  rawValue: string;
  range: Range;
  nameRange: Range;
  colonRange?: Range;
  valueRange: Range;
  lines: HeaderLine[];
}

export interface LineEndingCounts {
  crlf: number;
  lf: number;
  cr: number;
}

/** A line longer than 78 characters, found by the scanner (the rules decide what to report). */
export interface LongLine {
  line: number;
  start: number;
  end: number;
  inHeader: boolean;
}

/** The whole document, read once into fields and positions. Built by `scanMessage`, never throws. */
export interface ScannedMessage {
  text: string;
  decoding: Decoding;
  /** The original bytes when the input was bytes. */
  bytes?: Uint8Array;
  /** The text is known to be all 7-bit ASCII (set when decoded from bytes; undefined for a string). */
  ascii?: boolean;
  /** A byte-order mark was present (for bytes it was dropped from `text`; for a string it stays at offset 0). */
  bom: boolean;
  /** Offset where the header block starts (1 when a string starts with U+FEFF). */
  headerStart: number;
  fields: HeaderField[];
  /** The blank line that ends the header block, if there is one. */
  separator?: { start: number; end: number; range: Range };
  /** Offset where the body starts (== text.length when there is no body). */
  bodyOffset: number;
  /** Zero-based line of the body's first line. */
  bodyLine: number;
  hasBody: boolean;
  lineEndings: LineEndingCounts;
  /** Where the first bare LF line ending is (offset of the break), if any. */
  firstBareLf?: number;
  /** Where the first bare CR line ending of the body is, if any (in the body a bare CR is a line break, sent as CRLF). */
  firstBareCr?: number;
  /**
   * Bare CRs in the header block. They end no header line (only LF and CRLF do, so a CR never starts a
   * field), but they still count in `lineEndings.cr` and in positions, the way VS Code breaks lines.
   */
  bareCrsInHeader: number;
  firstHeaderBareCr?: number;
  /** Offset of every line's start (the body's part is built on first use). */
  readonly lineStarts: number[];
  /** The zero-based position of an offset (header positions never build the body's line index). */
  positionAt(offset: number): Position;
  /** Lines over 78 characters: the first 200 of them, and every line over 998. */
  longLines: LongLine[];
  /** Count of lines over 78 characters. */
  longLineCount: number;
}

/** One mailbox parsed out of an address list. Offsets index the text given to `parseAddressList` plus its `offset`. */
export interface ParsedMailbox {
  /** The display name, unquoted, if any. */
  displayName?: string;
  /** The addr-spec as written (without comments or surrounding whitespace). */
  address: string;
  localPart: string;
  domain: string;
  /** The domain in ASCII form (IDN converted to punycode A-labels). */
  asciiDomain: string;
  /** What goes into the envelope: the local part (unquoted when it is a dot-atom anyway) `@asciiDomain`. */
  envelopeAddress: string;
  /** The local part holds non-ASCII characters: only an SMTPUTF8 server can take it (RFC 6531). */
  needsSmtpUtf8: boolean;
  /** The domain is internationalised (IDN). */
  idn: boolean;
  /** The group this mailbox belongs to, if any. */
  group?: string;
  start: number;
  end: number;
}

export interface AddressIssue {
  code: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  start: number;
  end: number;
  /** How the typo behind this issue is mended, when it is a common one and the mended text parses. */
  repair?: AddressRepair;
}

/**
 * The mending of a common address typo, in the same offsets as the issue: the address rule turns it into
 * a quick fix. Only given when the address, mended, parses without a problem.
 * - `angle-brackets`: `Name addr@x` becomes `Name <addr@x>`
 * - `extra-at`: `addr@@x` loses its second "@"
 * - `stray-dot`: a leading, doubled or trailing "." of a domain (or local part) is removed
 * - `missing-comma`: `<a@x> b@y` becomes `<a@x>, b@y`
 * - `missing-close-angle`: `Name <addr@x` gets its ">"
 * - `quote-name`: a display name with special characters is put in double quotes
 */
export interface AddressRepair {
  kind: 'angle-brackets' | 'extra-at' | 'stray-dot' | 'missing-comma' | 'missing-close-angle' | 'quote-name';
  /** For `stray-dot`: which part of the address the dot was in. */
  part?: 'local part' | 'domain';
  edits: Array<{ start: number; end: number; newText: string }>;
}

export interface ParsedGroup {
  name: string;
  start: number;
  end: number;
  members: ParsedMailbox[];
}

export interface AddressListResult {
  /** Every mailbox, group members included (in order). */
  mailboxes: ParsedMailbox[];
  groups: ParsedGroup[];
  /** At most MAX_PROBLEMS_PER_FIELD (problemCap.ts), then one `too-many-problems` summary; plus the `;` warning. */
  issues: AddressIssue[];
  /** Offsets of `;` used as list separators (not group ends): fixable to `,`. */
  semicolonSeparators: number[];
}

/** Values a profile supplies for what the document lacks (as in Dapr's SMTP binding). Lists may use `;`. */
export interface MessageDefaults {
  from?: string;
  to?: string;
  cc?: string;
  bcc?: string;
  subject?: string;
}

export interface ValidateOptions {
  defaults?: MessageDefaults;
  /** The server is known to take SMTPUTF8 (RFC 6531): non-ASCII addresses are then no problem. */
  smtpUtf8?: boolean;
  /** Clock for the fixes that add a Date (tests pass a fixed one). */
  now?: Date;
  messageIdDomain?: string;
}

export interface PrepareOptions {
  defaults?: MessageDefaults;
  smtpUtf8?: boolean;
  now?: Date;
  messageIdDomain?: string;
  /** Directory of the document, for relative references (reserved for attachments). */
  baseDir?: string;
}

/** SMTP envelope: bare addr-specs (no angle brackets), strictly validated. */
export interface Envelope {
  from: string;
  to: string[];
}

export type EnvelopeResult =
  | { ok: true; envelope: Envelope; needsSmtpUtf8: boolean; problems: Problem[] }
  | { ok: false; problems: Problem[] };

export interface PreparedMessage {
  envelope: Envelope;
  /** The exact bytes to send: CRLF line endings, Bcc removed, Date and Message-ID present. */
  raw: Buffer;
  /** Byte length of `raw` (declared with SIZE, RFC 1870). */
  size: number;
  /** The Message-ID with its angle brackets. */
  messageId: string;
  /** The message or envelope holds non-ASCII addresses or raw UTF-8 headers: needs SMTPUTF8. */
  needsSmtpUtf8: boolean;
  /** The body holds 8-bit data: the send layer declares BODY=8BITMIME (RFC 6152). */
  has8BitBody: boolean;
  /** The envelope recipients that came from Bcc (they get the message without seeing each other). */
  blindRecipients?: string[];
  /** The Subject as written (not encoded), for reviews and the history. */
  subject?: string;
}

export type PrepareResult =
  | { ok: true; message: PreparedMessage; problems: Problem[] }
  | { ok: false; problems: Problem[] };

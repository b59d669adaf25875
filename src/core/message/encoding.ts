// Header values for the wire: non-ASCII text becomes RFC 2047 encoded-words (nodemailer's encoder),
// addresses are rewritten with punycode domains and encoded display names.
import { encodeWords, foldLines, quoteString } from 'nodemailer/lib/mime-funcs';
import { parseAddressList } from './addresses';
import { isAscii } from './domain';
import { ADDRESS_FIELDS, STRUCTURED_FIELDS } from './headerNames';
import type { AddressListResult, ParsedMailbox } from './types';

/** RFC 5322 section 3.2.3 atext plus spaces: a display name of only these needs no quotes. */
const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/;

/** A display name or group name as a phrase: encoded-words for non-ASCII text, quoted where specials need it. */
function formatPhrase(name: string, smtpUtf8: boolean): string {
  if (!isAscii(name) && !smtpUtf8) return encodeWords(name, 'Q', 52, true);
  return PLAIN_PHRASE.test(name) ? name : quoteString(name);
}

export function formatMailbox(mailbox: ParsedMailbox, smtpUtf8 = false): string {
  const address = smtpUtf8 ? mailbox.address : `${mailbox.localPart}@${mailbox.asciiDomain}`;
  const name = mailbox.displayName;
  if (name === undefined || name === '') return address;
  return `${formatPhrase(name, smtpUtf8)} <${address}>`;
}

/**
 * An address list as written again: groups kept where they stood, their names quoted like display names (a
 * comma in a group name would otherwise split the list), `;` separators turned into `,`, comments dropped.
 */
export function formatAddressList(value: string | AddressListResult, smtpUtf8 = false): string {
  const parsed = typeof value === 'string' ? parseAddressList(value) : value;
  const parts: string[] = [];
  const groupsDone = new Set<string>();
  const writeGroup = (group: AddressListResult['groups'][number]) => {
    groupsDone.add(group.name);
    parts.push(`${formatPhrase(group.name, smtpUtf8)}: ${group.members.map((m) => formatMailbox(m, smtpUtf8)).join(', ')};`);
  };
  for (const mailbox of parsed.mailboxes) {
    if (mailbox.group === undefined) parts.push(formatMailbox(mailbox, smtpUtf8));
    else if (!groupsDone.has(mailbox.group)) {
      const group = parsed.groups.find((g) => g.name === mailbox.group);
      if (group) writeGroup(group);
    }
  }
  // Groups with no members (`Undisclosed recipients:;`) hold no mailbox to place them by.
  for (const group of parsed.groups) if (!groupsDone.has(group.name)) writeGroup(group);
  return parts.join(', ');
}

export interface EncodedValue {
  value: string;
  /** The value had to stay raw UTF-8 (a structured field, or a UTF-8 local part). */
  needsSmtpUtf8: boolean;
}

/** The value of a field ready for a 7-bit header, or kept as it is when it cannot be encoded. */
/** `parsed`: the value's address list when the caller has it already (address fields). */
export function encodeFieldValue(key: string, unfolded: string, parsed?: AddressListResult): EncodedValue {
  const value = unfolded.trim();
  if (isAscii(value)) return { value, needsSmtpUtf8: false };
  if (ADDRESS_FIELDS.has(key)) {
    const list = parsed ?? parseAddressList(value);
    const utf8Local = list.mailboxes.some((m) => m.needsSmtpUtf8);
    return { value: formatAddressList(list), needsSmtpUtf8: utf8Local };
  }
  // Encoded-words may not appear in structured fields (RFC 2047 section 5): those need SMTPUTF8.
  if (STRUCTURED_FIELDS.has(key) || key.startsWith('content-')) return { value, needsSmtpUtf8: true };
  return { value: encodeWords(value, 'Q', 52), needsSmtpUtf8: false };
}

/** `Name: value` folded to lines of at most 76 characters, CRLF between them, no final line break. */
export function foldField(name: string, value: string): string {
  return foldLines(`${name}: ${value}`, 76).replace(/\r?\n/g, '\r\n');
}

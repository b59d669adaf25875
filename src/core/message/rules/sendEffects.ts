// What the send will do for the author, said in a few words: the notes the rules report as hints
// (kept out of VS Code's Problems view, which lists only what to act on) become one line for the
// CodeLens above the headers: "adds Date and Message-ID · CRLF line endings".
import type { Problem } from '../../types';
import * as codes from '../codes';
import { indexHeaders } from '../headerIndex';
import type { MessageDefaults, ScannedMessage } from '../types';

export interface SendEffects {
  /** One short line, empty when the send sends the text as it is. */
  summary: string;
  /** The notes behind it, one per kind, in full (a tooltip or hover). */
  details: string[];
}

/** The fields the send adds when missing, in the order they are named. */
const ADDED_FIELDS: ReadonlyArray<[code: string, field: string]> = [
  [codes.MISSING_DATE, 'Date'],
  [codes.MISSING_MESSAGE_ID, 'Message-ID'],
];

/** The other notes, each as a few words. */
const NOTES: ReadonlyArray<[code: string, words: string]> = [
  [codes.BCC_REMOVED, 'Bcc hidden'],
  [codes.HEADER_NON_ASCII, 'non-ASCII headers encoded'],
  [codes.ADDRESS_IDN, 'IDN domains as punycode'],
  [codes.BARE_LF, 'CRLF line endings'],
  [codes.BARE_CR, 'CRLF line endings'],
  [codes.BOM, 'byte-order mark dropped'],
];

function andList(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * `problems` are a document's problems; `fromProfile` the fields the profile's defaults fill in
 * (`From`, `Subject`, ...). Only hints count as notes about the send (a problem someone raised to info or
 * above is in the Problems view already), except the line-ending and BOM ones, which say what the send
 * does whatever their level.
 */
export function describeSendEffects(problems: readonly Problem[], fromProfile: readonly string[] = []): SendEffects {
  const byCode = new Map<string, Problem>();
  for (const p of problems) if (!byCode.has(p.code)) byCode.set(p.code, p);
  const noted = (code: string) => {
    const p = byCode.get(code);
    return p !== undefined && (p.severity === 'hint' || code === codes.BARE_LF || code === codes.BARE_CR || code === codes.BOM);
  };
  const parts: string[] = [];
  const details: string[] = [];
  const added = ADDED_FIELDS.filter(([code]) => noted(code));
  if (added.length) parts.push(`adds ${andList(added.map(([, field]) => field))}`);
  if (fromProfile.length) {
    parts.push(`${andList(fromProfile)} from the profile`);
    details.push(`${andList(fromProfile)}: the profile's default${fromProfile.length > 1 ? 's' : ''}, as the message has none`);
  }
  for (const [code, words] of NOTES) if (noted(code) && !parts.includes(words)) parts.push(words);
  for (const [code] of [...ADDED_FIELDS, ...NOTES]) if (noted(code)) details.push(byCode.get(code)!.message);
  return { summary: parts.join(' · '), details: [...new Set(details)] };
}

const DEFAULT_FIELDS: ReadonlyArray<[key: keyof MessageDefaults, name: string]> = [
  ['from', 'From'],
  ['to', 'To'],
  ['cc', 'Cc'],
  ['bcc', 'Bcc'],
  ['subject', 'Subject'],
];

/** The fields a profile's defaults fill in: those the message lacks (a default never replaces a field). */
export function fieldsFromDefaults(scanned: ScannedMessage, defaults: MessageDefaults | undefined): string[] {
  if (!defaults) return [];
  const { fieldsByKey } = indexHeaders(scanned);
  return DEFAULT_FIELDS.filter(([key]) => defaults[key]?.trim() && !fieldsByKey.has(key)).map(([, name]) => name);
}

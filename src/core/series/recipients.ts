// Who receives each message of a series, and why, by git send-email's rules (so both agree):
//  To = the initial To (command line, else the repository's sendemail.to, else the profile's defaults.to)
//       + the patch's own To fields + the --to-cmd output;
//  Cc = the initial Cc (likewise) + the patch's author (From) + its Cc fields + the addresses of its
//       Signed-off-by:, other -by: and Cc: lines + the --cc-cmd output;
//  an address already in To leaves Cc; each address once. `--suppress-cc` drops categories as git does:
//  author, self (the sender's own address), cc (Cc fields), bodycc (Cc: lines), sob, misc-by, cccmd,
//  body (= sob, bodycc, misc-by), all.
import { parseAddressList } from '../message/addresses';
import type { ParsedMailbox } from '../message/types';
import type { SeriesMessage } from './patch';
import { decodeEncodedWords } from './rfc2047';

export const SUPPRESS_CATEGORIES = ['author', 'self', 'cc', 'bodycc', 'sob', 'misc-by', 'cccmd', 'body', 'all'] as const;
export type SuppressCategory = (typeof SUPPRESS_CATEGORIES)[number];

export type RecipientOrigin =
  | 'command-line'
  | 'git-config'
  | 'profile'
  | 'patch-to'
  | 'patch-cc'
  | 'author'
  | 'signed-off-by'
  | 'trailer'
  | 'body-cc'
  | 'to-cmd'
  | 'cc-cmd';

export interface Recipient {
  /** As it goes into the header: `Name <address>` or the bare address. */
  text: string;
  /** The bare address (what RCPT TO gets), for comparisons. */
  address: string;
  origin: RecipientOrigin;
  /** More about the origin: the trailer's key ("Reviewed-by"), the command. */
  detail?: string;
}

export interface InitialRecipient {
  text: string;
  origin: 'command-line' | 'git-config' | 'profile';
}

export interface MessageRecipients {
  to: Recipient[];
  cc: Recipient[];
}

/** git's older switches, which "trump --suppress-cc" (git-send-email.perl): sendemail.suppressFrom, signedOffByCc. */
export interface SuppressOverrides {
  suppressFrom?: boolean;
  signedOffByCc?: boolean;
}

/** The suppress categories as git expands them, in git's order: `all`, then the older switches, then `body`. */
export function expandSuppress(categories: Iterable<string>, overrides: SuppressOverrides = {}): Set<string> {
  const set = new Set(categories);
  if (set.has('all')) for (const c of ['cccmd', 'cc', 'author', 'self', 'sob', 'body', 'bodycc', 'misc-by']) set.add(c);
  set.delete('all');
  if (overrides.suppressFrom === true) set.add('self');
  if (overrides.suppressFrom === false) set.delete('self');
  if (overrides.signedOffByCc === true) set.delete('sob');
  if (overrides.signedOffByCc === false) set.add('sob');
  if (set.has('body')) for (const c of ['sob', 'bodycc', 'misc-by']) set.add(c);
  set.delete('body');
  return set;
}

export interface RecipientInput {
  sender: string;
  to: readonly InitialRecipient[];
  cc: readonly InitialRecipient[];
  suppress: Set<string>;
  /** The addresses --to-cmd and --cc-cmd printed for this message (already run). */
  toCmd?: { command: string; lines: readonly string[] };
  ccCmd?: { command: string; lines: readonly string[] };
}

export function recipientsOf(message: SeriesMessage, input: RecipientInput): MessageRecipients {
  const self = bareAddress(input.sender);
  const suppressed = input.suppress;
  const to: Recipient[] = [];
  const cc: Recipient[] = [];
  const isSelf = (address: string | undefined) => address !== undefined && address === self;

  if (message.author) {
    const author = mailboxes(message.author)[0];
    if (author && !suppressed.has('author') && !(suppressed.has('self') && isSelf(author.address))) cc.push({ ...author, origin: 'author' });
  }
  for (const value of message.headerTo) for (const m of mailboxes(value)) to.push({ ...m, origin: 'patch-to' });
  for (const value of message.headerCc) {
    for (const m of mailboxes(value)) {
      if (isSelf(m.address) ? suppressed.has('self') : suppressed.has('cc')) continue;
      cc.push({ ...m, origin: 'patch-cc' });
    }
  }
  for (const trailer of message.trailers) {
    const value = stripGarbage(trailer.value);
    if (!/.+@.+|<.+>/.test(value)) continue;
    const found = mailboxes(value)[0];
    if (!found) continue;
    const sob = /^signed-off-by$/i.test(trailer.key);
    const by = !sob && /-by$/i.test(trailer.key);
    if (isSelf(found.address)) {
      if (suppressed.has('self')) continue;
    } else if (sob ? suppressed.has('sob') : by ? suppressed.has('misc-by') : suppressed.has('bodycc')) continue;
    cc.push({ ...found, origin: sob ? 'signed-off-by' : by ? 'trailer' : 'body-cc', detail: trailer.key });
  }
  for (const line of input.toCmd?.lines ?? []) {
    for (const m of mailboxes(line.trim())) if (!(isSelf(m.address) && suppressed.has('self'))) to.push({ ...m, origin: 'to-cmd', detail: input.toCmd!.command });
  }
  if (!suppressed.has('cccmd')) {
    for (const line of input.ccCmd?.lines ?? []) {
      for (const m of mailboxes(line.trim())) if (!(isSelf(m.address) && suppressed.has('self'))) cc.push({ ...m, origin: 'cc-cmd', detail: input.ccCmd!.command });
    }
  }
  const initial = (list: readonly InitialRecipient[]): Recipient[] => list.flatMap((r) => mailboxes(r.text).map((m) => ({ ...m, origin: r.origin })));
  const allTo = unique([...initial(input.to), ...to]);
  const inTo = new Set(allTo.map((r) => r.address));
  const allCc = unique([...initial(input.cc), ...cc].filter((r) => !inTo.has(r.address)));
  return { to: allTo, cc: allCc };
}

/** git send-email's strip_garbage_one_address: `Name <a@x> # 5.10+` -> `Name <a@x>`; `a@x # note` -> `a@x`. */
export function stripGarbage(value: string): string {
  const text = value.replace(/[\r\n]+$/, '');
  const named = /^(("[^"]*"|[^"<]*)? *<[^>]*>)/.exec(text);
  if (named) return named[1];
  const bare = /^([^"#,\s]*)/.exec(text);
  return bare ? bare[1] : text;
}

/** Each mailbox of an address list as text for a header and its bare address. */
export function mailboxes(value: string): { text: string; address: string }[] {
  return parseAddressList(decodeEncodedWords(value)).mailboxes.map((m) => ({ text: mailboxText(m), address: bareOf(m) }));
}

export function bareAddress(value: string): string | undefined {
  return mailboxes(value)[0]?.address;
}

function bareOf(m: ParsedMailbox): string {
  return `${m.localPart}@${m.domain}`.toLowerCase();
}

function mailboxText(m: ParsedMailbox): string {
  const address = `${m.localPart}@${m.domain}`;
  if (!m.displayName) return address;
  const name = /[()<>[\]:;@\\,."]/.test(m.displayName) ? `"${m.displayName.replace(/(["\\])/g, '\\$1')}"` : m.displayName;
  return `${name} <${address}>`;
}

function unique(list: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return list.filter((r) => (seen.has(r.address) ? false : (seen.add(r.address), true)));
}

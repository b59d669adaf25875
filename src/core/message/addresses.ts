// RFC 5322 section 3.4 address lists: mailboxes (`addr-spec` or `display-name <addr-spec>`), groups
// (`name: a@x, b@y;`), quoted strings, comments, folding; UTF-8 per RFC 6532. Each mailbox and each
// problem carries its offsets, so the editor can point at the exact bad address. Linear, never throws.
import { MAX_ADDRESS_OCTETS, MAX_LOCAL_PART_OCTETS, checkDomain, isAscii, utf8Length } from './domain';
import type { AddressIssue, AddressListResult, ParsedGroup, ParsedMailbox } from './types';
import * as codes from './codes';
import { countWork } from '../probe';

type TokenType = 'atom' | 'quoted' | 'literal' | 'special' | 'bad';

interface Token {
  type: TokenType;
  /** For specials, the character; for quoted strings, the content unescaped; else the text. */
  value: string;
  start: number;
  end: number;
}

const SPECIALS = '()<>[]:;@\\,."';

function isAtext(code: number): boolean {
  if (code > 127) return true; // RFC 6532 section 3.2: UTF-8 in atext
  if (code <= 32 || code === 127) return false;
  return SPECIALS.indexOf(String.fromCharCode(code)) === -1;
}

function isFws(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

interface Tokenized {
  tokens: Token[];
  issues: AddressIssue[];
}

/** Splits the text into tokens; comments and whitespace are dropped (they separate tokens). */
function tokenize(text: string, offset: number): Tokenized {
  const tokens: Token[] = [];
  const issues: AddressIssue[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isFws(c)) {
      i++;
    } else if (c === 40 /* ( */) {
      // Comments nest and may hold quoted-pairs (RFC 5322 section 3.2.2).
      const start = i;
      let depth = 0;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 40) depth++;
        else if (d === 41 && --depth === 0) break;
      }
      if (i >= n) {
        issues.push(issue(codes.ADDRESS_SYNTAX, 'error', 'a comment "(" is never closed', start, n, offset));
        i = n;
      } else i++;
    } else if (c === 34 /* " */) {
      const start = i;
      const parts: string[] = [];
      let runStart = ++i;
      let closed = false;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) {
          parts.push(text.slice(runStart, i));
          runStart = i + 1;
          i++;
        } else if (d === 13 || d === 10) {
          // Folding inside a quoted string is removed on unfolding.
          parts.push(text.slice(runStart, i));
          runStart = i + 1;
        } else if (d === 34) {
          closed = true;
          break;
        }
      }
      parts.push(text.slice(runStart, Math.min(i, n)));
      if (!closed) {
        issues.push(issue(codes.ADDRESS_SYNTAX, 'error', 'a quoted string is never closed', start, n, offset));
        i = n;
      } else i++;
      tokens.push({ type: 'quoted', value: parts.join(''), start: start + offset, end: i + offset });
    } else if (c === 91 /* [ */) {
      const start = i;
      while (i < n && text.charCodeAt(i) !== 93) i++;
      if (i < n) i++;
      tokens.push({ type: 'literal', value: text.slice(start, i), start: start + offset, end: i + offset });
    } else if (isAtext(c)) {
      const start = i;
      while (i < n && isAtext(text.charCodeAt(i))) i++;
      tokens.push({ type: 'atom', value: text.slice(start, i), start: start + offset, end: i + offset });
    } else if (c === 60 || c === 62 || c === 64 || c === 44 || c === 59 || c === 58 || c === 46) {
      tokens.push({ type: 'special', value: text[i], start: i + offset, end: i + 1 + offset });
      i++;
    } else {
      tokens.push({ type: 'bad', value: text[i], start: i + offset, end: i + 1 + offset });
      i++;
    }
  }
  return { tokens, issues };
}

function issue(
  code: string,
  severity: AddressIssue['severity'],
  message: string,
  start: number,
  end: number,
  offset = 0,
): AddressIssue {
  return { code, severity, message, start: start + offset, end: end + offset };
}

const isSpecial = (t: Token | undefined, ch: string): boolean => t !== undefined && t.type === 'special' && t.value === ch;

/**
 * Parses an address list. `offset` is added to every offset in the result (pass the offset of the
 * field value in the document). Folding line breaks in `text` count as whitespace.
 */
export function parseAddressList(text: string, offset = 0): AddressListResult {
  countWork('addressList');
  const { tokens, issues } = tokenize(text, offset);
  const mailboxes: ParsedMailbox[] = [];
  const groups: ParsedGroup[] = [];
  const semicolonSeparators: number[] = [];
  let group: ParsedGroup | undefined;
  // After "g: a@x;" the next "," separates the group from what follows: not an empty entry.
  let afterGroup = false;
  let i = 0;
  const n = tokens.length;
  while (i < n) {
    const chunkStart = i;
    let inAngle = false;
    for (; i < n; i++) {
      const t = tokens[i];
      if (t.type !== 'special') continue;
      if (t.value === '<') inAngle = true;
      else if (t.value === '>') inAngle = false;
      else if (inAngle) continue;
      else if (t.value === ',' || t.value === ';') break;
      else if (t.value === ':' && !group) break;
    }
    const chunk = tokens.slice(chunkStart, i);
    const separator = i < n ? tokens[i] : undefined;
    i++;
    if (separator && separator.value === ':') {
      const name = phraseText(chunk);
      const start = chunk.length ? chunk[0].start : separator.start;
      if (!name) {
        // Not a group: skip to the next "," so nothing after the stray ":" becomes a recipient.
        let end = separator.end;
        let angle = false;
        for (; i < n; i++) {
          const t = tokens[i];
          if (isSpecial(t, '<')) angle = true;
          else if (isSpecial(t, '>')) angle = false;
          else if (!angle && isSpecial(t, ',')) break;
          end = t.end;
        }
        i++;
        const message = chunk.length ? `"${summary(chunk)}:" is neither an address nor a group name` : 'a group needs a name before ":"';
        issues.push(issue(codes.ADDRESS_SYNTAX, 'error', message, start, end));
        continue;
      }
      group = { name, start, end: separator.end, members: [] };
      groups.push(group);
      continue;
    }
    if (chunk.length > 0) {
      const mailbox = parseMailbox(chunk, issues);
      if (mailbox) {
        if (group) {
          mailbox.group = group.name;
          group.members.push(mailbox);
        }
        mailboxes.push(mailbox);
      }
    } else if (separator && !afterGroup && (separator.value === ',' || !group)) {
      issues.push(
        issue(codes.ADDRESS_EMPTY_ENTRY, 'warning', `an empty entry before "${separator.value}"`, separator.start, separator.end),
      );
    }
    afterGroup = false;
    if (separator && separator.value === ';') {
      if (group) {
        group.end = separator.end;
        group = undefined;
        afterGroup = true;
      } else {
        semicolonSeparators.push(separator.start);
      }
    }
  }
  if (group) {
    issues.push(issue(codes.ADDRESS_SYNTAX, 'error', `the group "${group.name}" is not closed with ";"`, group.start, group.end));
  }
  if (semicolonSeparators.length > 0) {
    const first = semicolonSeparators[0];
    issues.push(
      issue(
        codes.ADDRESS_SEMICOLON,
        'warning',
        'addresses are separated with ";" (RFC 5322 uses ","): accepted, but other programs may not read it',
        first,
        first + 1,
      ),
    );
  }
  return { mailboxes, groups, issues, semicolonSeparators };
}

/** The text of a display name (atoms and quoted strings joined by single spaces), undefined if none. */
function phraseText(tokens: Token[]): string | undefined {
  const words: string[] = [];
  for (const t of tokens) {
    if (t.type === 'atom' || t.type === 'quoted') words.push(t.value);
    else if (isSpecial(t, '.')) words.push('.'); // obs-phrase (RFC 5322 section 4.1): "J. Smith"
    else return undefined;
  }
  if (words.length === 0) return undefined;
  return words.join(' ').replace(/ \. /g, '. ').replace(/ \.$/, '.');
}

function parseMailbox(chunk: Token[], issues: AddressIssue[]): ParsedMailbox | undefined {
  const chunkStart = chunk[0].start;
  const chunkEnd = chunk[chunk.length - 1].end;
  const bad = chunk.find((t) => t.type === 'bad');
  if (bad) {
    issues.push(issue(codes.ADDRESS_SYNTAX, 'error', `unexpected character "${printable(bad.value)}" in an address`, bad.start, bad.end));
    return undefined;
  }
  const open = chunk.findIndex((t) => isSpecial(t, '<'));
  if (open === -1) {
    if (chunk.some((t) => isSpecial(t, '>'))) {
      issues.push(issue(codes.ADDRESS_SYNTAX, 'error', 'a ">" with no "<" before it', chunkStart, chunkEnd));
      return undefined;
    }
    if (!chunk.some((t) => isSpecial(t, '@'))) {
      issues.push(issue(codes.ADDRESS_SYNTAX, 'error', `"${summary(chunk)}" is not an address (no "@")`, chunkStart, chunkEnd));
      return undefined;
    }
    return parseAddrSpec(chunk, undefined, issues);
  }
  const close = chunk.findIndex((t, k) => k > open && isSpecial(t, '>'));
  if (close === -1) {
    issues.push(issue(codes.ADDRESS_SYNTAX, 'error', 'the address is missing its closing ">"', chunk[open].start, chunkEnd));
    return undefined;
  }
  if (close + 1 < chunk.length) {
    const extra = chunk[close + 1];
    issues.push(issue(codes.ADDRESS_SYNTAX, 'error', 'text after ">" (a missing ","?)', extra.start, chunkEnd));
    return undefined;
  }
  let displayName: string | undefined;
  if (open > 0) {
    displayName = phraseText(chunk.slice(0, open));
    if (displayName === undefined) {
      issues.push(
        issue(
          codes.ADDRESS_SYNTAX,
          'error',
          'the display name holds special characters: put it in double quotes',
          chunk[0].start,
          chunk[open - 1].end,
        ),
      );
      return undefined;
    }
  }
  const inner = chunk.slice(open + 1, close);
  if (inner.length === 0) {
    issues.push(issue(codes.ADDRESS_SYNTAX, 'error', 'empty angle brackets "<>"', chunk[open].start, chunk[close].end));
    return undefined;
  }
  const mailbox = parseAddrSpec(inner, displayName, issues);
  if (mailbox) {
    mailbox.start = chunkStart;
    mailbox.end = chunkEnd;
  }
  return mailbox;
}

/** `local-part "@" domain`, written without whitespace or comments inside (dot-atom, RFC 5322 section 3.4.1). */
function parseAddrSpec(tokens: Token[], displayName: string | undefined, issues: AddressIssue[]): ParsedMailbox | undefined {
  const start = tokens[0].start;
  const end = tokens[tokens.length - 1].end;
  const fail = (message: string, s = start, e = end): undefined => {
    issues.push(issue(codes.ADDRESS_SYNTAX, 'error', message, s, e));
    return undefined;
  };
  for (let k = 1; k < tokens.length; k++) {
    if (tokens[k].start !== tokens[k - 1].end) {
      return fail(
        displayName === undefined && !tokens.some((t) => isSpecial(t, '<'))
          ? `"${summary(tokens)}" has spaces or comments inside the address (a display name needs <angle brackets>)`
          : 'spaces or comments inside the address',
      );
    }
  }
  const ats = tokens.filter((t) => isSpecial(t, '@'));
  if (ats.length !== 1) return fail(ats.length === 0 ? 'the address has no "@"' : 'the address has more than one "@"');
  const at = tokens.indexOf(ats[0]);
  const local = tokens.slice(0, at);
  const domainTokens = tokens.slice(at + 1);
  if (local.length === 0) return fail('the address has nothing before "@"');
  if (domainTokens.length === 0) return fail('the address has no domain after "@"');

  let localPart: string;
  if (local.length === 1 && local[0].type === 'quoted') {
    localPart = textOf(local);
  } else {
    const problem = dotAtomProblem(local);
    if (problem) return fail(`the local part ${problem}`, local[0].start, local[local.length - 1].end);
    localPart = local.map((t) => t.value).join('');
  }
  let domain: string;
  if (domainTokens.length === 1 && domainTokens[0].type === 'literal') {
    domain = domainTokens[0].value;
  } else {
    const problem = dotAtomProblem(domainTokens);
    if (problem) return fail(`the domain ${problem}`, domainTokens[0].start, end);
    domain = domainTokens.map((t) => t.value).join('');
  }
  const checked = checkDomain(domain);
  if (checked.error) return fail(checked.error, domainTokens[0].start, end);
  const localRaw = local.length === 1 && local[0].type === 'quoted' ? `"${escapeQuoted(local[0].value)}"` : localPart;
  if (utf8Length(localRaw) > MAX_LOCAL_PART_OCTETS) {
    return fail(`the local part is longer than ${MAX_LOCAL_PART_OCTETS} octets (RFC 5321 section 4.5.3.1.1)`);
  }
  const envelopeAddress = `${localRaw}@${checked.ascii}`;
  if (utf8Length(envelopeAddress) > MAX_ADDRESS_OCTETS) {
    return fail(`the address is longer than ${MAX_ADDRESS_OCTETS} octets (RFC 5321 section 4.5.3.1.3)`);
  }
  return {
    displayName,
    address: `${localRaw}@${domain}`,
    localPart: localRaw,
    domain,
    asciiDomain: checked.ascii,
    envelopeAddress,
    needsSmtpUtf8: !isAscii(localRaw),
    idn: checked.idn,
    start,
    end,
  };
}

/** Why these tokens are not a dot-atom (`atom *("." atom)`), or undefined when they are. */
function dotAtomProblem(tokens: Token[]): string | undefined {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const wantAtom = k % 2 === 0;
    if (wantAtom && t.type !== 'atom') {
      if (isSpecial(t, '.')) return k === 0 ? 'starts with "."' : 'has two dots in a row';
      return `holds "${printable(t.type === 'quoted' ? '"' : t.value)}" where only letters, digits and !#$%&'*+-/=?^_\`{|}~ may be`;
    }
    if (!wantAtom && !isSpecial(t, '.')) return `holds "${printable(t.value)}" (special characters need a quoted local part)`;
  }
  if (tokens.length % 2 === 0) return 'ends with "."';
  return undefined;
}

function textOf(tokens: Token[]): string {
  return tokens.map((t) => t.value).join('');
}

function escapeQuoted(value: string): string {
  return value.replace(/[\\"]/g, (c) => `\\${c}`);
}

function summary(tokens: Token[]): string {
  const text = tokens
    .map((t, k) => (k > 0 && t.start !== tokens[k - 1].end ? ' ' : '') + (t.type === 'quoted' ? `"${t.value}"` : t.value))
    .join('');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function printable(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 32 || code === 127) return `\\x${code.toString(16).padStart(2, '0')}`;
  return ch;
}

// RFC 5322 section 3.4 address lists: mailboxes (`addr-spec` or `display-name <addr-spec>`), groups
// (`name: a@x, b@y;`), quoted strings, comments, folding; UTF-8 per RFC 6532. Each mailbox and each
// problem carries its offsets, so the editor can point at the exact bad address. Linear, never throws.
// A line break counts as white space only where it folds (CRLF or LF before white space, or at the very
// end): a bare CR, or a line break that starts a new line, is an error, never a separator. Comments and
// white space may stand around the local part and the domain (RFC 5322 section 3.4.1: `dot-atom =
// [CFWS] dot-atom-text [CFWS]`) and are dropped; inside them they are obsolete syntax (section 4.4),
// which Mailsmith does not send.
import { MAX_ADDRESS_OCTETS, MAX_LOCAL_PART_OCTETS, checkDomain, isAscii, utf8Length } from './domain';
import { escapeControls, firstBreakingCodePoint, firstUnsafeCodePoint } from './codePoints';
import { MAX_PROBLEMS_PER_FIELD, ProblemCap, moreProblems } from './problemCap';
import type { AddressIssue, AddressListResult, AddressRepair, ParsedGroup, ParsedMailbox } from './types';
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

/** atext of US-ASCII (RFC 5322 section 3.2.3): printable, not a special. A table: this runs per character. */
const ASCII_ATEXT = new Uint8Array(128);
for (let c = 33; c < 127; c++) ASCII_ATEXT[c] = SPECIALS.includes(String.fromCharCode(c)) ? 0 : 1;

function isAtext(code: number): boolean {
  if (code > 127) return true; // RFC 6532 section 3.2: UTF-8 in atext
  return ASCII_ATEXT[code] === 1;
}

const NO_TOKENS: Token[] = [];

function isWsp(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * The length of the line break at `i` when it folds (CRLF or LF followed by white space, or ending the
 * text), 0 when `i` holds no line break, -1 when it is a line break that does not fold.
 */
function foldAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  let length: number;
  if (c === 13 && text.charCodeAt(i + 1) === 10) length = 2;
  else if (c === 10) length = 1;
  else return c === 13 ? -1 : 0;
  const after = i + length;
  return after === text.length || isWsp(text.charCodeAt(after)) ? length : -1;
}

interface Tokenized {
  tokens: Token[];
  issues: AddressIssue[];
}

/** Where problems go: a plain array, or the per-list cap. */
interface IssueSink {
  push(issue: AddressIssue): void;
}

/** Splits the text into tokens; comments and whitespace are dropped (they separate tokens). */
function tokenize(text: string, offset: number): Tokenized {
  const tokens: Token[] = [];
  const issues: AddressIssue[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const fold = c === 13 || c === 10 ? foldAt(text, i) : 0;
    if (isWsp(c) || fold > 0) {
      i += fold > 0 ? fold : 1;
    } else if (fold < 0) {
      // A bare CR, or a line break not followed by white space: never a separator.
      tokens.push({ type: 'bad', value: text[i], start: i + offset, end: i + 1 + offset });
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
      let brokenAt = -1;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) {
          parts.push(text.slice(runStart, i));
          runStart = i + 1;
          i++;
        } else if (d === 13 || d === 10) {
          // Folding inside a quoted string is removed on unfolding; any other line break is an error.
          const fold = foldAt(text, i);
          if (fold < 0 && brokenAt === -1) brokenAt = i;
          parts.push(text.slice(runStart, i));
          runStart = i + Math.max(fold, 1);
          i = runStart - 1;
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
      if (brokenAt !== -1) {
        tokens.push({ type: 'bad', value: text[brokenAt], start: brokenAt + offset, end: brokenAt + 1 + offset });
      } else tokens.push({ type: 'quoted', value: parts.join(''), start: start + offset, end: i + offset });
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
 * field value in the document). Folding line breaks in `text` count as whitespace. At most
 * MAX_PROBLEMS_PER_FIELD issues are listed; the rest are counted in one `too-many-problems` issue.
 */
export function parseAddressList(text: string, offset = 0): AddressListResult {
  countWork('addressList');
  return parseList(text, offset, new Mender(text, offset));
}

/**
 * Offers the repair of a common typo (AddressRepair) for the first few issues of a list, and only when
 * the mailbox, mended, parses without any problem: a quick fix must never trade one error for another.
 */
class Mender {
  private left = MAX_PROBLEMS_PER_FIELD;

  constructor(
    private readonly text: string,
    private readonly offset: number,
  ) {}

  /** The text between two offsets, as written. */
  slice(start: number, end: number): string {
    return this.text.slice(start - this.offset, end - this.offset);
  }

  /** The repair, if the text from `start` to `end` with `edits` applied is a clean address list. */
  offer(repair: AddressRepair, start: number, end: number): AddressRepair | undefined {
    if (this.left <= 0) return undefined;
    this.left--;
    let mended = '';
    let at = start;
    for (const edit of [...repair.edits].sort((a, b) => a.start - b.start)) {
      if (edit.start < at || edit.end > end) return undefined;
      mended += this.text.slice(at - this.offset, edit.start - this.offset) + edit.newText;
      at = edit.end;
    }
    mended += this.text.slice(at - this.offset, end - this.offset);
    const parsed = parseList(mended, 0, undefined);
    return parsed.issues.length === 0 && parsed.mailboxes.length > 0 ? repair : undefined;
  }
}

function parseList(text: string, offset: number, mender: Mender | undefined): AddressListResult {
  const tokenized = tokenize(text, offset);
  const { tokens } = tokenized;
  const capped = new ProblemCap<AddressIssue>();
  for (const found of tokenized.issues) capped.add(found);
  const issues: IssueSink = { push: (found) => capped.add(found) };
  const mailboxes: ParsedMailbox[] = [];
  const groups: ParsedGroup[] = [];
  const semicolonSeparators: number[] = [];
  let group: ParsedGroup | undefined;
  // After "g: a@x;" the next "," separates the group from what follows: not an empty entry.
  let afterGroup = false;
  // Consecutive empty entries (",,,") are one problem, however many there are.
  let emptyRun: { start: number; end: number; count: number; separator: string } | undefined;
  const flushEmptyRun = (): void => {
    if (!emptyRun) return;
    const { start, end, count, separator } = emptyRun;
    const message =
      count === 1 ? `an empty entry before "${separator}"` : `${count.toLocaleString('en-US')} empty entries (separators with nothing between them)`;
    issues.push(issue(codes.ADDRESS_EMPTY_ENTRY, 'warning', message, start, end));
    emptyRun = undefined;
  };
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
    const chunk = i === chunkStart ? NO_TOKENS : tokens.slice(chunkStart, i);
    const separator = i < n ? tokens[i] : undefined;
    i++;
    if (chunk.length > 0 || separator?.value === ':') flushEmptyRun();
    if (separator && separator.value === ':') {
      const name = phraseText(chunk);
      const start = chunk.length ? chunk[0].start : separator.start;
      const breaking = name === undefined ? undefined : breakingIn(chunk);
      if (!name || breaking) {
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
        const bad = chunk.find((t) => t.type === 'bad');
        if (bad) {
          issues.push(issue(codes.ADDRESS_SYNTAX, 'error', unexpected(bad), bad.start, bad.end));
          continue;
        }
        const message = breaking
          ? `the group name holds ${breaking}`
          : chunk.length
            ? `"${summary(chunk)}:" is neither an address nor a group name`
            : 'a group needs a name before ":"';
        issues.push(issue(codes.ADDRESS_SYNTAX, 'error', message, start, end));
        continue;
      }
      group = { name, start, end: separator.end, members: [] };
      groups.push(group);
      continue;
    }
    if (chunk.length > 0) {
      const mailbox = parseMailbox(chunk, issues, mender);
      if (mailbox) {
        if (group) {
          mailbox.group = group.name;
          group.members.push(mailbox);
        }
        mailboxes.push(mailbox);
      }
    } else if (separator && !afterGroup && (separator.value === ',' || !group)) {
      if (emptyRun) {
        emptyRun.count++;
        emptyRun.end = separator.end;
      } else emptyRun = { start: separator.start, end: separator.end, count: 1, separator: separator.value };
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
  flushEmptyRun();
  if (group) {
    issues.push(issue(codes.ADDRESS_SYNTAX, 'error', `the group "${group.name}" is not closed with ";"`, group.start, group.end));
  }
  const listed = capped.items((count, worst, first, last) =>
    issue(
      codes.TOO_MANY_PROBLEMS,
      worst,
      `${moreProblems(count)} in this list are not shown (only the first ${MAX_PROBLEMS_PER_FIELD} are): fix those and check again`,
      first.start,
      last.end,
    ),
  );
  if (semicolonSeparators.length > 0) {
    // Said once for the whole list, whatever the cap (its fix changes every separator).
    const first = semicolonSeparators[0];
    listed.push(
      issue(
        codes.ADDRESS_SEMICOLON,
        'warning',
        'addresses are separated with ";" (RFC 5322 uses ","): accepted, but other programs may not read it',
        first,
        first + 1,
      ),
    );
  }
  return { mailboxes, groups, issues: listed, semicolonSeparators };
}

/**
 * The text of a display name (atoms and quoted strings joined by single spaces, a "." written against the
 * word before it), undefined if none. The content of a quoted string is kept as written: "Mr . Smith"
 * stays "Mr . Smith" when the list is written again.
 */
function phraseText(tokens: Token[]): string | undefined {
  const parts: string[] = [];
  for (const t of tokens) {
    if (t.type === 'atom' || t.type === 'quoted') parts.push(parts.length > 0 ? ` ${t.value}` : t.value);
    else if (isSpecial(t, '.')) parts.push('.'); // obs-phrase (RFC 5322 section 4.1): "J. Smith"
    else return undefined;
  }
  return parts.length > 0 ? parts.join('') : undefined;
}

/** "U+0085 (a control character), ..." when a name holds a code point that breaks lines in some tools. */
function breakingIn(tokens: Token[]): string | undefined {
  for (const t of tokens) {
    if (t.type !== 'atom' && t.type !== 'quoted') continue;
    const found = firstBreakingCodePoint(t.value);
    if (found) return `${found.code} (${found.kind}): tools that break lines there would show the rest as a field of its own`;
  }
  return undefined;
}

/** Why a character that cannot start a token stands here. */
function unexpected(bad: Token): string {
  if (bad.value === '\r') {
    return 'a bare CR (carriage return without line feed) in an address list: it is no line break and no separator';
  }
  if (bad.value === '\n') return 'a line break that does not fold (a continued line must start with white space)';
  return `unexpected character "${printable(bad.value)}" in an address`;
}

function parseMailbox(chunk: Token[], issues: IssueSink, mender?: Mender): ParsedMailbox | undefined {
  const chunkStart = chunk[0].start;
  const chunkEnd = chunk[chunk.length - 1].end;
  const offer = (repair: AddressRepair) => mender?.offer(repair, chunkStart, chunkEnd);
  const bad = chunk.find((t) => t.type === 'bad');
  if (bad) {
    issues.push(issue(codes.ADDRESS_SYNTAX, 'error', unexpected(bad), bad.start, bad.end));
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
    return parseAddrSpec(chunk, undefined, false, issues, offer);
  }
  const close = chunk.findIndex((t, k) => k > open && isSpecial(t, '>'));
  if (close === -1) {
    // "Bob <bob@x" (and "Bob <bob@x, carl@y", which the open "<" keeps in one chunk): close the address
    // before the first separator, else at the end.
    const separator = chunk.findIndex((t, k) => k > open && (isSpecial(t, ',') || isSpecial(t, ';')));
    const at = separator > open + 1 ? chunk[separator - 1].end : chunkEnd;
    const repair = offer({ kind: 'missing-close-angle', edits: [{ start: at, end: at, newText: '>' }] });
    issues.push(withRepair(issue(codes.ADDRESS_SYNTAX, 'error', 'the address is missing its closing ">"', chunk[open].start, chunkEnd), repair));
    return undefined;
  }
  if (close + 1 < chunk.length) {
    const extra = chunk[close + 1];
    const at = chunk[close].end;
    const repair = offer({ kind: 'missing-comma', edits: [{ start: at, end: at, newText: ',' }] });
    issues.push(withRepair(issue(codes.ADDRESS_SYNTAX, 'error', 'text after ">" (a missing ","?)', extra.start, chunkEnd), repair));
    return undefined;
  }
  let displayName: string | undefined;
  if (open > 0) {
    const nameTokens = chunk.slice(0, open);
    displayName = phraseText(nameTokens);
    const breaking = displayName === undefined ? undefined : breakingIn(nameTokens);
    if (breaking) {
      issues.push(issue(codes.ADDRESS_SYNTAX, 'error', `the display name holds ${breaking}`, chunk[0].start, chunk[open - 1].end));
      return undefined;
    }
    if (displayName === undefined) {
      const nameStart = chunk[0].start;
      const nameEnd = chunk[open - 1].end;
      const written = mender?.slice(nameStart, nameEnd);
      const repair = written === undefined ? undefined : offer({ kind: 'quote-name', edits: [{ start: nameStart, end: nameEnd, newText: `"${escapeQuoted(written)}"` }] });
      issues.push(withRepair(issue(codes.ADDRESS_SYNTAX, 'error', 'the display name holds special characters: put it in double quotes', nameStart, nameEnd), repair));
      return undefined;
    }
  }
  const inner = chunk.slice(open + 1, close);
  if (inner.length === 0) {
    issues.push(issue(codes.ADDRESS_SYNTAX, 'error', 'empty angle brackets "<>"', chunk[open].start, chunk[close].end));
    return undefined;
  }
  if (isSpecial(inner[0], '@')) {
    issues.push(
      issue(
        codes.ADDRESS_SYNTAX,
        'error',
        'a source route ("@host:" before the address) is obsolete syntax (RFC 5322 section 4.4) and is not sent: remove it',
        inner[0].start,
        inner[inner.length - 1].end,
      ),
    );
    return undefined;
  }
  const mailbox = parseAddrSpec(inner, displayName, true, issues, offer);
  if (mailbox) {
    mailbox.start = chunkStart;
    mailbox.end = chunkEnd;
  }
  return mailbox;
}

/** Index of the first token that white space or a comment separates from the one before it, or -1. */
function firstGap(tokens: Token[]): number {
  for (let k = 1; k < tokens.length; k++) if (tokens[k].start !== tokens[k - 1].end) return k;
  return -1;
}

/**
 * `local-part "@" domain` (RFC 5322 section 3.4.1). Comments and white space may stand around the local
 * part and the domain, not inside them; the envelope spelling drops them, unquotes a quoted dot-atom and
 * writes the domain in A-labels. Length limits apply to that spelling, in octets (RFC 5321 4.5.3.1).
 */
function parseAddrSpec(
  tokens: Token[],
  displayName: string | undefined,
  inAngle: boolean,
  issues: IssueSink,
  offer: (repair: AddressRepair) => AddressRepair | undefined = () => undefined,
): ParsedMailbox | undefined {
  const start = tokens[0].start;
  const end = tokens[tokens.length - 1].end;
  const fail = (message: string, s = start, e = end, repair?: AddressRepair): undefined => {
    issues.push(withRepair(issue(codes.ADDRESS_SYNTAX, 'error', message, s, e), repair));
    return undefined;
  };
  let at = -1;
  for (let k = 0; k < tokens.length; k++) {
    if (!isSpecial(tokens[k], '@')) continue;
    if (at !== -1) {
      // "carol@@example.org": the second "@" of a pair is a slip of the finger.
      const doubled = k === at + 1 && tokens[k].start === tokens[at].end;
      const repair = doubled ? offer({ kind: 'extra-at', edits: [{ start: tokens[k].start, end: tokens[k].end, newText: '' }] }) : undefined;
      return fail('the address has more than one "@"', start, end, repair);
    }
    at = k;
  }
  if (at === -1) return fail('the address has no "@"');
  const local = tokens.slice(0, at);
  const domainTokens = tokens.slice(at + 1);
  if (local.length === 0) return fail('the address has nothing before "@"');
  if (domainTokens.length === 0) return fail('the address has no domain after "@"');
  const gapProblem = (part: Token[], name: string): string | undefined => {
    const gap = firstGap(part);
    if (gap === -1) return undefined;
    if (isSpecial(part[gap], '.') || isSpecial(part[gap - 1], '.')) {
      return `white space or a comment around "." in the ${name} is obsolete syntax (RFC 5322 section 4.4): remove it`;
    }
    return !inAngle && displayName === undefined
      ? `"${summary(tokens)}" has spaces or comments inside the address (a display name needs <angle brackets>)`
      : 'spaces or comments inside the address';
  };
  const gap = gapProblem(local, 'local part') ?? gapProblem(domainTokens, 'domain');
  if (gap) return fail(gap, start, end, !inAngle && displayName === undefined ? angleBrackets(local, end, offer) : undefined);

  let localPart: string;
  const quoted = local.length === 1 && local[0].type === 'quoted';
  if (quoted) {
    localPart = local[0].value;
  } else {
    const problem = dotAtomProblem(local, 'local part');
    if (problem) return fail(`the local part ${problem}`, local[0].start, local[local.length - 1].end, strayDots(local, 'local part', offer));
    localPart = local.map((t) => t.value).join('');
  }
  const unsafe = isAscii(localPart) && !quoted ? undefined : firstUnsafeCodePoint(localPart, quoted);
  if (unsafe) {
    return fail(
      `the local part holds ${unsafe.code} (${unsafe.kind}), which displays differently from what would be sent: remove it`,
      local[0].start,
      local[local.length - 1].end,
    );
  }
  let domain: string;
  if (domainTokens.length === 1 && domainTokens[0].type === 'literal') {
    domain = domainTokens[0].value;
  } else {
    const problem = dotAtomProblem(domainTokens, 'domain');
    if (problem) return fail(`the domain ${problem}`, domainTokens[0].start, end, strayDots(domainTokens, 'domain', offer));
    domain = domainTokens.map((t) => t.value).join('');
  }
  const checked = checkDomain(domain);
  if (checked.error) return fail(checked.error, domainTokens[0].start, end);
  const localRaw = quoted ? `"${escapeQuoted(localPart)}"` : localPart;
  // A quoted local part that is a plain dot-atom anyway is sent unquoted: "john.doe"@x is john.doe@x.
  const envelopeLocal = quoted && isDotAtomText(localPart) ? localPart : localRaw;
  if (utf8Length(envelopeLocal) > MAX_LOCAL_PART_OCTETS) {
    return fail(`the local part is longer than ${MAX_LOCAL_PART_OCTETS} octets (RFC 5321 section 4.5.3.1.1)`);
  }
  const envelopeAddress = `${envelopeLocal}@${checked.ascii}`;
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

function withRepair(found: AddressIssue, repair: AddressRepair | undefined): AddressIssue {
  return repair ? { ...found, repair } : found;
}

/**
 * "Dave Manager dave@example.org": the words before the last gap of the local part are a display name
 * that lost its angle brackets. Offered when they read as a name (words, quoted strings, dots).
 */
function angleBrackets(local: Token[], end: number, offer: (repair: AddressRepair) => AddressRepair | undefined): AddressRepair | undefined {
  let split = -1;
  for (let k = local.length - 1; k > 0 && split === -1; k--) if (local[k].start !== local[k - 1].end) split = k;
  if (split === -1 || phraseText(local.slice(0, split)) === undefined) return undefined;
  // "john. smith@x": a gap after a "." is more likely a stray space in one local part than the end of a
  // name; the message says to remove the space, and a name would send to another mailbox. (Before a ".",
  // "john .smith", the mended address would start with "." and is never offered.)
  if (isSpecial(local[split - 1], '.')) return undefined;
  const from = local[split].start;
  return offer({ kind: 'angle-brackets', edits: [{ start: from, end: from, newText: '<' }, { start: end, end, newText: '>' }] });
}

/** A dot-atom with a leading, doubled or trailing "." ("example.org."): those dots removed. */
function strayDots(tokens: Token[], part: 'local part' | 'domain', offer: (repair: AddressRepair) => AddressRepair | undefined): AddressRepair | undefined {
  const removed: Token[] = [];
  let lastKept: Token | undefined;
  for (const t of tokens) {
    if (t.type === 'atom') lastKept = t;
    else if (!isSpecial(t, '.')) return undefined;
    else if (lastKept === undefined || isSpecial(lastKept, '.')) removed.push(t);
    else lastKept = t;
  }
  if (lastKept && isSpecial(lastKept, '.')) removed.push(lastKept);
  if (removed.length === 0) return undefined;
  return offer({ kind: 'stray-dot', part, edits: removed.map((t) => ({ start: t.start, end: t.end, newText: '' })) });
}

/** RFC 5322 dot-atom-text, with UTF-8 (RFC 6532): atext runs joined by single dots. */
function isDotAtomText(text: string): boolean {
  if (text.length === 0) return false;
  let previousDot = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (previousDot) return false;
      previousDot = true;
    } else if (isAtext(c)) previousDot = false;
    else return false;
  }
  return !previousDot;
}

/** Why these tokens are not a dot-atom (`atom *("." atom)`), or undefined when they are. */
function dotAtomProblem(tokens: Token[], part: 'local part' | 'domain'): string | undefined {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const wantAtom = k % 2 === 0;
    if (wantAtom && t.type !== 'atom') {
      if (isSpecial(t, '.')) return k === 0 ? 'starts with "."' : 'has two dots in a row';
      if (t.type === 'quoted') {
        // RFC 5322 section 3.4.1: a domain is a dot-atom or a literal, never quoted.
        if (part === 'domain') return 'holds a quoted string, which a domain never does';
        return 'mixes a quoted string with other text (obsolete syntax, RFC 5322 section 4.4): put the whole local part in quotes';
      }
      return `holds "${printable(t.value)}" where only letters, digits and !#$%&'*+-/=?^_\`{|}~ may be`;
    }
    if (!wantAtom && !isSpecial(t, '.')) {
      return `holds "${printable(t.value)}"${part === 'local part' ? ' (special characters need a quoted local part)' : ' where a "." belongs'}`;
    }
  }
  if (tokens.length % 2 === 0) return 'ends with "."';
  return undefined;
}

function escapeQuoted(value: string): string {
  return value.replace(/[\\"]/g, (c) => `\\${c}`);
}

/** The tokens as a reader would retype them, shortened, with control characters escaped (messages reach terminals). */
function summary(tokens: Token[]): string {
  const text = tokens
    .map((t, k) => (k > 0 && t.start !== tokens[k - 1].end ? ' ' : '') + (t.type === 'quoted' ? `"${t.value}"` : t.value))
    .join('');
  return escapeControls(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function printable(ch: string): string {
  return escapeControls(ch);
}

// Splitting an mbox the way `git mailsplit` (and so `git am`) does: a line is a separator when it starts with
// "From " and ends in something that looks like a date (hh:mm:ss and a year), e.g. format-patch's
// `From <sha> Mon Sep 17 00:00:00 2001`. The separator is not part of any message and is never sent.
// Lines are not unquoted by default, as git writes them: plain format-patch output quotes nothing, and `git am`
// unquotes nothing. With `mboxrd` (format-patch --pretty=mboxrd, b4, lore archives) one ">" is removed from
// every /^>+From / line, as `git mailsplit --mboxrd` does.

export interface MboxMessage {
  /** The message's bytes, separator removed (line endings as in the file). */
  bytes: Buffer;
  /** Zero-based line of the file where the message's first header line is. */
  startLine: number;
  /** The separator line before it, if there was one. */
  separator?: string;
  /** The commit format-patch named in the separator (`From <40 hex> Mon Sep 17 00:00:00 2001`). */
  commit?: string;
}

/** format-patch's fixed separator date (git's pretty.c): recognises a file as git output. */
const GIT_SEPARATOR = /^From ([0-9a-f]{40}|[0-9a-f]{64}) Mon Sep 17 00:00:00 2001$/;

/** git's mailsplit.c is_from_line(): "From ", then a colon with digits around it (hh:mm:ss) and a year > 90. */
export function isMboxSeparator(line: string): boolean {
  if (line.length < 19 || !line.startsWith('From ')) return false;
  const colon = line.lastIndexOf(':');
  if (colon < 5 + 4) return false;
  const digit = (i: number) => i >= 0 && i < line.length && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57;
  if (!digit(colon - 4) || !digit(colon - 2) || !digit(colon - 1) || !digit(colon + 1) || !digit(colon + 2)) return false;
  // strtol: leading white space skipped, then digits.
  const year = /^\s*(\d*)/.exec(line.slice(colon + 3))?.[1] ?? '';
  return Number(year || '0') > 90;
}

export function gitCommitOfSeparator(line: string): string | undefined {
  return GIT_SEPARATOR.exec(line)?.[1];
}

/**
 * The messages of an mbox (or of a single message file, which yields one message). Text before the first
 * separator is a message of its own only when the file has no separator at all.
 */
export function splitMbox(bytes: Buffer, options: { mboxrd?: boolean } = {}): MboxMessage[] {
  // Latin-1 keeps one character per byte, so offsets are byte offsets and the bytes come back exactly.
  const text = bytes.toString('latin1');
  const messages: MboxMessage[] = [];
  let current: { start: number; startLine: number; separator?: string; lines: string[] | undefined } | undefined;
  let sawSeparator = false;
  const close = (end: number) => {
    if (!current) return;
    const slice = bytes.subarray(current.start, end);
    const body = current.lines ? Buffer.from(current.lines.join(''), 'latin1') : slice;
    if (current.separator !== undefined || body.some((b) => b !== 10 && b !== 13 && b !== 32 && b !== 9)) {
      const commit = current.separator ? gitCommitOfSeparator(current.separator) : undefined;
      messages.push({ bytes: body, startLine: current.startLine, ...(current.separator !== undefined ? { separator: current.separator } : {}), ...(commit ? { commit } : {}) });
    }
  };
  let pos = 0;
  let line = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const next = nl === -1 ? text.length : nl + 1;
    const content = text.slice(pos, nl === -1 ? text.length : nl).replace(/\r$/, '');
    if (isMboxSeparator(content)) {
      close(pos);
      sawSeparator = true;
      current = { start: next, startLine: line + 1, separator: content, lines: options.mboxrd ? [] : undefined };
    } else {
      if (!current) current = { start: pos, startLine: line, lines: options.mboxrd ? [] : undefined };
      if (current.lines) current.lines.push(/^>+From /.test(content) ? text.slice(pos + 1, next) : text.slice(pos, next));
    }
    pos = next;
    line++;
  }
  close(text.length);
  // Text before the first separator (a preamble) is not a message when separators follow.
  return sawSeparator ? messages.filter((m, i) => m.separator !== undefined || i > 0) : messages;
}

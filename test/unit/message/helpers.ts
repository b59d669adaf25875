// Helpers for the message tests: documents written with "\n" and turned into CRLF, and applying fixes.
import { offsetAt, scanMessage } from '../../../src/core/message';
import type { Fix, Problem } from '../../../src/core/types';

/** Lines joined with CRLF, the way a message travels. */
export function crlf(...lines: string[]): string {
  return lines.join('\r\n');
}

/** A complete, valid message with the given header lines replacing the defaults of the same name. */
export function message(overrides: Record<string, string | null> = {}, body = 'Hello.\r\n'): string {
  const base: Record<string, string | null> = {
    From: 'Alice <alice@example.com>',
    To: 'bob@example.org',
    Subject: 'Hello',
    Date: 'Mon, 23 Nov 2026 09:15:00 +0000',
    'Message-ID': '<m1@example.com>',
    ...overrides,
  };
  const lines = Object.entries(base)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`);
  return lines.join('\r\n') + '\r\n\r\n' + body;
}

export function codesOf(problems: Problem[]): string[] {
  return problems.map((p) => p.code);
}

/** Applies a fix's edits (given in positions) to the text, last edit first. */
export function applyFix(text: string, fix: Fix): string {
  const scanned = scanMessage(text);
  const edits = fix.edits
    .map((e) => ({
      start: offsetAt(scanned.lineStarts, text.length, e.range.start),
      end: offsetAt(scanned.lineStarts, text.length, e.range.end),
      newText: e.newText,
    }))
    // Last edit first; of an insertion and the replacement starting at the same place, the replacement
    // first, so the insertion ends up before it (as editors apply them).
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

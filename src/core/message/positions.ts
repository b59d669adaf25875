// Offsets to zero-based {line, character} positions, like VS Code's (UTF-16 units; CRLF, LF and CR all end a line).
import type { Position, Range } from '../types';

/** The line holding `offset`: binary search over the line starts (O(log n)). */
export function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

export function positionAt(lineStarts: readonly number[], offset: number): Position {
  const line = lineOf(lineStarts, offset);
  return { line, character: offset - lineStarts[line] };
}

export function rangeAt(lineStarts: readonly number[], start: number, end: number): Range {
  return { start: positionAt(lineStarts, start), end: positionAt(lineStarts, end) };
}

/** The offset of a position (clamped to the document), the inverse of `positionAt`. */
export function offsetAt(lineStarts: readonly number[], textLength: number, position: Position): number {
  if (position.line < 0) return 0;
  if (position.line >= lineStarts.length) return textLength;
  return Math.min(lineStarts[position.line] + Math.max(0, position.character), textLength);
}

// Offsets to positions for texts the scanner does not cover (front matter), VS Code style.
import type { Range } from '../types';
import { rangeAt } from '../message/positions';

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

export function rangeIn(lineStarts: readonly number[], start: number, end: number): Range {
  return rangeAt(lineStarts, start, end);
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

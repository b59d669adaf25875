// Reads what the capture inbox stored, newest first, for the "Show Captured Messages" list and the CLI.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CapturedEntry {
  file: string;
  from: string;
  to: string[];
  size: number;
  receivedAt: string;
  subject?: string;
}

export function listCapturedMessages(dir: string): CapturedEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const entries: CapturedEntry[] = [];
  for (const name of names) {
    if (!name.endsWith('.eml')) continue;
    const file = join(dir, name);
    let meta: Partial<CapturedEntry> = {};
    try {
      meta = JSON.parse(readFileSync(file.replace(/\.eml$/, '.json'), 'utf8'));
    } catch {
      meta = { receivedAt: statSync(file).mtime.toISOString() };
    }
    const head = readFileSync(file).subarray(0, 16384).toString('utf8');
    const subject = /^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1].replace(/\r?\n[ \t]/g, ' ');
    entries.push({ file, from: meta.from ?? '', to: meta.to ?? [], size: meta.size ?? statSync(file).size, receivedAt: meta.receivedAt ?? '', ...(subject ? { subject } : {}) });
  }
  return entries.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
}

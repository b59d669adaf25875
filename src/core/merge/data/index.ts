// Opening a data file by its kind: `.json` (or text that starts with `[`) is JSON, anything else CSV.
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { openCsv } from './csv';
import { openJson } from './json';
import type { DataSource } from './source';

export { DataError, type DataItem, type DataSource } from './source';

export async function openData(path: string): Promise<DataSource> {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return openJson(path);
  if (ext === '.csv' || ext === '.txt') return openCsv(path);
  return (await startsWithBracket(path)) ? openJson(path) : openCsv(path);
}

async function startsWithBracket(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(256);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return /^(\uFEFF)?\s*\[/.test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

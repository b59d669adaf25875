// A fresh temporary copy of samples/ for a test run, so tests may edit and send files without touching
// the repository.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './config.mjs';

export function createTestWorkspace(settings = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mailsmith-ws-'));
  const samples = join(repoRoot, 'samples');
  if (existsSync(samples)) cpSync(samples, dir, { recursive: true });
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }) };
}

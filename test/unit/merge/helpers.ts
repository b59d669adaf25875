// A merge laid out on disk for a test: template, data and attachments in a fresh folder, opened as the CLI
// would open it (scope: that folder).
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkMerge, openMerge, type MergeCheck, type OpenedMerge } from '../../../src/core/merge';
import type { SmtpProfile } from '../../../src/core/profiles/profile';

export interface MergeDir {
  dir: string;
  write(name: string, content: string | Buffer): string;
  open(template: string, extra?: { dataPath?: string; templateText?: string; defaultFrom?: string }): Promise<OpenedMerge>;
  openChecked(template: string, extra?: { dataPath?: string }): Promise<{ merge: OpenedMerge; check: MergeCheck }>;
  remove(): void;
}

export function mergeDir(): MergeDir {
  const dir = mkdtempSync(join(tmpdir(), 'mailsmith-merge-'));
  const self: MergeDir = {
    dir,
    write(name, content) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    async open(template, extra = {}) {
      const templatePath = join(dir, template);
      const scope = { root: dir, allowOutside: false };
      return openMerge({ templatePath, templateText: extra.templateText, dataPath: extra.dataPath, analyze: { fileName: templatePath, baseDir: dir, scope }, scope, defaultFrom: extra.defaultFrom });
    },
    async openChecked(template, extra = {}) {
      const merge = await self.open(template, extra);
      return { merge, check: await checkMerge(merge) };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return self;
}

/** A CSV text from rows of cells, quoted as RFC 4180 wants. */
export function csv(rows: string[][], delimiter = ','): string {
  const cell = (v: string) => (/[",;\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(cell).join(delimiter)).join('\r\n') + '\r\n';
}

export const plainProfile = (port: number, extra: Partial<SmtpProfile> = {}): SmtpProfile => ({
  name: 'merge-test',
  host: '127.0.0.1',
  port,
  security: 'none',
  maxPerHour: 100_000,
  timeouts: { connectMs: 3000, greetingMs: 3000, socketMs: 3000 },
  ...extra,
});

/** The Message-ID header of raw bytes. */
export function messageIdOf(raw: Buffer): string {
  return /^Message-ID:\s*(\S+)/im.exec(raw.toString('latin1'))?.[1] ?? '';
}

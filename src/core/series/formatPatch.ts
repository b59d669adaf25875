// A revision range as a series: `git format-patch` in the repository, with --cover-letter when there is more
// than one patch, into a folder of its own. An existing series there is never overwritten: an edited cover
// letter is work the user would lose.
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from './git';

export type FormatPatchResult = { ok: true; files: string[]; dir: string; cover: boolean } | { ok: false; reason: string };

export interface FormatPatchOptions {
  root: string;
  range: string;
  /** Where the files go (created). */
  outputDir: string;
  /** -v N: [PATCH vN]. */
  rerollCount?: number;
}

export async function formatPatch(options: FormatPatchOptions): Promise<FormatPatchResult> {
  const range = options.range.includes('..') ? options.range : `${options.range}..HEAD`;
  const count = await runGit(['rev-list', '--count', '--no-merges', range, '--'], { cwd: options.root });
  if (count.code !== 0) return { ok: false, reason: `git cannot read the range "${options.range}": ${count.stderr.split('\n')[0]}` };
  const commits = Number(count.stdout.toString('utf8').trim());
  if (!commits) return { ok: false, reason: `the range "${options.range}" holds no commits` };
  try {
    const existing = (await readdir(options.outputDir)).filter((n) => n.endsWith('.patch'));
    if (existing.length) return { ok: false, reason: `"${options.outputDir}" already holds a series (${existing.length} .patch files): send it with "mailsmith series ${options.outputDir}", or remove it first` };
  } catch {
    // Not there yet: created below.
  }
  await mkdir(options.outputDir, { recursive: true });
  const args = ['format-patch', '-o', options.outputDir, ...(commits > 1 ? ['--cover-letter'] : []), ...(options.rerollCount ? [`-v${options.rerollCount}`] : []), range, '--'];
  const made = await runGit(args, { cwd: options.root });
  if (made.code !== 0) return { ok: false, reason: `git format-patch failed: ${made.stderr.split('\n')[0]}` };
  const files = made.stdout.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean).map((f) => (f.startsWith('/') ? f : join(options.root, f)));
  return { ok: true, files, dir: options.outputDir, cover: commits > 1 };
}

/** A folder name for a range: `main..topic` -> `main..topic`, `HEAD~3` -> `HEAD~3`, unsafe characters dropped. */
export function rangeFolderName(range: string): string {
  return range.replace(/[^A-Za-z0-9._~^-]+/g, '-').replace(/^[.-]+/, '') || 'series';
}

// The built bundles (dist/) for tests that run them as a user would: `npm test` builds before the unit stage;
// a lone mocha run builds here when a bundle is missing or older than the sources.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

export function ensureBundle(): string {
  const cli = join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli) || statSync(cli).mtimeMs < newestSource(join(repoRoot, 'src'))) {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  }
  return cli;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

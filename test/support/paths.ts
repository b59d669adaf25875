// Paths for tests compiled to out/test/...: fixtures stay in the source tree.
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
export const samplesDir = join(repoRoot, 'samples');
export const fixture = (...parts: string[]): string => join(fixturesDir, ...parts);

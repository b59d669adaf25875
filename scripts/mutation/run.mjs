// `npm run test:mutation`: Stryker over the guarded modules (stryker.config.mjs), then the score per file
// (./summary.mjs). Arguments go to `stryker run` (e.g. `--mutate src/core/send/redact.ts` while writing
// tests); `--spec GLOB` (repeatable) limits the unit test files to those, for a quicker look at one module;
// `--narrow-checker` gives the TypeScript checker only the mutated files and their importers (./checkerScope.mjs).
// Reports: reports/mutation/mutation.json and mutation.html.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GUARDED_MODULES } from '../../stryker.config.mjs';
import { CHECKER_TSCONFIG, writeCheckerTsconfig } from './checkerScope.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const spec = [];
const strykerArgs = [];
let narrowChecker = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--spec') spec.push(args[++i]);
  else if (args[i] === '--narrow-checker') narrowChecker = true;
  else strykerArgs.push(args[i]);
}
if (narrowChecker) {
  const at = strykerArgs.findIndex((arg) => arg === '--mutate' || arg === '-m');
  const files = writeCheckerTsconfig(root, at >= 0 ? strykerArgs[at + 1] : GUARDED_MODULES.join(','));
  console.log(`The TypeScript checker looks at ${files.length} files (${CHECKER_TSCONFIG}).`);
}
const env = {
  ...process.env,
  // See ./mocha12-compat.cjs: the mocha runner of Stryker 9 and mocha 12's renamed CLI helpers.
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(root, 'scripts', 'mutation', 'mocha12-compat.cjs')}`.trim(),
  ...(spec.length ? { MAILSMITH_MUTATION_SPEC: spec.join(',') } : {}),
  ...(narrowChecker ? { MAILSMITH_MUTATION_TSCONFIG: CHECKER_TSCONFIG } : {}),
};
const started = Date.now();
const stryker = spawnSync(process.execPath, [join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run', 'stryker.config.mjs', ...strykerArgs], {
  cwd: root,
  env,
  stdio: 'inherit',
});
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`\nStryker ran for ${minutes} min (exit ${stryker.status ?? stryker.signal}).`);
if (stryker.status !== 0) process.exit(stryker.status ?? 1);
// The score per file, and the threshold the project keeps (exit 1 below it).
const summary = spawnSync(process.execPath, [join(root, 'scripts', 'mutation', 'summary.mjs'), '--survivors', '--threshold'], { cwd: root, stdio: 'inherit' });
process.exit(summary.status ?? 1);

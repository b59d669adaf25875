// The whole test run: type-check and compile, lint, bundle, unit tests in plain Node, then the
// integration and UI suites in a real VS Code. Every stage's mocha run appends its totals to one
// file, and the run ends with a single "N passed, N failed" line over all stages.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const statsFile = join(mkdtempSync(join(tmpdir(), 'mailsmith-tests-')), 'stats.jsonl');
const only = process.argv.slice(2); // e.g. `npm test -- unit`

const stages = [
  { name: 'compile', cmd: ['node_modules/.bin/tsc', '-p', 'tsconfig.json'] },
  { name: 'lint', cmd: ['node_modules/.bin/eslint', 'src', 'test', 'scripts'] },
  { name: 'build', cmd: ['node', 'scripts/build.mjs'] },
  { name: 'unit', cmd: ['node_modules/.bin/mocha'], counts: true },
  { name: 'integration', cmd: ['node', 'scripts/real-vscode/run-integration.mjs'], counts: true, optionalFile: 'scripts/real-vscode/run-integration.mjs' },
  { name: 'ui', cmd: ['node', 'scripts/real-vscode/run-ui.mjs'], counts: true, optionalFile: 'scripts/real-vscode/run-ui.mjs' },
];

let failedStages = [];
for (const stage of stages) {
  if (only.length && !only.includes(stage.name) && !['compile', 'build'].includes(stage.name)) continue;
  if (stage.optionalFile && !existsSync(join(root, stage.optionalFile))) continue;
  const started = Date.now();
  console.log(`\n=== ${stage.name}: ${stage.cmd.join(' ')}`);
  const before = readStats().length;
  const result = spawnSync(stage.cmd[0], stage.cmd.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MAILSMITH_TEST_STATS: statsFile, MAILSMITH_TEST_STAGE: stage.name },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const wroteStats = readStats().length > before;
  if (result.status !== 0 || (stage.counts && !wroteStats)) {
    failedStages.push(stage.name);
    console.log(`=== ${stage.name} FAILED after ${seconds}s (exit ${result.status}${stage.counts && !wroteStats ? ', no tests ran' : ''})`);
  } else {
    console.log(`=== ${stage.name} ok in ${seconds}s`);
  }
}

function readStats() {
  if (!existsSync(statsFile)) return [];
  return readFileSync(statsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const stats = readStats();
const total = stats.reduce(
  (acc, s) => ({ passes: acc.passes + s.passes, failures: acc.failures + s.failures, pending: acc.pending + s.pending }),
  { passes: 0, failures: 0, pending: 0 },
);
for (const s of stats) console.log(`  ${s.stage}: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped`);
if (failedStages.length) console.log(`failed stages: ${failedStages.join(', ')}`);
// A stage that failed without counting a test still fails the run: count it as one failure.
const failures = total.failures + failedStages.filter((n) => !stats.some((s) => s.stage === n && s.failures > 0)).length;
console.log(`${total.passes} passed, ${failures} failed, ${total.pending} skipped`);
process.exit(failures > 0 || total.passes === 0 ? 1 : 0);

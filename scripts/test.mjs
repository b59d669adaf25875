// The whole test run: install what the tests need (Chromium, the real VS Code), type-check and compile,
// lint, bundle, unit tests in plain Node, then the integration and UI suites in a real VS Code. Every
// stage's mocha run appends its totals (and each skipped test with its reason) to one file, and the run
// ends with the summary of scripts/test-summary.mjs: a line per stage and one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize } from './test-summary.mjs';

const root = new URL('..', import.meta.url).pathname;
const statsFile = join(mkdtempSync(join(tmpdir(), 'mailsmith-tests-')), 'stats.jsonl');
const only = process.argv.slice(2); // e.g. `npm test -- unit`

const stages = [
  // First, so that no test finds a part missing: Chromium (the unit stage's webview tests use it too) and
  // code-server with Node 24, installed once per machine (scripts/real-vscode/setup.mjs).
  { name: 'setup', cmd: ['node', 'scripts/real-vscode/setup.mjs'], neededBy: ['unit', 'integration', 'ui'] },
  { name: 'compile', cmd: ['node_modules/.bin/tsc', '-p', 'tsconfig.json'], always: true },
  { name: 'lint', cmd: ['node_modules/.bin/eslint', 'src', 'test', 'scripts'] },
  { name: 'build', cmd: ['node', 'scripts/build.mjs'], always: true },
  { name: 'unit', cmd: ['node_modules/.bin/mocha'], counts: true },
  { name: 'integration', cmd: ['node', 'scripts/real-vscode/run-integration.mjs'], counts: true, needs: 'setup', optionalFile: 'scripts/real-vscode/run-integration.mjs' },
  { name: 'ui', cmd: ['node', 'scripts/real-vscode/run-ui.mjs'], counts: true, needs: 'setup', optionalFile: 'scripts/real-vscode/run-ui.mjs' },
];

const selected = (stage) => !only.length || stage.always || only.includes(stage.name) || (stage.neededBy ?? []).some((name) => only.includes(name));

const failedStages = [];
for (const stage of stages) {
  if (!selected(stage)) continue;
  if (stage.optionalFile && !existsSync(join(root, stage.optionalFile))) continue;
  if (stage.needs && failedStages.includes(stage.needs)) {
    failedStages.push(stage.name);
    console.log(`\n=== ${stage.name} FAILED: not run, the ${stage.needs} stage failed`);
    continue;
  }
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

const summary = summarize(readStats(), failedStages);
console.log(summary.lines.join('\n'));
process.exit(summary.ok ? 0 : 1);

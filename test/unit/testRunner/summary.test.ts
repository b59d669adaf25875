// `npm test`'s closing summary: every skipped test is listed with its reason, and a skip without one fails
// the run (scripts/mocha-summary-reporter.cjs records them, scripts/test-summary.mjs judges them).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/paths';

interface Skipped {
  title: string;
  reason: string | null;
}
interface StageStats {
  stage: string;
  passes: number;
  failures: number;
  pending: number;
  skipped?: Skipped[];
}
interface Summary {
  lines: string[];
  passes: number;
  failures: number;
  pending: number;
  ok: boolean;
}

async function summarize(stats: StageStats[], failedStages: string[] = []): Promise<Summary> {
  const module = (await import(pathToFileURL(join(repoRoot, 'scripts', 'test-summary.mjs')).href)) as {
    summarize(stats: StageStats[], failedStages: string[]): Summary;
  };
  return module.summarize(stats, failedStages);
}

describe('npm test summary: skipped tests and their reasons', function () {
  this.timeout(30_000);

  it('the reporter lists each skipped test with the reason skipBecause gave, or none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailsmith-summary-'));
    try {
      const statsFile = join(dir, 'stats.jsonl');
      const result = spawnSync(
        process.execPath,
        [join(repoRoot, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--reporter', join(repoRoot, 'scripts/mocha-summary-reporter.cjs'), join(__dirname, 'skips.fixture.js')],
        { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, MAILSMITH_TEST_STATS: statsFile, MAILSMITH_TEST_STAGE: 'fixture' } },
      );
      assert.equal(result.status, 0, result.stdout + result.stderr);
      const stats = JSON.parse(readFileSync(statsFile, 'utf8').trim()) as StageStats;
      assert.deepEqual(
        { ...stats, skipped: [...(stats.skipped ?? [])].sort((a, b) => a.title.localeCompare(b.title)) },
        {
          stage: 'fixture',
          passes: 1,
          failures: 0,
          pending: 5,
          skipped: [
            { title: 'fixture is marked it.skip', reason: null },
            { title: 'fixture skips itself with a reason', reason: 'needs a case-sensitive file system' },
            { title: 'fixture skips itself without a reason', reason: null },
            { title: 'fixture suite skipped by its before hook first', reason: 'no IPv6 on this machine' },
            { title: 'fixture suite skipped by its before hook second', reason: 'no IPv6 on this machine' },
          ],
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints each reason next to the stage\'s skipped count and passes when every skip has one', async () => {
    const summary = await summarize([
      { stage: 'unit', passes: 10, failures: 0, pending: 1, skipped: [{ title: 'a b', reason: 'needs IPv6' }] },
      { stage: 'ui', passes: 3, failures: 0, pending: 0, skipped: [] },
    ]);
    assert.deepEqual(summary.lines, ['  unit: 10 passed, 0 failed, 1 skipped', '    skipped: a b: needs IPv6', '  ui: 3 passed, 0 failed, 0 skipped', '13 passed, 0 failed, 1 skipped']);
    assert.equal(summary.ok, true);
  });

  it('fails the run for a skip without a reason, and for skips a stage only counts', async () => {
    const summary = await summarize([
      { stage: 'unit', passes: 10, failures: 0, pending: 1, skipped: [{ title: 'a b', reason: null }] },
      { stage: 'integration', passes: 5, failures: 0, pending: 2 },
    ]);
    assert.ok(summary.lines.includes('    skipped WITHOUT A REASON: a b'), summary.lines.join('\n'));
    assert.ok(summary.lines.includes('    2 skipped that the stage did not name'), summary.lines.join('\n'));
    assert.match(summary.lines.join('\n'), /3 test\(s\) skipped without a reason, counted as failed: .*skipBecause/);
    assert.equal(summary.lines.at(-1), '15 passed, 3 failed, 3 skipped');
    assert.equal(summary.ok, false);
  });

  it('counts a stage that failed without a failed test as one failure', async () => {
    const summary = await summarize([{ stage: 'unit', passes: 10, failures: 0, pending: 0, skipped: [] }], ['setup', 'integration']);
    assert.deepEqual(summary.lines.slice(-2), ['failed stages: setup, integration', '10 passed, 2 failed, 0 skipped']);
    assert.equal(summary.ok, false);
  });
});

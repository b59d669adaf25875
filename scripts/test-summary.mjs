// The closing summary of `npm test`: one line per stage with its counts, each skipped test with its reason
// under it, and one "N passed, N failed, N skipped" line over all stages. A skip without a reason (it.skip,
// xit, a bare this.skip(), or a stage that only counts its skips) fails the run: nothing is skipped silently.

/**
 * @typedef {{ title: string, reason: string | null }} Skipped
 * @typedef {{ stage: string, passes: number, failures: number, pending: number, skipped?: Skipped[] }} StageStats
 * @param {StageStats[]} stats one line per stage run, as the stages appended them
 * @param {string[]} failedStages stages that exited non-zero or counted no test
 * @returns {{ lines: string[], passes: number, failures: number, pending: number, ok: boolean }}
 */
export function summarize(stats, failedStages) {
  const lines = [];
  let unexplained = 0;
  for (const s of stats) {
    lines.push(`  ${s.stage}: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped`);
    const skipped = s.skipped ?? [];
    for (const { title, reason } of skipped) {
      lines.push(reason ? `    skipped: ${title}: ${reason}` : `    skipped WITHOUT A REASON: ${title}`);
    }
    const unnamed = s.pending - skipped.length;
    if (unnamed > 0) lines.push(`    ${unnamed} skipped that the stage did not name`);
    unexplained += skipped.filter((t) => !t.reason).length + Math.max(unnamed, 0);
  }
  if (unexplained > 0) {
    lines.push(
      `${unexplained} test(s) skipped without a reason, counted as failed: a test that cannot run says why with ` +
        `skipBecause(this, reason) (test/support/skip.ts); a missing part is a failure, not a skip`,
    );
  }
  if (failedStages.length) lines.push(`failed stages: ${failedStages.join(', ')}`);
  const passes = sum(stats, 'passes');
  const pending = sum(stats, 'pending');
  // A stage that failed without counting a failed test still fails the run: count it as one failure.
  const silentFailures = failedStages.filter((name) => !stats.some((s) => s.stage === name && s.failures > 0)).length;
  const failures = sum(stats, 'failures') + silentFailures + unexplained;
  lines.push(`${passes} passed, ${failures} failed, ${pending} skipped`);
  return { lines, passes, failures, pending, ok: failures === 0 && passes > 0 };
}

function sum(stats, key) {
  return stats.reduce((total, s) => total + s[key], 0);
}

// The score per file from Stryker's report (reports/mutation/mutation.json), as the Markdown table in
// MUTATION.md: killed + timed out over all mutants with coverage (Stryker's "mutation score based on
// covered code"), with the survivors listed by line and mutator so each can be named or killed.
// Usage: node scripts/mutation/summary.mjs [report.json] [--survivors] [--threshold]
// --threshold: exit 1 when the total covered score is under MUTATION_THRESHOLD (stryker.config.mjs).
import { readFileSync } from 'node:fs';
import { MUTATION_THRESHOLD } from '../../stryker.config.mjs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? 'reports/mutation/mutation.json';
const showSurvivors = args.includes('--survivors');
const enforce = args.includes('--threshold');
const report = JSON.parse(readFileSync(file, 'utf8'));

const rows = [];
const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileError: 0, ignored: 0, runtimeError: 0 };
const survivors = [];
for (const [name, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const c = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileError: 0, ignored: 0, runtimeError: 0 };
  for (const m of mutants) {
    const key = { Killed: 'killed', Timeout: 'timeout', Survived: 'survived', NoCoverage: 'noCoverage', CompileError: 'compileError', Ignored: 'ignored', RuntimeError: 'runtimeError' }[m.status];
    c[key]++;
    total[key]++;
    if (m.status === 'Survived' || m.status === 'NoCoverage') survivors.push({ name, m });
  }
  rows.push([name, c]);
}
const score = (c) => {
  const covered = c.killed + c.timeout + c.survived;
  return covered ? ((100 * (c.killed + c.timeout)) / covered).toFixed(1) : 'n/a';
};
const all = (c) => {
  const valid = c.killed + c.timeout + c.survived + c.noCoverage;
  return valid ? ((100 * (c.killed + c.timeout)) / valid).toFixed(1) : 'n/a';
};
console.log('| File | Killed | Timed out | Survived | No coverage | Score (covered) | Score (all) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, c] of rows) console.log(`| \`${name}\` | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${score(c)} % | ${all(c)} % |`);
console.log(`| **Total** | ${total.killed} | ${total.timeout} | ${total.survived} | ${total.noCoverage} | **${score(total)} %** | ${all(total)} % |`);
console.log(`\n(${total.compileError} mutants did not compile and ${total.ignored} were ignored; neither counts.)`);
if (showSurvivors) {
  console.log('\nSurvivors:');
  for (const { name, m } of survivors) {
    console.log(`${name}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName} ${JSON.stringify(m.replacement ?? '').slice(0, 120)}`);
  }
}

const covered = total.killed + total.timeout + total.survived;
const totalScore = covered ? (100 * (total.killed + total.timeout)) / covered : 100;
if (enforce && totalScore < MUTATION_THRESHOLD) {
  console.log(`\nThe score ${totalScore.toFixed(1)} % is under the threshold the project keeps (${MUTATION_THRESHOLD} %): kill the survivors or name them in MUTATION.md.`);
  process.exit(1);
}

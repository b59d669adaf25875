// Editor responsiveness in the real VS Code (code-server's extension host): runs the probe suite
// test/integration/responsiveness.test.ts and prints its PROBE lines as a table. Needs `npm run compile`
// and `node scripts/build.mjs` first (the probe runs the built extension). `node bench/run.mjs editor`.
// What is measured, and the goals (issue #12, point 10):
// - keystroke-100k-header: from an edit of a message with a 100 KB header to its new diagnostics; goal: the
//   debounce + 20 ms. One scan and one check per keystroke is asserted by the suite itself.
// - edit-10mb-draft: the CPU the extension host's thread spent between two ticks of a 5 ms timer (its
//   longest task) while a 10 MB draft is edited, re-checked and shown again in the open Preview; goal: < 50 ms.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = spawnSync(process.execPath, ['scripts/real-vscode/run-integration.mjs', '--grep', 'Editor responsiveness'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const output = `${run.stdout}\n${run.stderr}`;
const probes = [...output.matchAll(/PROBE (\{.*\})/g)].map((m) => JSON.parse(m[1]));
if (run.status !== 0 || probes.length < 2) {
  console.log(output);
  console.error(`the probe suite failed (exit ${run.status}) or printed ${probes.length} of 2 PROBE lines`);
  process.exit(1);
}
for (const probe of probes) {
  const { name, machine, ...values } = probe;
  console.log(`\n${name} (${machine.cores} cores, load average ${machine.loadAverage.join(' ')}, Node ${machine.node} in the extension host)`);
  for (const [key, value] of Object.entries(values)) console.log(`  ${key.padEnd(28)} ${Array.isArray(value) ? value.join(', ') : value}`);
}

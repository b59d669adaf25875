// Runs every bench/*.bench.mjs in turn, each in its own Node process (so one's garbage does not slow
// the next). Not part of `npm test`: `npm run bench` or `node bench/run.mjs [name-filter]`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const filter = process.argv[2];
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`=== ${file} FAILED (exit ${result.status})`);
  }
}
process.exit(failed ? 1 : 0);

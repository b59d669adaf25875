// Mail merge benchmark: N rows of a CSV through one template to Postfix's `smtp-sink` on loopback (a neutral
// sink that accepts and discards), with `mailsmith merge --send` (the shipped CLI, dist/cli.js: journal
// fsync'ed per row, every row checked first), against what people write without it: a shell script that
// fills the template with sed and runs one `curl --upload-file` per row, and the same with swaks.
// Messages per second, and the CLI's peak memory (max RSS) for 1,000, 10,000 and 100,000 rows: it must
// stay flat as the rows grow (100,000 rows under 200 MB).
// Run: node bench/run.mjs merge   (needs `node scripts/build.mjs` first; `npm run bench` does it). Installs
// postfix (for smtp-sink), curl and swaks with apt-get when missing, as bench/send.bench.mjs does.
// BENCH_MERGE_ROWS (10000), BENCH_MERGE_PEER_ROWS (1000: curl and swaks run once per row, so fewer),
// BENCH_MERGE_MEMORY_ROWS ("1000,10000,100000"), BENCH_MERGE_ONLY (throughput | peers | memory).
// The memory series keeps its data (and so the journal) on tmpfs (/dev/shm) when there is one: memory does
// not depend on how long fdatasync takes, and 100,000 flushes to a busy disk would take half an hour.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureTools, freePort, startSink } from './smtpSink.mjs';

const root = new URL('..', import.meta.url).pathname;
const ROWS = Number(process.env.BENCH_MERGE_ROWS ?? 10_000);
const PEER_ROWS = Number(process.env.BENCH_MERGE_PEER_ROWS ?? 1000);
const MEMORY_ROWS = (process.env.BENCH_MERGE_MEMORY_ROWS ?? '1000,10000,100000').split(',').map(Number);
const ONLY = process.env.BENCH_MERGE_ONLY;
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `node scripts/build.mjs` first (npm run bench does).');
  process.exit(1);
}
ensureTools();

const work = mkdtempSync(join(tmpdir(), 'mailsmith-merge-bench-'));
const TEMPLATE = [
  'From: Release Team <releases@example.com>',
  'To: ${name} <${email}>',
  'Subject: Release 4.2 for ${company}',
  'Merge-Data: customers.csv',
  '',
  'Dear ${name},',
  '',
  'release 4.2 of the product ${company} uses is out. '.repeat(4).trim(),
  'Your account number is ${account}.',
  '',
  'Regards, the release team',
  '',
].join('\r\n');
// A peak-memory probe preloaded into the CLI process (max RSS as the kernel counts it, in KB).
const probe = join(work, 'peak.cjs');
writeFileSync(probe, "process.on('exit', () => require('fs').writeFileSync(process.env.PEAK_FILE, String(process.resourceUsage().maxRSS)));\n");

let sink;
try {
  const port = await freePort();
  sink = await startSink(port);
  await run(port);
} finally {
  sink?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}

async function run(port) {
  console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`smtp-sink on 127.0.0.1:${port}; template ${Buffer.byteLength(TEMPLATE)} bytes with 5 fields`);
  const profile = join(work, 'profile.json');
  writeFileSync(profile, JSON.stringify({ name: 'bench', host: '127.0.0.1', port, security: 'none', maxPerHour: 10_000_000, ehloName: 'bench.local' }));

  if (!ONLY || ONLY === 'throughput') await throughput(profile);
  if (!ONLY || ONLY === 'peers') await peerComparison(port, profile);
  if (!ONLY || ONLY === 'memory') await memory(profile);
}

async function throughput(profile) {
  console.log(`\n${ROWS.toLocaleString('en')} rows with mailsmith merge --send --limit all`);
  for (const connections of [1, 4]) {
    const r = mergeRun(ROWS, profile, connections);
    console.log(`  ${`${connections} connection${connections === 1 ? '' : 's'}`.padEnd(14)} ${(r.ms / 1000).toFixed(1).padStart(7)} s  ${r.rate.toFixed(0).padStart(6)} messages/s  peak RSS ${r.peakMb.toFixed(0)} MB`);
  }

}

async function peerComparison(port, profile) {
  const peers = { curl: peerScript(port, 'curl'), swaks: peerScript(port, 'swaks') };
  console.log(`\n${PEER_ROWS.toLocaleString('en')} rows, one process per row (a shell script: sed fills the template, then one client run)`);
  const ours = mergeRun(PEER_ROWS, profile, 1);
  console.log(`  ${'mailsmith merge'.padEnd(14)} ${(ours.ms / 1000).toFixed(1).padStart(7)} s  ${ours.rate.toFixed(0).padStart(6)} messages/s`);
  const rates = {};
  for (const [name, script] of Object.entries(peers)) {
    const dir = dataDir(PEER_ROWS);
    const t0 = performance.now();
    const r = spawnSync('bash', [script, join(dir, 'customers.csv'), join(dir, 'invite.eml')], { encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${name} script failed: ${r.stderr}`);
    rates[name] = (PEER_ROWS / ms) * 1000;
    console.log(`  ${`${name} script`.padEnd(14)} ${(ms / 1000).toFixed(1).padStart(7)} s  ${rates[name].toFixed(0).padStart(6)} messages/s`);
  }
  console.log(`  mailsmith / curl ${(ours.rate / rates.curl).toFixed(1)}x, mailsmith / swaks ${(ours.rate / rates.swaks).toFixed(1)}x`);

}

async function memory(profile) {
  const shm = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/mailsmith-merge-bench-') : undefined;
  console.log(`\nPeak memory of mailsmith merge --send (4 connections) as the rows grow${shm ? ' (data and journal on tmpfs)' : ''}`);
  const peaks = [];
  for (const rows of MEMORY_ROWS) {
    const r = mergeRun(rows, profile, 4, shm);
    peaks.push(r.peakMb);
    console.log(`  ${rows.toLocaleString('en').padStart(8)} rows  peak RSS ${r.peakMb.toFixed(0).padStart(4)} MB  (${(r.ms / 1000).toFixed(1)} s, ${r.rate.toFixed(0)} messages/s)`);
  }
  const largest = peaks[peaks.length - 1];
  console.log(`Goal (100,000 rows under 200 MB, flat): ${largest < 200 ? 'met' : 'NOT met'} (${peaks.map((p) => p.toFixed(0)).join(' -> ')} MB)`);
  if (shm) rmSync(shm, { recursive: true, force: true });
}

/** A fresh folder with the template and `rows` rows (the journal is written next to the data). */
function dataDir(rows, parent = work) {
  const dir = mkdtempSync(join(parent, 'rows-'));
  writeFileSync(join(dir, 'invite.eml'), TEMPLATE);
  const lines = ['name,email,company,account'];
  for (let i = 1; i <= rows; i++) lines.push(`Customer ${i},c${i}@example.org,Company ${i % 97},ACC-${100000 + i}`);
  writeFileSync(join(dir, 'customers.csv'), lines.join('\r\n') + '\r\n');
  return dir;
}

function mergeRun(rows, profile, connections, parent) {
  const dir = dataDir(rows, parent);
  const peakFile = join(dir, 'peak');
  const env = { ...process.env, MAILSMITH_STATE_DIR: join(dir, 'state'), PEAK_FILE: peakFile };
  const t0 = performance.now();
  // --data: the file is named by the user (a data file the template names must lie in a tree of the user's, and /dev/shm is not one).
  const r = spawnSync(process.execPath, ['--require', probe, cli, 'merge', join(dir, 'invite.eml'), '--data', join(dir, 'customers.csv'), '--profile-file', profile, '--send', '--limit', 'all', '--connections', String(connections)], {
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`mailsmith merge exited ${r.status}: ${r.stderr.slice(-2000)}`);
  if (!new RegExp(`Mail merge: ${rows.toLocaleString('en')} sent`).test(r.stdout)) throw new Error(`not every row was sent: ${r.stdout}`);
  const peakMb = Number(readFileSync(peakFile, 'utf8')) / 1024;
  rmSync(dir, { recursive: true, force: true });
  return { ms, rate: (rows / ms) * 1000, peakMb };
}

/** The script a user writes without a merge tool: fill the template with sed, send with one client run per row. */
function peerScript(port, client) {
  const script = join(work, `${client}.sh`);
  const send =
    client === 'curl'
      ? `curl -sS --url smtp://127.0.0.1:${port}/bench.local --mail-from releases@example.com --mail-rcpt "$email" --upload-file "$msg"`
      : `swaks --server 127.0.0.1 --port ${port} --helo bench.local --from releases@example.com --to "$email" --data "@$msg" --silent 1`;
  writeFileSync(
    script,
    [
      'set -e',
      'data="$1"; template="$2"; msg="$(mktemp)"',
      'tail -n +2 "$data" | tr -d "\\r" | while IFS=, read -r name email company account; do',
      '  sed -e "s/\\${name}/$name/g" -e "s/\\${email}/$email/g" -e "s/\\${company}/$company/g" -e "s/\\${account}/$account/g" -e "/^Merge-Data:/d" "$template" > "$msg"',
      `  ${send}`,
      'done',
      'rm -f "$msg"',
      '',
    ].join('\n'),
  );
  return script;
}

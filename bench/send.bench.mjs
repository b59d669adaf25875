// Sending benchmark: the same prepared message to the same loopback server (Postfix's `smtp-sink`, a
// neutral sink that throws mail away) with our sending core, with curl (--upload-file) and with swaks.
// One message, then a batch of 200 (ours over one connection with createSender; curl and swaks have no
// batch mode for distinct messages, so they run once per message, as a script would).
// Goals: one message no slower than curl; the batch at least 5x faster than swaks.
// Run: node bench/run.mjs send   (or: node bench/send.bench.mjs). Installs postfix (for smtp-sink), curl
// and swaks with apt-get when missing (needs root); postfix is installed unconfigured and never started.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureTools, freePort, startSink } from './smtpSink.mjs';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const SINGLE_RUNS = Number(process.env.BENCH_SEND_SINGLE_RUNS ?? 15);
const BATCH = 200;
const BATCH_RUNS = Number(process.env.BENCH_SEND_BATCH_RUNS ?? 3);

ensureTools();

// Bundle the TypeScript core and the CLI exactly as they ship (esbuild, CommonJS), then load the core.
const work = mkdtempSync(join(tmpdir(), 'mailsmith-send-bench-'));
const coreBundle = join(work, 'core.cjs');
const cliBundle = join(work, 'cli.cjs');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
await build({
  ...common,
  stdin: { contents: "export * from './src/core/send'; export { prepareMessage } from './src/core/message';", resolveDir: root, loader: 'ts' },
  outfile: coreBundle,
});
await build({ ...common, entryPoints: [join(root, 'src/cli/main.ts')], outfile: cliBundle });
const { prepareMessage, sendMessage, createSender, describeOutcome } = require(coreBundle);

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
  const prepared = prepareMessage(Buffer.from(sampleMessage()));
  if (!prepared.ok) throw new Error('the bench message does not prepare: ' + JSON.stringify(prepared.problems));
  const message = prepared.message;
  const emlFile = join(work, 'message.eml');
  writeFileSync(emlFile, message.raw);
  const from = message.envelope.from;
  const to = message.envelope.to[0];
  // smtp-sink offers no STARTTLS: all three talk plain SMTP on loopback, the same dialogue.
  const profile = { name: 'bench', host: '127.0.0.1', port, security: 'none', maxPerHour: 1_000_000, ehloName: 'bench.local' };
  const profileFile = join(work, 'profile.json');
  writeFileSync(profileFile, JSON.stringify(profile));
  const cliEnv = { ...process.env, MAILSMITH_STATE_DIR: join(work, 'state') };

  const curlArgs = ['-sS', '--url', `smtp://127.0.0.1:${port}/bench.local`, '--mail-from', from, '--mail-rcpt', to, '--upload-file', emlFile];
  const swaksArgs = ['--server', '127.0.0.1', '--port', String(port), '--helo', 'bench.local', '--from', from, '--to', to, '--data', `@${emlFile}`, '--silent', '1'];
  const cliArgs = [cliBundle, 'send', emlFile, '--profile-file', profileFile];

  const ours = async () => {
    const outcome = await sendMessage(message, profile, {}, {});
    if (outcome.status !== 'sent') throw new Error(describeOutcome(outcome));
  };
  const curl = () => exec('curl', curlArgs);
  const swaks = () => exec('swaks', swaksArgs);
  const cli = () => exec(process.execPath, cliArgs, cliEnv);

  console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`Message: ${message.size} bytes, 1 recipient; smtp-sink on 127.0.0.1:${port}`);
  console.log(`curl: curl ${curlArgs.join(' ')}`);
  console.log(`swaks: swaks ${swaksArgs.join(' ')}`);

  console.log(`\nOne message (connect, EHLO, MAIL, RCPT, DATA, QUIT): median of ${SINGLE_RUNS} runs after 3 warm-ups`);
  const single = {};
  for (const [name, fn] of [
    ['mailsmith core (sendMessage)', ours],
    ['mailsmith CLI process', cli],
    ['curl --upload-file', curl],
    ['swaks', swaks],
    // What any Node CLI pays before its first line runs: the floor under "mailsmith CLI process".
    ['node -e 0 (Node start-up alone)', () => exec(process.execPath, ['-e', '0'])],
  ]) {
    single[name] = await median(fn, SINGLE_RUNS, 3);
    console.log(`  ${name.padEnd(30)} ${single[name].toFixed(1).padStart(8)} ms`);
  }

  console.log(`\nBatch of ${BATCH} messages: median of ${BATCH_RUNS} runs after 1 warm-up (warm-up: 10 messages)`);
  const batch = {};
  const oursBatch = async (n = BATCH) => {
    const sender = createSender(profile, {}, {});
    try {
      for (let i = 0; i < n; i++) {
        const outcome = await sender.send(message);
        if (outcome.status !== 'sent') throw new Error(describeOutcome(outcome));
      }
    } finally {
      sender.close();
    }
  };
  const loop = (fn) => async (n = BATCH) => {
    for (let i = 0; i < n; i++) await fn();
  };
  for (const [name, fn] of [
    ['mailsmith createSender, 1 connection', oursBatch],
    ['curl, once per message', loop(curl)],
    ['swaks, once per message', loop(swaks)],
  ]) {
    await fn(10);
    batch[name] = await median(() => fn(), BATCH_RUNS, 0);
    console.log(`  ${name.padEnd(36)} ${batch[name].toFixed(0).padStart(8)} ms  (${(batch[name] / BATCH).toFixed(2)} ms/message)`);
  }

  const curlOverOurs = single['curl --upload-file'] / single['mailsmith core (sendMessage)'];
  const curlOverCli = single['curl --upload-file'] / single['mailsmith CLI process'];
  const swaksOverOurs = batch['swaks, once per message'] / batch['mailsmith createSender, 1 connection'];
  const curlBatchOverOurs = batch['curl, once per message'] / batch['mailsmith createSender, 1 connection'];
  console.log(`\nRatios: one message, curl / our core ${curlOverOurs.toFixed(2)}x, curl / our CLI process ${curlOverCli.toFixed(2)}x;`);
  console.log(`        batch of ${BATCH}, swaks / ours ${swaksOverOurs.toFixed(1)}x, curl / ours ${curlBatchOverOurs.toFixed(1)}x`);
  console.log(`Goal (one message no slower than curl, core): ${curlOverOurs >= 1 ? 'met' : 'NOT met'}`);
  console.log(`Goal (batch >= 5x faster than swaks): ${swaksOverOurs >= 5 ? 'met' : 'NOT met'}`);
}

async function median(fn, runs, warmups) {
  for (let i = 0; i < warmups; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function exec(command, args, env = process.env) {
  const result = spawnSync(command, args, { encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`${command} exited with ${result.status}: ${result.stderr || result.stdout}`);
}

function sampleMessage() {
  const paragraph = 'The quarterly figures are in; revenue is up and the new office opens in March. '.repeat(6).trim();
  const body = Array.from({ length: 30 }, (_, i) => `${i + 1}. ${paragraph}`).join('\r\n\r\n');
  return ['From: Bench Sender <sender@example.com>', 'To: Receiver <receiver@example.org>', 'Subject: Quarterly figures', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=us-ascii', '', body, ''].join('\r\n');
}

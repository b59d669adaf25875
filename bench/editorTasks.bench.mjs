// Mailsmith's own work on the extension host's thread when a 10 MB draft is edited with the Preview open,
// step by step, as the extension runs it: read the text (VS Code joins its lines), scan, run the rules (each
// step its own task: src/vscode/analyses.ts), and hand the text to the preview's worker thread, which
// prepares the final bytes and parses them (src/vscode/preview/viewWorker.ts) while this thread waits idle.
// Each step's CPU on this thread (process.threadCpuUsage, Node >= 23.9: run it with the extension host's Node,
// see BENCHMARKS.md; older Nodes fall back to the process's CPU, which counts the worker too).
// Goal (issue #12, point 10): every task under 50 ms. Run: node bench/run.mjs editorTasks
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const ROUNDS = 8;

const work = mkdtempSync(join(tmpdir(), 'mailsmith-bench-'));
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
await build({ ...common, entryPoints: [join(root, 'src/core/document/analyze.ts')], outfile: join(work, 'analyze.cjs') });
await build({ ...common, entryPoints: [join(root, 'src/core/message/scanner.ts')], outfile: join(work, 'scanner.cjs') });
await build({ ...common, entryPoints: [join(root, 'src/vscode/preview/viewWorkerClient.ts')], outfile: join(work, 'client.cjs') });
await build({ ...common, entryPoints: [join(root, 'src/vscode/preview/viewWorker.ts')], outfile: join(work, 'previewWorker.js') });
await build({ ...common, entryPoints: [join(root, 'src/vscode/preview/messageView.ts')], outfile: join(work, 'messageView.cjs') });
const { analyzeDocument } = require(join(work, 'analyze.cjs'));
const { scanMessage } = require(join(work, 'scanner.cjs'));
const { MessageViewWorker } = require(join(work, 'client.cjs'));
const { messageView } = require(join(work, 'messageView.cjs'));

const perThread = typeof process.threadCpuUsage === 'function';
const cpuMs = () => {
  const u = perThread ? process.threadCpuUsage() : process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const nextTask = () => new Promise((resolve) => setImmediate(resolve));

// The editor probe's draft: a base64 attachment in 76-character lines, no Date, no Message-ID.
const BASE64 = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0';
const lines = ['From: Bench Sender <sender@example.com>', 'To: Receiver <receiver@example.org>', 'Subject: Measurements', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain; charset=us-ascii', '', 'Attached.', '--b', 'Content-Type: application/octet-stream; name="data.bin"', 'Content-Transfer-Encoding: base64', ''];
for (let i = Math.ceil((10 * 1024 * 1024) / (BASE64.length + 2)); i > 0; i--) lines.push(BASE64);
lines.push('--b--', '');

const reader = new MessageViewWorker(join(work, 'previewWorker.js'));
const frame = { remoteImagesAllowed: false, styleNonce: 'bm9uY2U=' };
const steps = {};
const note = (step, ms) => (steps[step] ??= []).push(ms);
let bytes = 0;
for (let round = 0; round < ROUNDS; round++) {
  let t = cpuMs();
  const text = lines.join('\r\n'); // what TextDocument.getText() does with the host's line array
  note('read the text (getText)', cpuMs() - t);
  bytes = text.length;
  await nextTask();
  t = cpuMs();
  const scanned = scanMessage(text);
  note('scan', cpuMs() - t);
  await nextTask();
  t = cpuMs();
  const analysis = await analyzeDocument(scanned, {});
  note('rules (analyzeDocument)', cpuMs() - t);
  await nextTask();
  // The preview: this thread only posts the text and receives the view; the rest is the worker's.
  t = cpuMs();
  const view = await reader.renderDraft(analysis.scanned.text, {}, 'bench.eml', frame);
  note('preview, this thread (post + receive)', cpuMs() - t);
  if ('problems' in view) throw new Error('the bench draft was refused');
  // For comparison, what the preview cost this thread before it had a worker: prepare and parse here.
  if (round < 3) {
    t = cpuMs();
    const prepared = await analysis.prepare();
    await messageView(prepared.message.raw, 'draft', 'bench.eml', frame);
    note('(before) preview on this thread', cpuMs() - t);
  }
}
reader.dispose();
rmSync(work, { recursive: true, force: true });

console.log(`10 MB draft (${bytes} characters), ${ROUNDS} rounds; ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}`);
console.log(perThread ? 'CPU of this thread per step:' : 'CPU of the process per step (Node < 23.9: no per-thread figure; the worker is counted too):');
const sorted = (xs) => [...xs].sort((a, b) => a - b);
for (const [step, ms] of Object.entries(steps)) {
  const s = sorted(ms);
  console.log(`  ${step.padEnd(40)} median ${s[Math.floor(s.length / 2)].toFixed(1)} ms   max ${s[s.length - 1].toFixed(1)} ms`);
}

// Mutation testing of the extension's Send command (src/vscode/send.ts), which runs only inside VS Code: Stryker's
// mocha runner cannot drive the real workbench, so this script does what Stryker does, by hand and for the
// guards only. Each mutant below is a plausible bug in how the command guards a send (the confirmation, the
// workspace setting, a caller's skipConfirm, a second click, Cancel, a failed send reported as sent). For each:
// the mutant is written into src/vscode/send.ts, the extension is built (dist/), the integration or UI tests
// named for it run in the real VS Code, and the original file is put back (also on Ctrl-C or a crash).
// A mutant is killed when a named test fails (a suite that did not even start is asked again, and never counts
// as a kill); the script exits 1 when one survives or could not be run.
// Usage: node scripts/mutation/vscode-send.mjs [--only N[,N...]]   (needs `npm run compile`; see MUTATION.md)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = join(root, 'src', 'vscode', 'send.ts');

/** `find` must occur exactly once in the file; `tests` are [stage, grep] pairs run in the real VS Code. */
const MUTANTS = [
  {
    bug: "a caller's skipConfirm honoured outside the extension's own tests",
    find: 'if (args.skipConfirm && services.testMode) return true;',
    replace: 'if (args.skipConfirm) return true;',
    tests: [['ui', 'Untrusted callers']],
  },
  {
    bug: "the workspace's confirmBeforeSend honoured (a repository turns the question off)",
    find: "if (!machineSetting<boolean>('confirmBeforeSend', true)) return true;",
    replace: "if (!vscode.workspace.getConfiguration('mailsmith').get<boolean>('confirmBeforeSend', true)) return true;",
    tests: [['ui', 'Untrusted callers']],
  },
  {
    bug: 'dismissing the confirmation (Escape) sends',
    find: "return answer === 'Send';",
    replace: "return answer !== 'Cancel';",
    tests: [['ui', 'Escape sends nothing']],
  },
  {
    bug: 'any answer but Send, even Cancel, sends',
    find: "return answer === 'Send';",
    replace: 'return true;',
    tests: [['ui', 'Cancel sends nothing']],
  },
  {
    bug: 'a second Send while the first runs is not refused',
    find: 'if (inFlight.has(key)) return refuse(',
    replace: 'if (false) return refuse(',
    tests: [['integration', 'refuses a second send while the first runs']],
  },
  {
    bug: 'the in-flight mark released before the outcome (a second click during the transfer sends again)',
    find: '      return await send(document, args);',
    replace: '      inFlight.delete(key);\n      return await send(document, args);',
    tests: [['integration', 'refuses a second send while the first runs']],
  },
  {
    bug: "the caller's Cancel (the progress notification's path) does not stop the send",
    find: 'const cancelled = args.cancel?.onCancellationRequested(() => controller.abort());',
    replace: 'const cancelled = args.cancel?.onCancellationRequested(() => undefined);',
    tests: [['integration', 'Cancelling Send Email']],
  },
  {
    bug: 'a send refused for errors in the message goes out anyway (refusal reported as an outcome)',
    find: '      case \'refused\':\n        return refuse(refusalSummary(result.problems), true);',
    replace: "      case 'refused':\n        return { status: 'sent' } as unknown as SendResult;",
    tests: [['integration', 'refuses to send while errors remain']],
  },
  {
    bug: 'a send that could not start (not signed in) reported as sent',
    find: "        return { status: 'error', reason: result.reason };",
    replace: "        return { status: 'sent', reason: result.reason } as unknown as SendResult;",
    tests: [['integration', 'OAuth 2.0 sign-in and sending in VS Code']],
  },
  {
    bug: "Send saves the editor's unsaved changes into the user's file",
    find: 'const analysis = await services.analyses.get(document, profile);',
    replace: 'await document.save();\n    const analysis = await services.analyses.get(document, profile);',
    tests: [['integration', 'leaves the file alone']],
  },
];

const args = process.argv.slice(2);
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',').map(Number)) : undefined;

const original = readFileSync(target, 'utf8');
const restore = () => writeFileSync(target, original);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    restore();
    process.exit(130);
  });
}

function run(command, commandArgs) {
  return spawnSync(command, commandArgs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

/**
 * Runs one stage's tests: `pass`, `fail` (a test failed: mocha counted it) or `error` (the suite did not run,
 * e.g. the workbench did not load on a busy machine: asked again twice, and never counted as a kill).
 */
function runTests(stage, grep) {
  let r;
  for (let attempt = 0; attempt < 3; attempt++) {
    r = run(process.execPath, [join(root, 'scripts', 'real-vscode', STAGES[stage]), '--grep', grep]);
    if (r.status === 0) return { result: 'pass', output: r.stdout + r.stderr };
    if (/^\s*[1-9]\d* failing/m.test(r.stdout + r.stderr)) return { result: 'fail', output: r.stdout + r.stderr };
  }
  return { result: 'error', output: `${r.stdout}${r.stderr}` };
}

function build() {
  const r = run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
  if (r.status !== 0) throw new Error(`the build failed:\n${r.stdout}${r.stderr}`);
}

const STAGES = { integration: 'run-integration.mjs', ui: 'run-ui.mjs' };
const results = [];
const started = Date.now();
try {
  // The original must pass the tests this script relies on, or a "killed" means nothing.
  const allTests = [...new Map(MUTANTS.flatMap((m) => m.tests).map((t) => [t.join(':'), t])).values()];
  build();
  for (const [stage, grep] of allTests) {
    const r = runTests(stage, grep);
    if (r.result !== 'pass') throw new Error(`the unmutated code fails ${stage} "${grep}":\n${r.output.slice(-4000)}`);
    console.log(`unmutated: ${stage} "${grep}" passes`);
  }
  MUTANTS.forEach((mutant, i) => {
    const n = i + 1;
    if (only && !only.has(n)) return;
    if (original.split(mutant.find).length !== 2) throw new Error(`mutant ${n}: its text is not in src/vscode/send.ts exactly once (the file changed?)`);
    writeFileSync(target, original.replace(mutant.find, mutant.replace));
    try {
      build();
      const failedBy = [];
      let broken = false;
      for (const [stage, grep] of mutant.tests) {
        const r = runTests(stage, grep);
        if (r.result === 'fail') failedBy.push(`${stage} "${grep}"`);
        if (r.result === 'error') broken = true;
      }
      const status = failedBy.length ? 'killed' : broken ? 'not run' : 'survived';
      results.push({ n, bug: mutant.bug, status, by: failedBy.join(', ') });
      console.log(`mutant ${n} ${status}: ${mutant.bug}${failedBy.length ? ` (by ${failedBy.join(', ')})` : ''}`);
    } finally {
      restore();
    }
  });
} finally {
  restore();
  build();
}
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
const killed = results.filter((r) => r.status === 'killed').length;
console.log(`\n| # | Bug put in src/vscode/send.ts | Result | Failed test |\n| ---: | --- | --- | --- |`);
for (const r of results) console.log(`| ${r.n} | ${r.bug} | ${r.status} | ${r.by || '-'} |`);
console.log(`\n${killed} of ${results.length} killed (${results.length ? ((100 * killed) / results.length).toFixed(0) : 'n/a'} %) in ${minutes} min.`);
process.exit(killed === results.length ? 0 : 1);

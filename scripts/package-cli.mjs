// Packs the `mailsmith` command as its own npm tarball (mailsmith-cli-<version>.tgz): the bundled CLI and its
// lazy chunks with a minimal package.json, so `npm install -g ./mailsmith-cli-*.tgz` installs it offline, with no
// dependency to fetch (everything is in the bundle). Expects a build (`node scripts/build.mjs --production`).
// Usage: node scripts/package-cli.mjs [--out DIR]   (prints the tarball's path)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex >= 0 ? process.argv[outIndex + 1] : root);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (!existsSync(join(root, 'dist', 'cli.js'))) {
  console.error('package-cli: dist/cli.js is missing: run `node scripts/build.mjs --production` first');
  process.exit(1);
}

const stage = mkdtempSync(join(tmpdir(), 'mailsmith-cli-package-'));
try {
  mkdirSync(join(stage, 'dist'), { recursive: true });
  copyFileSync(join(root, 'dist', 'cli.js'), join(stage, 'dist', 'cli.js'));
  mkdirSync(join(stage, 'dist', 'chunks'));
  for (const chunk of chunksOf(join(root, 'dist', 'cli.js'))) copyFileSync(join(root, 'dist', 'chunks', chunk), join(stage, 'dist', 'chunks', chunk));
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) copyFileSync(join(root, file), join(stage, file));
  writeFileSync(
    join(stage, 'package.json'),
    JSON.stringify(
      {
        name: 'mailsmith-cli',
        version: pkg.version,
        description: 'Lint and send email files (.eml) over SMTP from a terminal or CI: the mailsmith command.',
        license: pkg.license,
        bin: { mailsmith: './dist/cli.js' },
        engines: { node: pkg.engines.node },
        keywords: pkg.keywords,
      },
      null,
      2,
    ) + '\n',
  );
  mkdirSync(out, { recursive: true });
  const packed = spawnSync('npm', ['pack', '--pack-destination', out, '--json', '--loglevel=error'], { cwd: stage, encoding: 'utf8' });
  if (packed.status !== 0) {
    console.error(`package-cli: npm pack failed:\n${packed.stderr}`);
    process.exit(1);
  }
  const [{ filename }] = JSON.parse(packed.stdout);
  console.log(join(out, filename));
} finally {
  rmSync(stage, { recursive: true, force: true });
}

/** The chunks a bundle requires, and the chunks those require (the extension's own chunks stay out). */
function chunksOf(bundle) {
  const found = new Set();
  const visit = (file, pattern) => {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(pattern)) {
      if (found.has(name)) continue;
      found.add(name);
      visit(join(root, 'dist', 'chunks', name), /require\("\.\/([\w.-]+\.js)"\)/g);
    }
  };
  visit(bundle, /require\("\.\/chunks\/([\w.-]+\.js)"\)/g);
  return [...found];
}

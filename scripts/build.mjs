// Bundles the extension, the CLI and the webview pages with esbuild.
// `--production` minifies and drops source maps (what `npm run package` ships).
//
// Lazy chunks: every `await import(...)` in src/ (a module, or a package such as `yaml`) becomes a file of its
// own in dist/chunks/, required only when that line runs. So activating the extension, or running
// `mailsmith check`, parses the scanner and the rules, not nodemailer, smtp-server, markdown-it or yaml.
// The chunks are found by following the dynamic imports from the entry points, chunk by chunk.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');
const root = new URL('..', import.meta.url).pathname;
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  legalComments: 'none',
};
const nodeCommon = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // `import()` of a chunk becomes `require()`: Node's ESM loader would see a bundled CommonJS chunk's exports
  // only as `default`, and require keeps one module cache for the extension host.
  supported: { 'dynamic-import': false },
  define: { __MAILSMITH_VERSION__: JSON.stringify(pkg.version) },
};

rmSync(join(root, 'dist'), { recursive: true, force: true });

/** chunk file name -> what it bundles (a source file, or a package name). */
const chunks = new Map();

/** The chunk a dynamic import becomes: src/core/compose/markdown.ts -> core-compose-markdown.js; yaml -> pkg-yaml.js. */
function chunkFor(specifier, resolveDir) {
  if (!specifier.startsWith('.')) {
    const name = `pkg-${specifier.replace(/[^a-z0-9]+/gi, '-')}.js`;
    chunks.set(name, { package: specifier });
    return name;
  }
  const ts = resolve(resolveDir, specifier).replace(/\.js$/, '.ts');
  const source = existsSync(ts) ? ts : resolve(resolveDir, specifier);
  const name = `${relative(join(root, 'src'), source).replace(/\.[jt]s$/, '').replace(/[\\/]/g, '-')}.js`;
  chunks.set(name, { source });
  return name;
}

/** Turns each dynamic import into a require of its chunk, relative to the file being built. */
function lazyChunks(outDir) {
  return {
    name: 'lazy-chunks',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const name = chunkFor(args.path, args.resolveDir);
        const from = relative(outDir, join(root, 'dist', 'chunks', name));
        return { path: from.startsWith('.') ? from : `./${from}`, external: true };
      });
    },
  };
}

async function buildNode(entry, outfile, extra = {}) {
  await build({
    ...nodeCommon,
    entryPoints: [entry],
    outfile,
    external: extra.external ?? [],
    banner: extra.banner,
    plugins: [lazyChunks(dirname(outfile))],
  });
}

// The extension host provides `vscode`; everything else is bundled.
await buildNode(join(root, 'src/vscode/extension.ts'), join(root, 'dist/extension.js'), { external: ['vscode'] });
await buildNode(join(root, 'src/cli/main.ts'), join(root, 'dist/cli.js'), { banner: { js: '#!/usr/bin/env node' } });
// The preview's parse runs on a worker thread (src/vscode/preview/viewWorker.ts): a file of its own.
await buildNode(join(root, 'src/vscode/preview/viewWorker.ts'), join(root, 'dist/previewWorker.js'));

// Chunks may import further chunks: build until no new one appears.
const built = new Set();
for (let pending = [...chunks.keys()]; pending.length; pending = [...chunks.keys()].filter((n) => !built.has(n))) {
  for (const name of pending) {
    built.add(name);
    const chunk = chunks.get(name);
    const outfile = join(root, 'dist', 'chunks', name);
    if (chunk.package) {
      await build({ ...nodeCommon, stdin: { contents: `module.exports = require(${JSON.stringify(chunk.package)});`, resolveDir: root, loader: 'js' }, outfile });
    } else {
      await buildNode(chunk.source, outfile, { external: ['vscode'] });
    }
  }
}

// Each folder src/webview/<page>/ with a main.ts becomes dist/webview/<page>.js, run in the webview.
const webviewRoot = join(root, 'src/webview');
const pages = [];
for (const page of existsSync(webviewRoot) ? readdirSync(webviewRoot) : []) {
  const entry = join(webviewRoot, page, 'main.ts');
  if (!existsSync(entry)) continue;
  pages.push(
    build({
      ...common,
      entryPoints: [entry],
      outfile: join(root, 'dist/webview', `${page}.js`),
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
    }),
  );
}

// Webviews load codicons from the extension itself (their CSP allows no remote fonts), and the .vsix
// ships dist/** but not node_modules: copy the stylesheet and its font next to the page bundles.
const codiconsDir = join(root, 'node_modules/@vscode/codicons/dist');
mkdirSync(join(root, 'dist/codicons'), { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(join(codiconsDir, file), join(root, 'dist/codicons', file));

await Promise.all(pages);

// Bundles the extension, the CLI and the webview pages with esbuild.
// `--production` minifies and drops source maps (what `npm run package` ships).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

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

rmSync(join(root, 'dist'), { recursive: true, force: true });

// The extension loads the sending core (nodemailer) and the capture inbox (smtp-server, certificate
// generation) on first use: its `import('…/core/send/…')` and `import('…/core/inbox/…')` become
// requires of these separate chunks, so activation parses only what it needs.
const lazyChunks = [
  { filter: /core\/send\/(send|doctor)\.js$/, chunk: './chunks/send.js', entry: 'src/core/send/index.ts' },
  { filter: /core\/inbox\/index\.js$/, chunk: './chunks/inbox.js', entry: 'src/core/inbox/index.ts' },
  // The composer's MIME builder (nodemailer's MailComposer) and the preview's parser (postal-mime).
  { filter: /(^|\/)compose\.js$/, chunk: './chunks/compose.js', entry: 'src/core/compose/compose.ts' },
  { filter: /(^|\/)messageView\.js$/, chunk: './chunks/preview.js', entry: 'src/vscode/preview/messageView.ts' },
];
const lazyChunksPlugin = {
  name: 'lazy-chunks',
  setup(b) {
    for (const { filter, chunk } of lazyChunks) {
      b.onResolve({ filter }, (args) => (args.kind === 'dynamic-import' ? { path: chunk, external: true } : undefined));
    }
  },
};

const nodeTargets = [
  // The extension host provides `vscode`; everything else is bundled.
  { entry: 'src/vscode/extension.ts', out: 'dist/extension.js', external: ['vscode'], plugins: [lazyChunksPlugin] },
  ...lazyChunks.map((c) => ({ entry: c.entry, out: join('dist', c.chunk) })),
  { entry: 'src/cli/main.ts', out: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
const builds = nodeTargets
  .filter((t) => existsSync(join(root, t.entry)))
  .map((t) =>
    build({
      ...common,
      entryPoints: [join(root, t.entry)],
      outfile: join(root, t.out),
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      define: { __MAILSMITH_VERSION__: JSON.stringify(pkg.version) },
      external: t.external ?? [],
      plugins: t.plugins ?? [],
      banner: t.banner,
    }),
  );

// Each folder src/webview/<page>/ with a main.ts becomes dist/webview/<page>.js, run in the webview.
const webviewRoot = join(root, 'src/webview');
if (existsSync(webviewRoot)) {
  for (const page of readdirSync(webviewRoot)) {
    const entry = join(webviewRoot, page, 'main.ts');
    if (!existsSync(entry)) continue;
    builds.push(
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
}

// Webviews load codicons from the extension itself (their CSP allows no remote fonts), and the .vsix
// ships dist/** but not node_modules: copy the stylesheet and its font next to the page bundles.
const codiconsDir = join(root, 'node_modules/@vscode/codicons/dist');
mkdirSync(join(root, 'dist/codicons'), { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(join(codiconsDir, file), join(root, 'dist/codicons', file));

await Promise.all(builds);

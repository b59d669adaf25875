// `--narrow-checker`: the TypeScript checker type-checks each mutant against a tsconfig that holds only
// the mutated files and the files that import them, instead of the whole project (about 600 files).
// That is what a mutant can break: a changed body breaks its own file, a changed export type breaks an
// importer. The checker then takes a second or two a mutant instead of 12-40 on a busy two-core machine.
// What it can miss (counted as run, not dropped): a mutant that type-checks in its importers but breaks
// a file two imports away; such a mutant still runs, and a test almost always kills it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const CHECKER_TSCONFIG = '.stryker-checker.tsconfig.json';

/** Writes CHECKER_TSCONFIG for the files of a `--mutate` value (`a.ts,b.ts:10-40`); returns its files. */
export function writeCheckerTsconfig(root, mutate) {
  const mutated = [...new Set(mutate.split(',').map((entry) => entry.replace(/:\d+(-\d+)?$/, '').trim()).filter(Boolean))];
  const targets = new Set(mutated.map((file) => resolve(root, file)));
  const files = new Set(mutated);
  const sources = [...typeScriptFiles(root, ['src', 'test', 'bench'])].map((file) => ({ file, imports: relativeImports(file) }));
  // A barrel (`index.ts`) that re-exports a mutated file passes its types on: its importers count too.
  for (let grew = true; grew; ) {
    grew = false;
    for (const { file, imports } of sources) {
      if (files.has(relative(root, file)) || !imports.some((base) => targets.has(`${base}.ts`) || targets.has(join(base, 'index.ts')))) continue;
      files.add(relative(root, file));
      if (file.endsWith('/index.ts')) {
        targets.add(file);
        grew = true;
      }
    }
  }
  const config = { extends: './tsconfig.json', include: [], files: [...files].sort() };
  writeFileSync(join(root, CHECKER_TSCONFIG), `${JSON.stringify(config, null, 2)}\n`);
  return config.files;
}

/** The files a module imports or re-exports by a relative path, without their extension. */
function relativeImports(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)].map(([, specifier]) => resolve(dirname(file), specifier));
}

function* typeScriptFiles(root, folders) {
  for (const folder of folders) {
    let entries;
    try {
      entries = readdirSync(join(root, folder), { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isFile() && entry.name.endsWith('.ts')) yield join(entry.parentPath ?? entry.path, entry.name);
    }
  }
}
